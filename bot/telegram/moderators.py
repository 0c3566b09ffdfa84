"""What moderators (MODERATOR_IDS) do on Telegram: /review, its buttons, /faq; and what every
citizen may do with their data: /xoadulieu (alias /forgetme).

Handlers here run in the MODERATION group, before citizens' handlers, and raise
ApplicationHandlerStop when they take an update (a moderator's typed answer is not a question).
The decisions are in `bot.domain.moderation` and `bot.domain.curated`; this module parses,
calls them and renders.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Callable

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop

from bot.domain.moderation import ReviewError
from bot.domain.question_log import LoggedQuestion
from bot.present.render import (
    render_faq_list,
    render_moderator_answer,
    render_review,
    render_stats,
)
from bot.present.texts import MODERATOR
from bot.telegram.access import on_its_keyboard, require
from bot.telegram.citizens import _texts
from bot.telegram.context import NO_PREVIEW, Context

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------ the review queue

async def review(update: Update, context: Context) -> None:
    """/review: the oldest question to review, with buttons; /review stats: the numbers."""
    await require("moderator", update, context)
    message = update.effective_message
    if message is None:
        raise ApplicationHandlerStop
    if context.args and context.args[0].lower() in ("stats", "thongke"):
        stats = await asyncio.to_thread(context.bot_data.moderation.stats)
        await message.reply_html(render_stats(stats))
    else:
        context.user_data.pop("skipped", None)  # a fresh /review offers skipped ones again
        await _show_next(context, message.chat_id)
    raise ApplicationHandlerStop


async def review_fine(update: Update, context: Context) -> None:
    """✅ Đúng: the bot's answer (or its silence) was right."""
    await _resolve(update, context, context.bot_data.moderation.mark_fine, MODERATOR.confirmed)


async def review_spam(update: Update, context: Context) -> None:
    """🗑 Spam."""
    await _resolve(update, context, context.bot_data.moderation.mark_spam, MODERATOR.marked_spam)


async def review_skip(update: Update, context: Context) -> None:
    """⏭ Bỏ qua: the next question; this one comes back with the next /review."""
    _, query, question_id, message, chat_id = await _review_button(update, context)
    context.user_data.setdefault("skipped", set()).add(question_id)
    await query.answer()
    await _close_review_message(message, MODERATOR.skipped)
    await _show_next(context, chat_id)
    raise ApplicationHandlerStop


async def review_answer(update: Update, context: Context) -> None:
    """✏️ Trả lời and 📌 Lưu FAQ: hold the question; the moderator's next message answers it."""
    moderator, query, question_id, _, chat_id = await _review_button(update, context)
    if not await asyncio.to_thread(context.bot_data.moderation.claim, question_id, moderator):
        await query.answer(MODERATOR.taken, show_alert=True)
        raise ApplicationHandlerStop
    as_faq = str(query.data).startswith("rv:faq:")
    await asyncio.to_thread(context.bot_data.moderation.start_answering, question_id, moderator,
                            chat_id, as_faq)
    await query.answer()
    prompt = MODERATOR.answer_prompt.format(question_id=question_id)
    if as_faq:
        prompt += MODERATOR.faq_prompt
    await context.bot.send_message(chat_id, prompt + MODERATOR.cancel_hint,
                                   reply_markup=ForceReply(selective=True))
    raise ApplicationHandlerStop


