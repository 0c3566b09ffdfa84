"""The answerer every face uses (Telegram, console chat, `bot ask`, the web): the moderators'
curated answers first, then the articles. Built here and only here, so a curated answer a
moderator saves is served the same way whichever face a citizen uses.
"""

from __future__ import annotations

import logging
import sys

from threadpoolctl import threadpool_limits

from bot.domain.answer import Answerer
from bot.domain.curated import CuratedAnswers, CuratedFirst
from bot.domain.question_log import QuestionLog, log_secret
from bot.settings import BotSettings
from index import Index, load_embedder

log = logging.getLogger(__name__)


def open_answerer(settings: BotSettings, build_if_missing: bool = True,
                  threads: int | None = None) -> Answerer:
    """The articles' answerer over DATA_DIR's index; when nothing was built yet, build it from
    KNOWLEDGE_DIR first. One model handle per answer worker; `threads` per handle and for the
    process's linear algebra (None: the libraries' defaults, every core)."""
    if threads is not None:
        limit_linear_algebra(threads)
    index = Index.open(settings, embedder=load_embedder(
        settings.embedding_model, handles=settings.answer_workers, threads=threads,
        engine=settings.embedding_engine))
    if not index.is_built and build_if_missing:
        print(f"Chưa có chỉ mục trong {settings.index_dir}: đang xây dựng từ "
              f"{settings.knowledge_dir} (lần sau dùng `python -m index build`) ...",
              file=sys.stderr)
        report = index.build()
        for bad in report.bad:
            print(f"  bỏ qua tệp lỗi: {bad}", file=sys.stderr)
    return Answerer(index, settings)


def limit_linear_algebra(threads: int) -> None:
    """Numpy's BLAS (and FAISS's) use `threads` threads from now on, whenever they were loaded.
    Where answer workers are the parallelism, a BLAS thread per core only spins between the
    small products an answer makes: it took a third of the bot's CPU under load (news, 5,000
    passages: 88 -> 54 ms CPU an answer with it limited to 1)."""
    threadpool_limits(limits=threads, user_api="blas")


def curated_first(answerer: Answerer, question_log: QuestionLog,
                  settings: BotSettings) -> CuratedFirst:
    """The answerer the faces use: curated answers (matched with the index's model) first."""
    return CuratedFirst(answerer, CuratedAnswers(question_log, settings, answerer.index))


def open_question_log(settings: BotSettings, production: bool = False) -> QuestionLog:
    """The question log at DATABASE_URL (or under DATA_DIR), keyed by LOG_SECRET (or the one
    generated into DATA_DIR, see `log_secret`); `production` refuses the placeholder instead
    (ValueError, as is a database that cannot be opened)."""
    secret = log_secret(settings.log_secret.get_secret_value(), settings.data_dir, production)
    return QuestionLog.open(settings.data_dir, secret, settings.low_confidence,
                            url=settings.database_url.get_secret_value())


def open_assistant(settings: BotSettings, question_log: QuestionLog,
                   threads: int | None = None) -> CuratedFirst:
    """`open_answerer`, with the curated answers in `question_log` in front of it."""
    return curated_first(open_answerer(settings, threads=threads), question_log, settings)
