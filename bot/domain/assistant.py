"""Opening the answer pipeline for any front end (console, command line, Telegram)."""

from __future__ import annotations

import logging
import sys

from bot.domain.answer import Answerer
from bot.settings import BotSettings
from index import Index, load_embedder

log = logging.getLogger(__name__)


def open_answerer(settings: BotSettings, build_if_missing: bool = True,
                  threads: int | None = None) -> Answerer:
    """The index from DATA_DIR; when nothing was built yet, build it from KNOWLEDGE_DIR first.
    One model handle per answer worker; `threads` per handle (None: the engine's default)."""
    index = Index.open(settings, embedder=load_embedder(
        settings.embedding_model, handles=settings.answer_workers, threads=threads))
    if not index.is_built and build_if_missing:
        print(f"Chưa có chỉ mục trong {settings.index_dir}: đang xây dựng từ "
              f"{settings.knowledge_dir} (lần sau dùng `python -m index build`) ...",
              file=sys.stderr)
        report = index.build()
        for bad in report.bad:
            print(f"  bỏ qua tệp lỗi: {bad}", file=sys.stderr)
    return Answerer(index, settings)
