"""What moderators (MODERATOR_IDS) do on Telegram: /review, its buttons, /faq; and what every
citizen may do with their data: /xoadulieu (alias /forgetme).

Handlers here run in the MODERATION group, before citizens' handlers, and raise
ApplicationHandlerStop when they take an update (a moderator's typed answer is not a question).
The decisions are in `bot.domain.moderation`; this module parses, calls it and renders.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Awaitable, Callable

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.domain.curated import CuratedAnswers
from bot.domain.moderation import Moderation, ReviewError, ReviewStats
from bot.domain.question_log import LoggedQuestion
from bot.present.render import clip_escaped, source_line
from bot.present.texts import VI
from bot.telegram.citizens import _texts, services

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
NOT_ALLOWED = "Xin lỗi, lệnh này chỉ dành cho cán bộ kiểm duyệt."
QUEUE_EMPTY = "Không còn câu hỏi nào cần xem lại. 🎉"
TAKEN = "Một cán bộ khác đang xử lý câu hỏi này."
DONE_ALREADY = "Câu hỏi này đã được xử lý."
FAQ_USAGE = ("Cách dùng:\n/faq list\n/faq add Câu hỏi | Câu trả lời | https://nguồn (không bắt "
             "buộc)\n/faq edit SỐ Câu hỏi | Câu trả lời | https://nguồn\n/faq delete SỐ")
STATE_NAMES = {"unanswered": "chưa trả lời được", "downvoted": "bị đánh giá 👎",
               "low": "độ tin cậy thấp", "reviewed": "đã xem xét", "spam": "spam",
               "none": "không cần xem"}
ANNOUNCE_MAX = 20  # questions per announcement; more wait for the next one
RETENTION_EVERY_S = 24 * 3600
Sleep = Callable[[float], Awaitable[object]]


def moderation(context: ContextTypes.DEFAULT_TYPE) -> Moderation:
    return context.bot_data["moderation"]


async def _moderators_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The moderator's id; anyone else is told no and the update stops here."""
    user, message, query = update.effective_user, update.effective_message, update.callback_query
    if user is not None and user.id in services(context).settings.moderator_ids:
        return user.id
    log.warning("moderation refused for user %s",
                services(context).log.user_key(user.id)[:12] if user else "unknown")
    if query is not None:
        await query.answer(NOT_ALLOWED, show_alert=True)
    elif message is not None:
        await message.reply_text(NOT_ALLOWED)
    raise ApplicationHandlerStop


# ------------------------------------------------------------------------ the review queue

