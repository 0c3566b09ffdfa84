"""What staff do on Telegram: /add URL, /reindex, /stats. Only users in STAFF_IDS.

The work (fetching, embedding) runs in a thread with its own model instance, so citizens'
questions never wait for it; the answering index swaps in the new generation on its own.
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
import time

from telegram import LinkPreviewOptions, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram.citizens import Services, services
from index import Index, IngestReport, Library, load_embedder

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0  # Telegram frowns on editing one message faster than this
NOT_ALLOWED = "Xin lỗi, lệnh này chỉ dành cho cán bộ quản trị nội dung."
ADD_USAGE = "Cách dùng: /add <đường dẫn bài viết> [đường dẫn khác ...]"


def _writer(svc: Services, bot_data: dict) -> Index:
    """The index staff commands write through, with a private embedder (built on first use)."""
    writer = bot_data.get("staff_index")
    if writer is None:
        embedder = load_embedder(svc.settings.embedding_model, shared=False)
        writer = Index.open(svc.settings, embedder=embedder)
        bot_data["staff_index"] = writer
    return writer


async def _staff_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for staff. Anyone else is told no, the attempt is logged, and the update stops
    here (ApplicationHandlerStop), so it is not taken for a citizen's question either."""
    user, message = update.effective_user, update.effective_message
    svc = services(context)
    if user is not None and user.id in svc.settings.staff_ids:
        return True
    command = message.text.split()[0] if message and message.text else "?"
    log.warning("staff command %s refused for user %s", command,
                svc.log.user_key(user.id)[:12] if user else "unknown")
    if message is not None:
        await message.reply_text(NOT_ALLOWED)
    raise ApplicationHandlerStop


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
        text = f"{self._label}: {done}/{total} đoạn văn..."
        asyncio.run_coroutine_threadsafe(self._edit(text), self._loop)

    async def _edit(self, text: str) -> None:
        try:
            await self._message.edit_text(text)
        except Exception as error:  # progress is a courtesy: never fail the work for it
            log.debug("progress edit failed: %s", error)


async def add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add URL: fetch, extract and index in the background; reply with what happened."""
    if not await _staff_only(update, context):
        return
    message = update.effective_message
    urls = context.args or []
    if message is None:
        return
    if not urls:
        await message.reply_text(ADD_USAGE)
        raise ApplicationHandlerStop
    svc = services(context)
    status = await message.reply_text(f"Đang tải và lập chỉ mục {len(urls)} bài viết...")
    progress = _Progress(status, asyncio.get_running_loop(), "Đang lập chỉ mục")
    writer = _writer(svc, context.bot_data)
    library = Library(svc.settings, index=writer, on_progress=progress)
    report = await asyncio.to_thread(library.add_urls, urls)
    await status.edit_text(_render_ingest(report), parse_mode="HTML",
                           link_preview_options=LinkPreviewOptions(is_disabled=True))
    raise ApplicationHandlerStop


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reindex: an incremental build of the knowledge folder, with a progress message."""
    if not await _staff_only(update, context):
        return
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    status = await message.reply_text("Đang cập nhật chỉ mục...")
    progress = _Progress(status, asyncio.get_running_loop(), "Đang nhúng")
    writer = _writer(svc, context.bot_data)
    try:
        report = await asyncio.to_thread(writer.build, on_progress=progress)
    except Exception as error:  # a lock timeout, a model mismatch: say which
        await status.edit_text(f"Không cập nhật được chỉ mục: {error}")
        raise ApplicationHandlerStop from None
    lines = [f"Đã cập nhật chỉ mục (thế hệ {report.generation}): {len(report.added)} bài mới, "
             f"{len(report.updated)} bài sửa, {len(report.removed)} bài xóa, "
             f"{len(report.unchanged)} bài không đổi; {report.embedded_passages} đoạn được nhúng "
             f"trong {report.seconds:.0f} giây."]
    lines += [f"Tệp lỗi: {bad}" for bad in report.bad[:10]]
    await status.edit_text("\n".join(lines))
    raise ApplicationHandlerStop


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: articles, passages, newest article, size on disk, model, generation."""
    if not await _staff_only(update, context):
        return
    message = update.effective_message
    if message is None:
        return
    index = services(context).answerer.index
    info = await asyncio.to_thread(_fresh_stats, index)
    newest = (f"{html.escape(info.newest.title)} ({info.newest.published:%d/%m/%Y})"
              if info.newest and info.newest.published else "—")
    await message.reply_html(
        f"<b>Chỉ mục thế hệ {info.generation}</b>\n"
        f"Bài viết: {info.articles}\nĐoạn văn: {info.passages}\nBài mới nhất: {newest}\n"
        f"Dung lượng: {info.size_bytes / 1e6:.1f} MB\n"
        f"Mô hình: {html.escape(info.embedding_model)} ({info.dim} chiều, FAISS "
        f"{html.escape(info.faiss_factory)})"
    )
    raise ApplicationHandlerStop


def _fresh_stats(index: Index):
    index.reload_if_changed()
    return index.stats()


def _render_ingest(report: IngestReport) -> str:
    """One line per URL: what happened, the title, how many passages; the reason on failure."""
    labels = {"added": "Đã thêm", "updated": "Đã cập nhật", "unchanged": "Không đổi",
              "removed": "Đã xóa", "failed": "Lỗi"}
    lines = []
    for item in report.items:
        if item.status == "failed":
            lines.append(f"❌ {html.escape(item.input)}: {html.escape(item.reason or '')}")
        else:
            title = html.escape(item.title or item.input)
            lines.append(f"✅ {labels[item.status]}: <b>{title}</b> ({item.passages} đoạn văn)")
    if report.error:
        lines.append(f"❌ {html.escape(report.error)}")
    return "\n".join(lines) or "Không có gì để thêm."
