"""What staff do on Telegram: /add URL, /reindex, /stats. Only users in STAFF_IDS.

The work (fetching, embedding) runs in a thread with its own model instance, so citizens'
questions never wait for it; the answering index swaps in the new generation on its own.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.present.render import (
    render_feed_states,
    render_index_stats,
    render_ingest,
    render_reindex,
)
from bot.present.texts import STAFF
from bot.telegram.access import require
from bot.telegram.citizens import current_stats
from bot.telegram.context import NO_PREVIEW, Context, staff_writer
from bot.telegram.jobs import CRAWL
from index import Library, load_feed_states

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0  # Telegram frowns on editing one message faster than this


class _Progress:
    """Edits one message with progress from a worker thread, at most every PROGRESS_EVERY_S."""

    def __init__(self, message: Message, loop: asyncio.AbstractEventLoop, label: str) -> None:
        self._message, self._loop, self._label = message, loop, label
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self, *args: object) -> None:
        done, total = args[-2], args[-1]
        with self._lock:
            now = time.monotonic()
            if now - self._last < PROGRESS_EVERY_S or not total:
                return
            self._last = now
        text = STAFF.progress.format(label=self._label, done=done, total=total)
        asyncio.run_coroutine_threadsafe(self._edit(text), self._loop)

    async def _edit(self, text: str) -> None:
        try:
            await self._message.edit_text(text)
        except Exception as error:  # progress is a courtesy: never fail the work for it
            log.debug("progress edit failed: %s", error)


async def add(update: Update, context: Context) -> None:
    """/add URL: fetch, extract and index in the background; reply with what happened."""
    await require("staff", update, context)
    message = update.effective_message
    urls = context.args or []
    if message is None:
        return
    if not urls:
        await message.reply_text(STAFF.add_usage)
        raise ApplicationHandlerStop
    data = context.bot_data
    status = await message.reply_text(STAFF.adding.format(count=len(urls)))
    progress = _Progress(status, asyncio.get_running_loop(), STAFF.adding_progress)
    library = Library(data.settings, index=staff_writer(data), on_progress=progress)
    report = await asyncio.to_thread(library.add_urls, urls)
    await status.edit_text(render_ingest(report), parse_mode="HTML",
                           link_preview_options=NO_PREVIEW)
    raise ApplicationHandlerStop


async def reindex(update: Update, context: Context) -> None:
    """/reindex: an incremental build of the knowledge folder, with a progress message."""
    await require("staff", update, context)
    message = update.effective_message
    if message is None:
        return
    status = await message.reply_text(STAFF.reindexing)
    progress = _Progress(status, asyncio.get_running_loop(), STAFF.reindex_progress)
    writer = staff_writer(context.bot_data)
    try:
        report = await asyncio.to_thread(writer.build, on_progress=progress)
    except Exception as error:  # a lock timeout, a model mismatch: say which
        await status.edit_text(STAFF.reindex_failed.format(error=error))
        raise ApplicationHandlerStop from None
    await status.edit_text(render_reindex(report))
    raise ApplicationHandlerStop


async def stats(update: Update, context: Context) -> None:
    """/stats: articles, passages, newest article, size on disk, model, generation; the last
    and next crawl of each feed of FEEDS."""
    await require("staff", update, context)
    message = update.effective_message
    if message is None:
        return
    data = context.bot_data
    info = await asyncio.to_thread(current_stats, data.answerer.index)
    text = render_index_stats(info)
    if data.settings.feeds:
        feeds = await asyncio.to_thread(load_feed_states, data.settings)
        crawl = context.job_queue.get_jobs_by_name(CRAWL) if context.job_queue else ()
        next_run = crawl[0].next_t if crawl else None
        text += "\n\n" + render_feed_states(list(feeds.values()), data.settings.crawl_every_s,
                                             next_run)
    await message.reply_html(text, link_preview_options=NO_PREVIEW)
    raise ApplicationHandlerStop
