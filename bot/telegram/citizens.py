"""What the bot does for each thing a citizen does: one small async handler per action.

Handlers parse the update, call the domain (answerer, question log, rate limiter) and render.
The wiring (which update reaches which handler) is in `bot.telegram.app`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import filters

from bot.domain.answer import Answer
from bot.domain.curated import CuratedFirst
from bot.domain.question_log import Asked
from bot.domain.smalltalk import SmallTalk
from bot.domain.too_short import too_short
from bot.present.plain import reply_text
from bot.present.render import render_answer, render_passages, render_welcome
from bot.present.texts import Texts, texts_for
from bot.telegram.context import NO_PREVIEW, BotData, Context, Unconfirmed
from index import Hit, Index, IndexStats

log = logging.getLogger(__name__)

MORE_COUNT = 3  # passages per "Xem thêm"
MORE_LIMIT = 12  # no "Xem thêm" beyond this many passages
TYPING_EVERY_S = 4.5  # Telegram shows "typing…" for 5 s


def _texts(update: Update) -> Texts:
    user = update.effective_user
    return texts_for(user.language_code if user else None)


# ------------------------------------------------------------------------ filters

class AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and (
                replied.from_user.id == bot.id):
            return True
        mention = f"@{bot.username}".lower()
        mentions = [*message.parse_entities([MessageEntity.MENTION]).values(),
                    *message.parse_caption_entities([MessageEntity.MENTION]).values()]
        return any(text.lower() == mention for text in mentions)


# ------------------------------------------------------------------------ commands

async def start(update: Update, context: Context) -> None:
    """/start and /help: what the bot knows, how to ask, three examples."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    stats = await asyncio.to_thread(current_stats, context.bot_data.answerer.index)
    if update.effective_user is not None:  # a fresh start: earlier questions are no context
        context.bot_data.conversations.forget(_conversation(chat.id, update.effective_user.id))
    in_group = chat.type != ChatType.PRIVATE
    await message.reply_html(render_welcome(stats, _texts(update), in_group),
                             link_preview_options=NO_PREVIEW)


async def privacy(update: Update, context: Context) -> None:
    """/privacy: what is stored about the user and for how long."""
    message = update.effective_message
    if message is None:
        return
    days = context.bot_data.settings.log_retention_days
    await message.reply_html(_texts(update).privacy.format(days=days))


async def ask_command(update: Update, context: Context) -> None:
    """/hoi <câu hỏi> (alias /ask), the way to ask in a group."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    parts = message.text.split(maxsplit=1)
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        await message.reply_text(_texts(update).ask_usage)
        return
    await _answer(update, context, question)


# ------------------------------------------------------------------------ messages

async def private_question(update: Update, context: Context) -> None:
    """In a private chat every text (new or edited) is a question."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await _answer(update, context, message.text)


async def group_question(update: Update, context: Context) -> None:
    """A group message that mentions the bot or replies to it; the mention is not the question."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = message.text
    for text in message.parse_entities([MessageEntity.MENTION]).values():
        if text.lower() == f"@{context.bot.username}".lower():
            question = question.replace(text, " ")
    await _answer(update, context, question)


async def media(update: Update, context: Context) -> None:
    """Stickers, photos, voice, video, documents, locations, contacts: say what the bot does."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(_texts(update).media)


# ------------------------------------------------------------------------ buttons