async def moderator_answer(update: Update, context: Context) -> None:
    """After ✏️ or 📌: the moderator's next message is the answer, delivered to the citizen."""
    user, message = update.effective_user, update.effective_message
    if (user is None or message is None or message.text is None
            or user.id not in context.bot_data.settings.moderator_ids):
        return  # a citizen's question
    mod = context.bot_data.moderation
    pending = await asyncio.to_thread(mod.answering, user.id)
    if pending is None or message.chat_id != pending.chat_id:
        return  # not an answer: a moderator asking a question
    if await asyncio.to_thread(mod.stop_answering, user.id) is None:
        raise ApplicationHandlerStop  # the same message, redelivered to another replica
    question_id, as_faq = pending.question_id, pending.as_faq
    text, source_url = split_source(message.text) if as_faq else (message.text.strip(), None)
    try:
        target = await asyncio.to_thread(mod.delivery_target, question_id, user.id)
    except ReviewError as error:
        await message.reply_text(str(error))
        raise ApplicationHandlerStop from None
    delivered = await deliver_answer(context.bot, target, text, source_url)
    try:
        curated = await asyncio.to_thread(mod.record_answer, question_id, user.id, text,
                                          as_faq, source_url)
    except ReviewError as error:
        await message.reply_text(str(error))
        raise ApplicationHandlerStop from None
    report = MODERATOR.delivered if delivered else MODERATOR.not_delivered
    if curated is not None:
        report += MODERATOR.saved_as_faq.format(curated_id=curated)
    await message.reply_text(report + MODERATOR.next_hint)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: Context) -> None:
    """/huy: stop answering the held question; it goes back to the queue."""
    user, message = update.effective_user, update.effective_message
    if user is None or user.id not in context.bot_data.settings.moderator_ids:
        return
    mod = context.bot_data.moderation
    pending = await asyncio.to_thread(mod.stop_answering, user.id)
    if pending is None:
        return
    await asyncio.to_thread(mod.release, pending.question_id, user.id)
    if message is not None:
        await message.reply_text(MODERATOR.cancelled)
    raise ApplicationHandlerStop


async def _review_button(update: Update, context: Context) -> (
        tuple[int, CallbackQuery, int, Message | None, int]):
    """A review button's moderator, query, question, message and chat (`rv:ACTION:ID`)."""
    moderator = await require("moderator", update, context)
    query = update.callback_query
    if query is None or query.data is None:
        raise ApplicationHandlerStop
    assert context.match is not None  # rv:<action>:<id>, bounded by the pattern in app.py
    question_id = int(context.match.group(1))
    message = query.message if isinstance(query.message, Message) else None
    return moderator, query, question_id, message, message.chat.id if message else moderator


async def _resolve(update: Update, context: Context, verb: Callable[[int, int], bool],
                   outcome: str) -> None:
    """✅ or 🗑: close the review with `verb`, then offer the next question."""
    moderator, query, question_id, message, chat_id = await _review_button(update, context)
    if not await asyncio.to_thread(verb, question_id, moderator):
        await query.answer(MODERATOR.done_already, show_alert=True)
        raise ApplicationHandlerStop
    await query.answer(MODERATOR.noted)
    await _close_review_message(message, outcome)
    await _show_next(context, chat_id)
    raise ApplicationHandlerStop


async def deliver_answer(bot: Bot, target: LoggedQuestion, text: str,
                         source_url: str | None) -> bool:
    """The moderators' answer as a reply to the citizen's question; False if Telegram refuses.
    The web console's review queue delivers through this too."""
    assert target.chat_id is not None
    reply = (ReplyParameters(message_id=target.message_id, allow_sending_without_reply=True)
             if target.message_id else None)
    try:
        await bot.send_message(target.chat_id, render_moderator_answer(text, source_url),
                               parse_mode="HTML", reply_parameters=reply,
                               link_preview_options=NO_PREVIEW)
        return True
    except (Forbidden, BadRequest) as error:
        log.warning("moderators' answer to question %d not delivered: %s", target.id, error)
        return False


async def _show_next(context: Context, chat_id: int) -> None:
    skipped = context.user_data.get("skipped", set()) if context.user_data is not None else set()
    question = await asyncio.to_thread(context.bot_data.moderation.next_question, skipped)
    if question is None:
        await context.bot.send_message(chat_id, MODERATOR.queue_empty)
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


def split_source(text: str) -> tuple[str, str | None]:
    """A moderator's answer whose last line is a bare link: the link becomes its source."""
    lines = text.strip().splitlines()
    if len(lines) > 1 and lines[-1].strip().startswith(("https://", "http://")) and \
            " " not in lines[-1].strip():
        return "\n".join(lines[:-1]).strip(), lines[-1].strip()
    return text.strip(), None


