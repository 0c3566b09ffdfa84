"""/web: a moderator or staff member asks for a one-time link to the web console."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.domain.console_access import LINK_MINUTES, roles_of
from bot.present.texts import STAFF
from bot.telegram.context import NO_PREVIEW, Context


async def web_link(update: Update, context: Context) -> None:
    """Only in a private chat: a link in a group could be opened by anyone there."""
    user, message, chat = update.effective_user, update.effective_message, update.effective_chat
    if user is None or message is None or chat is None:
        raise ApplicationHandlerStop
    data = context.bot_data
    roles = roles_of(user.id, data.settings)
    if not roles:
        await message.reply_text(STAFF.console_not_allowed)
    elif data.web is None or data.settings.console_url is None:
        await message.reply_text(STAFF.console_off)
    elif chat.type != ChatType.PRIVATE:
        await message.reply_text(STAFF.console_private)
    else:
        link = data.web.access.login_link(data.settings.console_url, user.id,
                                          user.first_name or "", roles)
        await message.reply_text(STAFF.console_link.format(minutes=LINK_MINUTES, link=link),
                                 link_preview_options=NO_PREVIEW)
    raise ApplicationHandlerStop