async def feedback(update: Update, context: Context) -> None:
    """👍 / 👎 under an answer: recorded with the question, then the buttons say thank you."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    texts = _texts(update)
    question_id, vote = _matched(context)  # the pattern in app.py: fb:<id>:<1|-1>
    message = query.message if isinstance(query.message, Message) else None
    chat_id = message.chat.id if message else None
    asked_id = message.reply_to_message.message_id if message and message.reply_to_message \
        else None
    recorded = await asyncio.to_thread(context.bot_data.log.record_feedback, question_id,
                                       query.from_user.id, vote, chat_id, asked_id)
    if not recorded:
        await query.answer(texts.only_asker)
        return
    await query.answer(texts.thanks)
    if message is not None and message.reply_markup is not None:
        await _edit_markup(query.edit_message_reply_markup,
                           thanked_keyboard(message.reply_markup, texts))


async def more(update: Update, context: Context) -> None:
    """"Xem thêm": the next passages for the same question, as a new message."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    texts = _texts(update)
    question_id, offset = _matched(context)  # the pattern in app.py: more:<id>:<offset>
    if offset >= MORE_LIMIT:
        await query.answer(texts.no_more)
        return
    data = context.bot_data
    logged = await asyncio.to_thread(data.log.question, question_id)
    if logged is None:
        await query.answer(texts.question_gone)
        return
    # The passages retrieved for a question are the asker's: ids are sequential, so anyone
    # could otherwise read what another citizen asked about.
    if logged.user_key != data.log.user_key(query.from_user.id):
        await query.answer(texts.not_yours)
        return
    loop = asyncio.get_running_loop()
    cited = [source["id"] for source in logged.sources if source.get("id")]
    hits, language = await loop.run_in_executor(data.executor, functools.partial(
        _next_passages, data.answerer, logged.question, offset, cited))
    texts = texts_for(language)  # as the answer's own words were
    if not hits:
        await query.answer(texts.no_more)
        return
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    following = offset + len(hits)
    keyboard = None
    if len(hits) == MORE_COUNT and following < MORE_LIMIT:
        keyboard = InlineKeyboardMarkup([[more_button(question_id, following, texts)]])
    html = render_passages(hits, texts)
    if message is None:
        await context.bot.send_message(query.from_user.id, html, parse_mode="HTML",
                                       reply_markup=keyboard, link_preview_options=NO_PREVIEW)
        return
    await message.reply_html(html, reply_markup=keyboard, link_preview_options=NO_PREVIEW,
                             do_quote=True)
    if message.reply_markup is not None:  # this button has done its job
        await _edit_markup(query.edit_message_reply_markup, without_more(message.reply_markup))


async def ignore_button(update: Update, context: Context) -> None:
    """The thank-you button, and buttons from older versions of the bot."""
    if update.callback_query is not None:
        await update.callback_query.answer()


def _matched(context: Context) -> list[int]:
    """The numbers a button's callback data carried, as its handler's pattern captured them
    (ASCII digits, bounded in length, so int() cannot fail or overflow SQLite)."""
    assert context.match is not None
    return [int(group) for group in context.match.groups()]


# ------------------------------------------------------------------------ errors

