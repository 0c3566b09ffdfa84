"""Starting the real bot against the fake Bot API, shared by the Telegram tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr
from telegram.ext import Application

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.telegram.app import build_application, start, stop
from fakes.telegram_api import FakeTelegram

TOKEN = "123456:TEST"


@asynccontextmanager
async def running(fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog,
                  **overrides: Any) -> AsyncIterator[Application]:
    """The bot as `python -m bot` builds it, pointed at the fake server; settings overridable."""
    settings = answerer.settings.model_copy(update={
        "telegram_bot_token": SecretStr(TOKEN), "telegram_base_url": fake.base_url,
        **overrides})
    app = build_application(settings, answerer, question_log)
    await start(app, settings, listen="127.0.0.1", poll_timeout=1)
    try:
        yield app
    finally:
        await stop(app)
