"""Work on the JobQueue, not triggered by a user: retention and announcements to moderators.

`bot.telegram.app.build_application` schedules them; a test runs one with `job.run(app)`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError

from bot.present.render import render_announcement
from bot.telegram.context import Context

log = logging.getLogger(__name__)

RETENTION = "retention"
ANNOUNCE = "announce"
RETENTION_EVERY_S = 24 * 3600
ANNOUNCE_MAX = 20  # questions per announcement; more wait for the next one


async def purge_expired(context: Context) -> None:
    """Delete questions older than LOG_RETENTION_DAYS."""
    moderation = context.bot_data.moderation
    try:
        deleted = await asyncio.to_thread(moderation.purge_expired)
    except Exception:  # a locked database today is no reason to stop purging tomorrow
        log.exception("retention purge failed")
        return
    if deleted:
        log.info("retention: deleted %d questions older than %d days", deleted,
                 moderation.settings.log_retention_days)


async def announce_new_questions(context: Context) -> None:
    """One message to MODERATOR_CHAT_ID with the unanswered questions not yet announced."""
    data = context.bot_data
    if data.settings.moderator_chat_id is None:
        return
    pending = await asyncio.to_thread(data.log.unannounced, ANNOUNCE_MAX)
    if not pending:
        return
    try:
        await context.bot.send_message(data.settings.moderator_chat_id,
                                       render_announcement(pending), parse_mode="HTML")
    except TelegramError as error:  # the next round tries again
        log.warning("announcement to the moderators failed: %s", error)
        return
    await asyncio.to_thread(data.log.mark_announced, [q.id for q in pending])
