"""What every web view shares: the domain objects, built once by `bot.web.app`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from telegram import Bot

from bot.domain.console_access import ConsoleAccess
from bot.domain.console_store import ConsoleStore
from bot.domain.curated import CuratedFirst
from bot.domain.metrics import BotMetrics
from bot.domain.moderation import Moderation
from bot.domain.question_log import QuestionLog
from bot.domain.ratelimit import RateLimiter
from bot.settings import BotSettings
from bot.web.knowledge_jobs import KnowledgeJobs
from bot.web.overview_cache import OverviewCache


@dataclass
class WebContext:
    settings: BotSettings
    log: QuestionLog
    store: ConsoleStore
    access: ConsoleAccess
    moderation: Moderation
    assistant: CuratedFirst
    limiter: RateLimiter
    executor: Executor  # answering is CPU work: never on the event loop
    metrics: BotMetrics
    jobs: KnowledgeJobs
    client_secret: str  # signs the web chat's pseudonymous client cookie
    bot: Bot | None = None  # delivers moderators' answers; None in console mode
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    overview: OverviewCache = field(default_factory=lambda: OverviewCache())

    @property
    def secure_cookies(self) -> bool:
        return bool(self.settings.web_base_url and self.settings.web_base_url.startswith(
            "https://"))