async def on_error(update: object, context: Context) -> None:
    """Log first, then tell the user; one bad update never stops the bot."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %r", update_id, context.error, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Unconfirmed):
        return  # the reply may well have arrived: an error message after it would be wrong
    texts = _texts(update)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(update.effective_chat.id, texts.error)
    except TelegramError as error:
        log.warning("update %s: could not send the error reply either: %r", update_id, error)


# ------------------------------------------------------------------------ answering

async def _answer(update: Update, context: Context, question: str) -> None:
    """Check the length, answer off the event loop, log, reply with buttons (the rate limit is
    `bot.telegram.access.within_rate`, before every handler)."""
    received = time.perf_counter()
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    texts = _texts(update)
    data = context.bot_data
    question = question.strip()
    edited = update.edited_message is not None
    quote = edited or chat.type != ChatType.PRIVATE
    if too_short(question):
        await message.reply_text(f"{texts.too_short} {texts.help_hint}", do_quote=quote)
        return
    if len(question) > data.settings.max_question_chars:
        await message.reply_text(texts.too_long.format(limit=data.settings.max_question_chars),
                                 do_quote=quote)
        return
    work = asyncio.get_running_loop().run_in_executor(data.executor, functools.partial(
        _answer_and_record, data, question, user.id, chat, message.message_id,
        user.language_code, received))
    answer, question_id = await _while_typing(chat, work, data.settings.typing_after_s)
    # The reply's own words follow the question's language, whatever the client's: an
    # English question in a Vietnamese client gets English, a Vietnamese one in an English
    # client (common among citizens) Vietnamese.
    texts = texts_for(answer.language)
    if answer.small_talk in (SmallTalk.GREETING, SmallTalk.ABOUT):
        stats = await asyncio.to_thread(current_stats, data.answerer.index)
        await message.reply_html(render_welcome(stats, texts, chat.type != ChatType.PRIVATE),
                                 link_preview_options=NO_PREVIEW, do_quote=quote)
    elif answer.small_talk is not None:
        await message.reply_text(reply_text(answer), do_quote=quote)
    elif answer.answered:
        keyboard = answer_keyboard(question_id, texts, len(answer.sources))
        await message.reply_html(render_answer(answer, texts), reply_markup=keyboard,
                                 link_preview_options=NO_PREVIEW, do_quote=quote)
    else:
        await message.reply_text(f"{texts.not_covered} {texts.passed_on}", do_quote=quote)


def _answer_and_record(data: BotData, question: str, user_id: int, chat: Chat, message_id: int,
                       language: str | None, received: float) -> tuple[Answer, int | None]:
    """In a worker thread: pick up a new index generation, answer (a follow-up with the
    chat's previous question), log. Small talk is neither remembered nor logged."""
    index = data.answerer.index
    index.reload_if_changed()
    conversation = _conversation(chat.id, user_id)
    answer = data.answerer.answer(question, after=data.conversations.previous(conversation))
    if answer.small_talk is not None:
        return answer, None
    data.conversations.remember(conversation, answer.question)
    latency_s = time.perf_counter() - received
    data.metrics.observe("telegram", answer, latency_s)
    latency_ms = round(latency_s * 1000)
    # A follow-up is logged as it was read ("ở đâu?" alone tells a moderator nothing).
    question_id = data.log.record(Asked(
        user_id=user_id, chat_type=chat.type, question=answer.question or question,
        answer=answer,
        latency_ms=latency_ms, chat_id=chat.id, message_id=message_id, language=language,
        index_generation=index.generation))
    return answer, question_id


def _conversation(chat_id: int, user_id: int) -> tuple[int, int]:
    """Context is per person within a chat: in a group, one citizen's follow-up is not read
    with another's question."""
    return chat_id, user_id


def current_stats(index: Index) -> IndexStats:
    """What the index holds now, after picking up a generation staff just published."""
    index.reload_if_changed()
    return index.stats()


def _next_passages(answerer: CuratedFirst, question: str, offset: int,
                   cited: list[str]) -> tuple[list[Hit], str]:
    """The next passages, and the question's language for the words around them."""
    answerer.index.reload_if_changed()
    language = answerer.index.understand(question).language
    return answerer.more(question, offset, MORE_COUNT, cited), language


async def _while_typing(chat: Chat, work: asyncio.Future, after_s: float):
    """Show "typing…" while `work` runs, from `after_s` on: a quick answer needs no indicator
    (and one request per reply fewer); Telegram hides it after 5 s, so repeat."""
    wait = after_s
    while True:
        if wait > 0:
            done, _ = await asyncio.wait((work,), timeout=wait)
            if done:
                return work.result()
        with contextlib.suppress(TelegramError):
            await chat.send_action(ChatAction.TYPING)
        wait = TYPING_EVERY_S


# ------------------------------------------------------------------------ keyboards

def more_button(question_id: int, offset: int, texts: Texts) -> InlineKeyboardButton:
    return InlineKeyboardButton(texts.more, callback_data=f"more:{question_id}:{offset}")


def answer_keyboard(question_id: int, texts: Texts, cited: int = 1) -> InlineKeyboardMarkup:
    """👍 / 👎, then "Xem thêm" from the article after the `cited` ones the answer shows."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(texts.like, callback_data=f"fb:{question_id}:1"),
         InlineKeyboardButton(texts.dislike, callback_data=f"fb:{question_id}:-1")],
        [more_button(question_id, max(1, cited), texts)],
    ])


def thanked_keyboard(markup: InlineKeyboardMarkup, texts: Texts) -> InlineKeyboardMarkup:
    """The vote buttons become a thank-you; other buttons stay."""
    rows = [[InlineKeyboardButton(texts.thanks_button, callback_data="noop")]]
    rows += [list(row) for row in markup.inline_keyboard
             if not any(str(b.callback_data or "").startswith("fb:") for b in row)]
    return InlineKeyboardMarkup(rows)


def without_more(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup | None:
    rows = [[b for b in row if not str(b.callback_data or "").startswith("more:")]
            for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def _edit_markup(edit, markup: InlineKeyboardMarkup | None) -> None:
    """Editing to the same keyboard is an error for Telegram, and harmless for us."""
    try:
        await edit(reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise
