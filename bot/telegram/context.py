"""What every handler and job shares: `context.bot_data`, typed, and the reply options."""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field

from telegram import LinkPreviewOptions
from telegram.error import TimedOut
from telegram.ext import CallbackContext, ExtBot

from bot.domain.conversation import Conversations
from bot.domain.curated import CuratedAnswers, CuratedFirst
from bot.domain.metrics import BotMetrics
from bot.domain.moderation import Moderation
from bot.domain.question_log import QuestionLog
from bot.domain.ratelimit import RateLimiter
from bot.settings import BotSettings
from bot.web.context import WebContext
from index import Index, load_embedder

# Links in answers point at the sources; a preview of the first one would crowd the answer.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class Unconfirmed(TimedOut):
    """A call that reached Telegram (or may have) without an answer: it may have taken effect,
    so it is neither repeated nor followed by an error reply."""


@dataclass
class BotData:
    """The domain objects handlers use. PTB creates it empty (ContextTypes needs that);
    `bot.telegram.app.build_application` fills every field before the bot starts."""

    settings: BotSettings = field(init=False)
    answerer: CuratedFirst = field(init=False)
    log: QuestionLog = field(init=False)
    limiter: RateLimiter = field(init=False)
    executor: Executor = field(init=False)  # answering is CPU work: never on the event loop
    moderation: Moderation = field(init=False)
    curated: CuratedAnswers = field(init=False)
    conversations: Conversations = field(init=False)  # each chat's last question, in memory
    staff_index: Index | None = None  # what /add, /reindex and crawls write, made on first use
    metrics: BotMetrics = field(default_factory=BotMetrics)
    web: WebContext | None = None  # the web console's objects, when it is served


_MAKING_WRITER = threading.Lock()  # the crawl job (a worker thread) and a command may race


def staff_writer(data: BotData) -> Index:
    """The index staff commands and scheduled crawls write through, with a private embedder
    (built on first use), so citizens' questions never wait for their embedding."""
    with _MAKING_WRITER:
        if data.staff_index is None:
            embedder = load_embedder(data.settings.embedding_model, shared=False,
                                     engine=data.settings.embedding_engine)
            data.staff_index = Index.open(data.settings, embedder=embedder)
    return data.staff_index


Context = CallbackContext[ExtBot, dict, dict, BotData]