async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/review: the oldest question to review, with buttons; /review stats: the numbers."""
    await _moderators_only(update, context)
    message = update.effective_message
    if message is None:
        raise ApplicationHandlerStop
    if context.args and context.args[0].lower() in ("stats", "thongke"):
        stats = await asyncio.to_thread(moderation(context).stats)
        await message.reply_html(render_stats(stats))
    else:
        context.user_data.pop("skipped", None)  # a fresh /review offers skipped ones again
        await _show_next(context, message.chat_id)
    raise ApplicationHandlerStop


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """✅ Đúng, ✏️ Trả lời, 📌 Lưu FAQ, ⏭ Bỏ qua, 🗑 Spam under a question in review."""
    moderator = await _moderators_only(update, context)
    query = update.callback_query
    if query is None or query.data is None:
        raise ApplicationHandlerStop
    _, action, id_text = query.data.split(":")
    question_id = int(id_text)
    mod = moderation(context)
    message = query.message if isinstance(query.message, Message) else None
    chat_id = message.chat.id if message else moderator
    if action == "skip":
        context.user_data.setdefault("skipped", set()).add(question_id)
        await query.answer()
        await _close_review_message(message, "⏭ Đã bỏ qua.")
        await _show_next(context, chat_id)
    elif action in ("ok", "spam"):
        verb = mod.mark_fine if action == "ok" else mod.mark_spam
        if not await asyncio.to_thread(verb, question_id, moderator):
            await query.answer(DONE_ALREADY, show_alert=True)
            raise ApplicationHandlerStop
        await query.answer("Đã ghi nhận.")
        await _close_review_message(
            message, "✅ Đã xác nhận câu trả lời." if action == "ok" else "🗑 Đã đánh dấu spam.")
        await _show_next(context, chat_id)
    elif action in ("edit", "faq"):
        if not await asyncio.to_thread(mod.claim, question_id, moderator):
            await query.answer(TAKEN, show_alert=True)
            raise ApplicationHandlerStop
        context.user_data["answering"] = {"question": question_id, "chat": chat_id,
                                          "faq": action == "faq"}
        await query.answer()
        prompt = (f"✏️ Gõ câu trả lời cho câu hỏi #{question_id}: tin nhắn tiếp theo của bạn "
                  "sẽ được gửi tới người hỏi.")
        if action == "faq":
            prompt += (" Câu hỏi và câu trả lời cũng được lưu vào FAQ; nếu có, đặt đường dẫn "
                       "nguồn ở dòng cuối.")
        await context.bot.send_message(chat_id, prompt + " Gõ /huy để huỷ.",
                                       reply_markup=ForceReply(selective=True))
    else:
        await query.answer()
    raise ApplicationHandlerStop


async def moderator_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After ✏️ or 📌: the moderator's next message is the answer, delivered to the citizen."""
    user, message = update.effective_user, update.effective_message
    pending = context.user_data.get("answering") if context.user_data is not None else None
    if (pending is None or user is None or message is None or message.text is None
            or message.chat_id != pending["chat"]
            or user.id not in services(context).settings.moderator_ids):
        return  # not an answer: a citizen's question, or a moderator asking one
    context.user_data.pop("answering", None)
    mod = moderation(context)
    question_id, as_faq = pending["question"], pending["faq"]
    text, source_url = split_source(message.text) if as_faq else (message.text.strip(), None)
    try:
        target = await asyncio.to_thread(mod.delivery_target, question_id, user.id)
    except ReviewError as error:
        await message.reply_text(str(error))
        raise ApplicationHandlerStop from None
    delivered = await _deliver(context.bot, target, text, source_url)
    try:
        curated = await asyncio.to_thread(mod.record_answer, question_id, user.id, text,
                                          as_faq, source_url)
    except ReviewError as error:
        await message.reply_text(str(error))
        raise ApplicationHandlerStop from None
    report = ("✅ Đã gửi câu trả lời tới người hỏi." if delivered else
              "⚠️ Không gửi được tới người hỏi (họ đã chặn bot hoặc xoá cuộc trò chuyện); "
              "câu trả lời vẫn được lưu.")
    if curated is not None:
        report += f" Đã lưu vào FAQ #{curated}."
    await message.reply_text(report + " Gõ /review để xem câu tiếp theo.")
    raise ApplicationHandlerStop


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy: stop answering the held question; it goes back to the queue."""
    pending = context.user_data.pop("answering", None) if context.user_data is not None else None
    user, message = update.effective_user, update.effective_message
    if pending is None or user is None:
        return
    await asyncio.to_thread(moderation(context).release, pending["question"], user.id)
    if message is not None:
        await message.reply_text("Đã huỷ; câu hỏi trở lại hàng chờ.")
    raise ApplicationHandlerStop


async def _deliver(bot: Bot, target: LoggedQuestion, text: str, source_url: str | None) -> bool:
    """The moderators' answer as a reply to the citizen's question; False if Telegram refuses."""
    body = f"<b>{html.escape(VI.from_moderators)}</b>\n{clip_escaped(text, 3500)}"
    if source_url:
        body += f"\n\n<b>{VI.sources}</b> {source_line(source_url, source_url, None, None)}"
    assert target.chat_id is not None
    reply = (ReplyParameters(message_id=target.message_id, allow_sending_without_reply=True)
             if target.message_id else None)
    try:
        await bot.send_message(target.chat_id, body, parse_mode="HTML", reply_parameters=reply,
                               link_preview_options=NO_PREVIEW)
        return True
    except (Forbidden, BadRequest) as error:
        log.warning("moderators' answer to question %d not delivered: %s", target.id, error)
        return False


async def _show_next(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    skipped = context.user_data.get("skipped", set()) if context.user_data is not None else set()
    question = await asyncio.to_thread(moderation(context).next_question, skipped)
    if question is None:
        await context.bot.send_message(chat_id, QUEUE_EMPTY)
        return
    await context.bot.send_message(chat_id, render_review(question), parse_mode="HTML",
                                   reply_markup=review_keyboard(question.id),
                                   link_preview_options=NO_PREVIEW)


async def _close_review_message(message: Message | None, outcome: str) -> None:
    """The buttons go; what was decided stays visible."""
    if message is None:
        return
    with contextlib.suppress(BadRequest):
        await message.edit_text(f"{message.text_html}\n\n{html.escape(outcome)}",
                                parse_mode="HTML", link_preview_options=NO_PREVIEW)


def review_keyboard(question_id: int) -> InlineKeyboardMarkup:
    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=f"rv:{action}:{question_id}")

    return InlineKeyboardMarkup([
        [button("✅ Đúng", "ok"), button("✏️ Trả lời", "edit"), button("📌 Lưu FAQ", "faq")],
        [button("⏭ Bỏ qua", "skip"), button("🗑 Spam", "spam")],
    ])


def render_review(q: LoggedQuestion) -> str:
    """The question, what the bot answered and its sources."""
    when = q.asked_at[:16].replace("T", " ")
    lines = [f"<b>Câu hỏi #{q.id}</b> · {STATE_NAMES.get(q.review_state, q.review_state)} · "
             f"{when} UTC", f"<i>{clip_escaped(q.question, 600)}</i>", ""]
    if q.answered:
        lines.append(f"<b>Bot đã trả lời</b> (độ tin cậy {q.confidence:.2f}):")
        lines.append(clip_escaped(q.answer, 2000))
        for number, src in enumerate(q.sources[:3], start=1):
            line = source_line(src.get("title") or "—", src.get("url"), None, src.get("source"))
            lines.append(f"{number}. {line}")
    else:
        lines.append(f"<b>Bot chưa trả lời được</b> (độ tin cậy {q.confidence:.2f}).")
    return "\n".join(lines)


def render_stats(s: ReviewStats) -> str:
    states = ", ".join(f"{STATE_NAMES[k]}: {s.by_state.get(k, 0)}"
                       for k in ("unanswered", "downvoted", "low", "reviewed", "spam"))
    votes = s.up + s.down
    latency = f"{s.median_latency_ms:.0f} ms" if s.median_latency_ms is not None else "—"
    topics = ", ".join(f"{html.escape(t)} ({n})" for t, n in s.topics) or "—"
    return (f"<b>Thống kê câu hỏi</b>\n"
            f"Tổng số: {s.questions}; bot trả lời được: {s.answered} "
            f"({s.answered_rate:.0%}); cán bộ đã trả lời: {s.moderator_answered}\n"
            f"Chờ xem lại: {s.awaiting} ({states})\n"
            f"👍/👎: {s.up}/{s.down}"
            + (f" ({s.up / votes:.0%} hài lòng)" if votes else "") + "\n"
            f"Thời gian trả lời (trung vị): {latency}\n"
            f"Chủ đề hỏi nhiều chưa có câu trả lời (7 ngày): {topics}")


# ------------------------------------------------------------------------ curated answers

async def faq(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/faq [list] | add Q | A [| url] | edit N Q | A [| url] | delete N."""
    await _moderators_only(update, context)
    message = update.effective_message
    if message is None or message.text is None:
        raise ApplicationHandlerStop
    parts = message.text.split(maxsplit=2)
    verb = parts[1].lower() if len(parts) > 1 else "list"
    rest = parts[2] if len(parts) > 2 else ""
    curated: CuratedAnswers = context.bot_data["curated"]
    try:
        if verb in ("list", "ds"):
            await message.reply_html(render_faq_list(await asyncio.to_thread(curated.list)),
                                     link_preview_options=NO_PREVIEW)
        elif verb in ("add", "them"):
            question, answer, url = _faq_fields(rest)
            new_id = await asyncio.to_thread(curated.add, question, answer, url)
            await message.reply_text(f"Đã lưu FAQ #{new_id}.")
        elif verb in ("edit", "sua"):
            number, _, fields = rest.partition(" ")
            question, answer, url = _faq_fields(fields)
            found = await asyncio.to_thread(curated.edit, int(number), question, answer, url)
            await message.reply_text(f"Đã sửa FAQ #{number}." if found else
                                     f"Không có FAQ #{number}.")
        elif verb in ("delete", "remove", "xoa"):
            found = await asyncio.to_thread(curated.delete, int(rest.strip()))
            await message.reply_text(f"Đã xoá FAQ #{rest.strip()}." if found else
                                     f"Không có FAQ #{rest.strip()}.")
        else:
            await message.reply_text(FAQ_USAGE)
    except ValueError as error:
        await message.reply_text(f"{FAQ_USAGE}\n\n({error})")
    raise ApplicationHandlerStop


