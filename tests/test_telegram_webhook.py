"""Webhook mode: PTB's server on PORT checks WEBHOOK_SECRET on every request."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.telegram.app import build_application, start, stop, webhook_options
from tests.fake_telegram import FakeTelegram, auto_entities, post_update_to_webhook

ALICE = 601
SECRET = "s3cret-Webhook_token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": ALICE, "type": "private"},
        "from": {"id": ALICE, "is_bot": False, "first_name": "An", "language_code": "vi"},
        "text": text, "entities": auto_entities(text)}}


@pytest.fixture
async def webhook_bot(fake: FakeTelegram, answerer: Answerer,
                      sample_settings: BotSettings) -> AsyncIterator[tuple[Application, str]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = answerer.settings.model_copy(update={
        "telegram_bot_token": SecretStr("123456:TEST"), "telegram_base_url": fake.base_url,
        "webhook_url": url, "webhook_secret": SecretStr(SECRET), "port": port})
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    app = build_application(settings, answerer, log)
    await start(app, settings, listen="127.0.0.1")
    try:
        yield app, url
    finally:
        await stop(app)
        log.close()


async def test_webhook_refuses_a_post_without_the_secret_and_accepts_one_with_it(
        fake: FakeTelegram, webhook_bot: tuple[Application, str]) -> None:
    app, url = webhook_bot
    assert fake.webhook["url"] == url and fake.webhook["secret_token"] == SECRET
    assert set(fake.webhook["allowed_updates"]) == {"message", "edited_message",
                                                     "callback_query"}
    assert await post_update_to_webhook(url, _update(1, "/start")) == 403
    assert await post_update_to_webhook(url, _update(2, "/start"), secret="wrong") == 403
    assert await post_update_to_webhook(url, _update(3, "/start"), secret=SECRET) == 200
    call = await fake.wait_for("sendMessage")
    assert call.params["chat_id"] == ALICE and "Xin chào" in call.result["text"]
    await app.update_queue.join()
    assert len(fake.sent_messages()) == 1  # only the update that carried the secret


async def test_updates_pushed_by_telegram_reach_the_webhook_and_are_answered(
        fake: FakeTelegram, webhook_bot: tuple[Application, str]) -> None:
    fake.push_text(ALICE, "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?")
    call = await fake.wait_for("sendMessage")
    assert "Nguồn:" in call.result["text"]
    assert fake.webhook_deliveries == [(1, 200)]


def test_a_webhook_without_a_valid_secret_is_refused_at_start() -> None:
    settings = BotSettings(_env_file=None, webhook_url="https://bot.example.org/telegram")
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        webhook_options(settings)
    bad = settings.model_copy(update={"webhook_secret": SecretStr("has spaces!")})
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        webhook_options(bad)
    good = settings.model_copy(update={"webhook_secret": SecretStr(SECRET), "port": 8443})
    options = webhook_options(good)
    assert options["url_path"] == "telegram" and options["port"] == 8443
    assert options["secret_token"] == SECRET and options["listen"] == "0.0.0.0"
