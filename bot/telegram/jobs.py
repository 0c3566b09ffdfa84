"""Work on the JobQueue, not triggered by a user: retention, announcements to moderators and
the scheduled crawl of FEEDS.

`bot.telegram.app.build_application` schedules them; a test runs one with `job.run(app)`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError

from bot.present.render import render_announcement, render_crawl_summary
from bot.telegram.context import NO_PREVIEW, BotData, Context, staff_writer
from index import IngestReport, Library, LockTimeoutError

log = logging.getLogger(__name__)

RETENTION = "retention"
ANNOUNCE = "announce"
CRAWL = "crawl"
NEW_INDEX = "new-index"
RETENTION_EVERY_S = 24 * 3600
# How often the bot looks for an index generation published by another process (the CLI, a
# crawl): it is then loaded in the background, so the next question is already served by it.
NEW_INDEX_EVERY_S = 5.0
ANNOUNCE_MAX = 20  # questions per announcement; more wait for the next one


async def pick_up_new_index(context: Context) -> None:
    """Start loading a newer index generation, if one was published; the current one serves
    until it is ready. Reading one small file, so cheap enough to do often."""
    await asyncio.to_thread(context.bot_data.answerer.index.reload_if_changed)


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
    # Taken (marked) before sending: of replicas running this job at once, one announces each.
    pending = await asyncio.to_thread(data.log.take_unannounced, ANNOUNCE_MAX)
    if not pending:
        return
    try:
        await context.bot.send_message(data.settings.moderator_chat_id,
                                       render_announcement(pending), parse_mode="HTML")
    except TelegramError as error:  # the next round (here or on another replica) tries again
        log.warning("announcement to the moderators failed: %s", error)
        await asyncio.to_thread(data.log.mark_announced, [q.id for q in pending], False)


async def crawl_feeds(context: Context) -> None:
    """Every CRAWL_INTERVAL: crawl FEEDS as `python -m index crawl --all` does, in a worker
    thread on the staff's model instance; tell staff when something was added, updated or
    failed (never when nothing changed)."""
    data = context.bot_data
    try:
        report = await asyncio.to_thread(_crawl, data)
    except LockTimeoutError as error:  # a crawl, /add or /reindex is writing: next round
        log.info("scheduled crawl skipped this round, the index is busy: %s", error)
        return
    except Exception:  # a bad round is no reason to stop crawling
        log.exception("scheduled crawl failed")
        return
    log.info("scheduled crawl: %s", report.summary())
    for note in report.notes:
        log.info("scheduled crawl: %s", note)
    if not (report.added or report.updated or report.failed or report.error):
        return
    if report.added or report.updated:  # staff are told once citizens are served the news
        await asyncio.to_thread(data.answerer.index.reload_if_changed, True)
    text = render_crawl_summary(report)
    for chat_id in data.settings.staff_chats:
        try:
            await context.bot.send_message(chat_id, text, parse_mode="HTML",
                                           link_preview_options=NO_PREVIEW)
        except TelegramError as error:  # the index is updated either way
            log.warning("crawl summary to staff chat %s failed: %s", chat_id, error)


def _crawl(data: BotData) -> IngestReport:
    return Library(data.settings, index=staff_writer(data)).crawl_all(scheduled=True)