def split_source(text: str) -> tuple[str, str | None]:
    """A moderator's answer whose last line is a bare link: the link becomes its source."""
    lines = text.strip().splitlines()
    if len(lines) > 1 and lines[-1].strip().startswith(("https://", "http://")) and \
            " " not in lines[-1].strip():
        return "\n".join(lines[:-1]).strip(), lines[-1].strip()
    return text.strip(), None


def _faq_fields(text: str) -> tuple[str, str, str | None]:
    fields = [f.strip() for f in text.split("|")]
    if len(fields) not in (2, 3):
        raise ValueError("cần: Câu hỏi | Câu trả lời | đường dẫn (không bắt buộc)")
    return fields[0], fields[1], fields[2] if len(fields) == 3 else None


def render_faq_list(items) -> str:
    if not items:
        return "Chưa có câu trả lời nào được lưu. Thêm bằng /faq add hoặc nút 📌 khi /review."
    lines = ["<b>Câu trả lời đã kiểm duyệt</b>"]
    for item in items[:30]:
        link = f" ({source_line(item.source_url, item.source_url, None, None)})" \
            if item.source_url else ""
        lines.append(f"<b>#{item.id}</b> {clip_escaped(item.question, 150)}\n"
                     f"→ {clip_escaped(item.answer, 200)}{link}")
    if len(items) > 30:
        lines.append(f"… và {len(items) - 30} câu khác (xem bằng `python -m bot faq list`).")
    return "\n".join(lines)


