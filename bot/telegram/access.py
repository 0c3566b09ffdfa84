"""Who may use which command: one check every staff and moderator handler calls; one rate
limit every update passes before any handler sees it; whether a pressed button is real."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from telegram import CallbackQuery, Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.ratelimit import Verdict
from bot.present.texts import MODERATOR, STAFF, texts_for
from bot.telegram.context import Context

log = logging.getLogger(__name__)

Role = Literal["staff", "moderator"]


async def require(role: Role, update: Update, context: Context) -> int:
    """The user's id when they hold `role`. Anyone else is told no, the attempt is logged
    under their pseudonym, and the update stops here (ApplicationHandlerStop), so it is not
    taken for a citizen's question either."""
    user, message, query = update.effective_user, update.effective_message, update.callback_query
    settings = context.bot_data.settings
    allowed = settings.staff_ids if role == "staff" else settings.moderator_ids
    if user is not None and user.id in allowed:
        return user.id
    attempt = query.data if query is not None else (
        message.text.split()[0] if message is not None and message.text else "?")
    log.warning("%s only: %s refused for user %s", role, attempt,
                context.bot_data.log.user_key(user.id)[:12] if user else "unknown")
    refusal = (STAFF if role == "staff" else MODERATOR).not_allowed
    if query is not None:
        await query.answer(refusal, show_alert=True)
    elif message is not None:
        await message.reply_text(refusal)
    raise ApplicationHandlerStop


async def within_rate(update: Update, context: Context) -> None:
    """Every question, command and button spends a token of its user's one bucket; past the
    limit the user is told once, then nothing answers until it refills (ApplicationHandlerStop).
    Staff and moderators are trusted (STAFF_IDS, MODERATOR_IDS) and never limited."""
    user, message, query = update.effective_user, update.effective_message, update.callback_query
    settings = context.bot_data.settings
    if query is not None and not query.data:
        # No data (a game, a forged update) matches every CallbackQueryHandler pattern in PTB
        # (check_update returns True): it must not reach a handler expecting its fields.
        await query.answer()
        raise ApplicationHandlerStop
    if user is None or user.id in settings.staff_ids or user.id in settings.moderator_ids:
        return
    if query is None and message is not None and _for_another_bot(message, context.bot.username):
        return  # /start@other_bot in a shared group: not ours to answer, nor to count
    # The buckets are in the database: off the event loop, like every other statement.
    verdict = await asyncio.to_thread(context.bot_data.limiter.take, user.id)
    if verdict is Verdict.ALLOWED:
        return
    if verdict is Verdict.NOTIFY:
        notice = texts_for(user.language_code).rate_limited
        if query is not None:
            await query.answer(notice)
        elif message is not None:
            await message.reply_text(notice)
    raise ApplicationHandlerStop


def _for_another_bot(message: Message, username: str) -> bool:
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    _, at, addressee = command.partition("@")
    return command.startswith("/") and bool(at) and addressee.lower() != username.lower()


def on_its_keyboard(query: CallbackQuery) -> bool:
    """Whether the pressed data is one of the buttons on the message it came with. A modified
    client can send any data with any message; a message too old to be shown (inaccessible)
    cannot be checked, so the handlers' own checks (whose button it is) must hold anyway."""
    message = query.message
    if not isinstance(message, Message):
        return True
    markup = message.reply_markup
    pressed = query.data
    return markup is not None and any(
        button.callback_data == pressed for row in markup.inline_keyboard for button in row)