# ------------------------------------------------------------------------ curated answers

async def faq(update: Update, context: Context) -> None:
    """/faq [list] | add Q | A [| url] | edit N Q | A [| url] | delete N."""
    await require("moderator", update, context)
    message = update.effective_message
    if message is None or message.text is None:
        raise ApplicationHandlerStop
    parts = message.text.split(maxsplit=2)
    verb = parts[1].lower() if len(parts) > 1 else "list"
    rest = parts[2] if len(parts) > 2 else ""
    curated = context.bot_data.curated
    try:
        if verb in ("list", "ds"):
            await message.reply_html(render_faq_list(await asyncio.to_thread(curated.list)),
                                     link_preview_options=NO_PREVIEW)
        elif verb in ("add", "them"):
            question, answer, url = _faq_fields(rest)
            new_id = await asyncio.to_thread(curated.add, question, answer, url)
            await message.reply_text(MODERATOR.faq_saved.format(curated_id=new_id))
        elif verb in ("edit", "sua"):
            number, _, fields = rest.partition(" ")
            question, answer, url = _faq_fields(fields)
            found = await asyncio.to_thread(curated.edit, int(number), question, answer, url)
            done = MODERATOR.faq_edited if found else MODERATOR.faq_missing
            await message.reply_text(done.format(curated_id=number))
        elif verb in ("delete", "remove", "xoa"):
            number = rest.strip()
            found = await asyncio.to_thread(curated.delete, int(number))
            done = MODERATOR.faq_deleted if found else MODERATOR.faq_missing
            await message.reply_text(done.format(curated_id=number))
        else:
            await message.reply_text(MODERATOR.faq_usage)
    except ValueError as error:
        await message.reply_text(f"{MODERATOR.faq_usage}\n\n({error})")
    raise ApplicationHandlerStop


def _faq_fields(text: str) -> tuple[str, str, str | None]:
    """`Câu hỏi | Câu trả lời [| đường dẫn]` from a /faq command."""
    fields = [f.strip() for f in text.split("|")]
    if len(fields) not in (2, 3):
        raise ValueError(MODERATOR.faq_fields)
    return fields[0], fields[1], fields[2] if len(fields) == 3 else None


# ------------------------------------------------------------------------ citizens' data

async def forget_me(update: Update, context: Context) -> None:
    """/xoadulieu, /forgetme: how many questions are stored, and a button to erase them."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        raise ApplicationHandlerStop
    texts = _texts(update)
    count = await asyncio.to_thread(context.bot_data.log.count_for_user, user.id)
    if count == 0:
        await message.reply_text(texts.forget_nothing)
    else:
        await message.reply_text(texts.forget_confirm.format(count=count),
                                 reply_markup=InlineKeyboardMarkup([[
                                     InlineKeyboardButton(texts.forget_yes,
                                                          callback_data=f"forget:yes:{user.id}"),
                                     InlineKeyboardButton(texts.forget_no,
                                                          callback_data=f"forget:no:{user.id}")
                                 ]]))
    raise ApplicationHandlerStop


async def forget_button(update: Update, context: Context) -> None:
    """The confirmation, pressed by the person who asked for it: erase their questions.
    In a group anyone sees the buttons; someone else's press changes nothing."""
    query = update.callback_query
    if query is None or context.match is None:
        raise ApplicationHandlerStop
    texts = _texts(update)
    choice, owner = context.match.group(1), int(context.match.group(2))
    if query.from_user.id != owner or not on_its_keyboard(query):
        await query.answer(texts.not_yours, show_alert=True)
        raise ApplicationHandlerStop
    if choice == "yes":
        count = await asyncio.to_thread(context.bot_data.moderation.forget_user,
                                        query.from_user.id)
        reply = texts.forget_done.format(count=count)
    else:
        reply = texts.forget_cancelled
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(reply)
    raise ApplicationHandlerStop