# ------------------------------------------------------------------------ citizens' data

async def forget_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xoadulieu, /forgetme: how many questions are stored, and a button to erase them."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        raise ApplicationHandlerStop
    texts = _texts(update)
    count = await asyncio.to_thread(services(context).log.count_for_user, user.id)
    if count == 0:
        await message.reply_text(texts.forget_nothing)
    else:
        await message.reply_text(texts.forget_confirm.format(count=count),
                                 reply_markup=InlineKeyboardMarkup([[
                                     InlineKeyboardButton(texts.forget_yes,
                                                          callback_data="forget:yes"),
                                     InlineKeyboardButton(texts.forget_no,
                                                          callback_data="forget:no")]]))
    raise ApplicationHandlerStop


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirmation: erase every question of the person who pressed it."""
    query = update.callback_query
    if query is None:
        raise ApplicationHandlerStop
    texts = _texts(update)
    if query.data == "forget:yes":
        count = await asyncio.to_thread(moderation(context).forget_user, query.from_user.id)
        reply = texts.forget_done.format(count=count)
    else:
        reply = texts.forget_cancelled
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(reply)
    raise ApplicationHandlerStop


# ------------------------------------------------------------------------ background work

class Announcer:
    """New unanswered questions to MODERATOR_CHAT_ID, batched: at most one message per
    `interval_s`. `sleep` is injectable so tests decide when a batch is due."""

    def __init__(self, moderation: Moderation, chat_id: int, interval_s: float,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.moderation, self.chat_id, self.interval_s = moderation, chat_id, interval_s
        self.sleep = sleep

    async def run(self, bot: Bot) -> None:
        while True:
            await self.sleep(self.interval_s)
            try:
                await self.flush(bot)
            except TelegramError as error:  # the next round tries again
                log.warning("announcement to the moderators failed: %s", error)

    async def flush(self, bot: Bot) -> int:
        """One message with the questions not yet announced; returns how many."""
        pending = await asyncio.to_thread(self.moderation.log.unannounced, ANNOUNCE_MAX)
        if not pending:
            return 0
        lines = [f"<b>🔔 {len(pending)} câu hỏi mới bot chưa trả lời được</b>"]
        lines += [f"• #{q.id}: {clip_escaped(q.question, 150)}" for q in pending]
        lines.append("Gõ /review để xem và trả lời.")
        await bot.send_message(self.chat_id, "\n".join(lines), parse_mode="HTML")
        await asyncio.to_thread(self.moderation.log.mark_announced, [q.id for q in pending])
        return len(pending)


async def purge_expired(mod: Moderation) -> int:
    deleted = await asyncio.to_thread(mod.purge_expired)
    if deleted:
        log.info("retention: deleted %d questions older than %d days", deleted,
                 mod.settings.log_retention_days)
    return deleted


async def _retention_loop(mod: Moderation, sleep: Sleep) -> None:
    while True:
        await sleep(RETENTION_EVERY_S)
        try:
            await purge_expired(mod)
        except Exception:  # a locked database today is no reason to stop purging tomorrow
            log.exception("retention purge failed")


async def start_background(app: Application) -> None:
    """At start-up: purge expired rows now, then daily; announce to the moderators' group."""
    mod: Moderation = app.bot_data["moderation"]
    await purge_expired(mod)
    tasks = [asyncio.create_task(_retention_loop(mod, app.bot_data.get("sleep", asyncio.sleep)),
                                 name="retention")]
    announcer: Announcer | None = app.bot_data.get("announcer")
    if announcer is not None:
        tasks.append(asyncio.create_task(announcer.run(app.bot), name="announcer"))
    app.bot_data["moderation_tasks"] = tasks


async def stop_background(app: Application) -> None:
    tasks = app.bot_data.pop("moderation_tasks", [])
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
