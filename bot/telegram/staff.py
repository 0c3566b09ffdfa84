"""What staff do on Telegram: /add URL, /reindex, /stats. Only users in STAFF_IDS.

The work (fetching, embedding) runs in a thread with its own model instance, so citizens'
questions never wait for it; the answering index swaps in the new generation on its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
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
PROGRESS_DRAIN_S = 10.0  # the final report waits this long at most for progress edits in flight


class _Progress:
    """Edits one message with progress from a worker thread, at most every PROGRESS_EVERY_S,
    naming the stage it hears ("fetch", "embed"). `finish` before the final report: after it
    no progress edit is started, and the ones under way (or being retried) have landed."""

    def __init__(self, message: Message, loop: asyncio.AbstractEventLoop) -> None:
        self._message, self._loop = message, loop
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self._closed = False
        self._pending: set[concurrent.futures.Future] = set()

    def __call__(self, *args: object) -> None:
        stage = args[0] if len(args) == 3 else "embed"
        done, total = args[-2], args[-1]
        template = STAFF.fetching_progress if stage == "fetch" else STAFF.embedding_progress
        with self._lock:
            now = time.monotonic()
            if self._closed or now - self._last < PROGRESS_EVERY_S or not total:
                return
            self._last = now
            future = asyncio.run_coroutine_threadsafe(
                self._edit(template.format(done=done, total=total)), self._loop)
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: concurrent.futures.Future) -> None:
        with self._lock:
            self._pending.discard(future)

    async def _edit(self, text: str) -> None:
        if self._closed:
            return
        try:
            await self._message.edit_text(text)
        except Exception as error:  # progress is a courtesy: never fail the work for it
            log.debug("progress edit failed: %s", error)

    async def finish(self) -> None:
        """Stop editing; wait for edits under way (PROGRESS_DRAIN_S at most, then cancel)."""
        with self._lock:
            self._closed = True
            pending = [asyncio.wrap_future(f) for f in self._pending]
        if pending:
            _, late = await asyncio.wait(pending, timeout=PROGRESS_DRAIN_S)
            for future in late:
                future.cancel()


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
    progress = _Progress(status, asyncio.get_running_loop())
    library = Library(data.settings, index=staff_writer(data), on_progress=progress)
    try:
        report = await asyncio.to_thread(library.add_urls, urls)
        # The report says "added" once citizens are served the new article, not before.
        await asyncio.to_thread(data.answerer.index.reload_if_changed, True)
    finally:
        await progress.finish()  # the final report always wins
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
    progress = _Progress(status, asyncio.get_running_loop())
    writer = staff_writer(context.bot_data)
    try:
        report = await asyncio.to_thread(writer.build, on_progress=progress)
    except Exception as error:  # a lock timeout, a model mismatch: say which
        await progress.finish()
        await status.edit_text(STAFF.reindex_failed.format(error=error))
        raise ApplicationHandlerStop from None
    await asyncio.to_thread(context.bot_data.answerer.index.reload_if_changed, True)
    await progress.finish()  # the final report always wins
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
