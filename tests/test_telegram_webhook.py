"""Webhook mode: the server on PORT checks WEBHOOK_SECRET, in constant time, on every request."""

from __future__ import annotations

import hmac
import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.telegram import webhook
from bot.telegram.app import build_application, start, stop, webhook_options
from fakes.telegram_api import FakeTelegram, auto_entities, post_update_to_webhook

ALICE, MODERATOR = 601, 701
SECRET = "s3cret-Webhook_token-0123456789abcdefXYZ"  # 40 characters


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(update_id: int, text: str, user: int = ALICE) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user, "type": "private"},
        "from": {"id": user, "is_bot": False, "first_name": "An", "language_code": "vi"},
        "text": text, "entities": auto_entities(text)}}


@pytest.fixture
async def webhook_bot(fake: FakeTelegram, answerer: Answerer,
                      sample_settings: BotSettings) -> AsyncIterator[tuple[Application, str]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = answerer.settings.model_copy(update={
        "telegram_bot_token": SecretStr("123456:TEST"), "telegram_base_url": fake.base_url,
        "webhook_url": url, "webhook_secret": SecretStr(SECRET), "port": port,
        "moderator_ids": {MODERATOR}})
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


def test_a_short_guessable_webhook_secret_is_refused_at_start() -> None:
    settings = BotSettings(_env_file=None, webhook_url="https://bot.example.org/telegram")
    for weak in ("a", "x" * 31, "é" * 40, "a" * 31 + " "):
        with pytest.raises(ValueError, match=r"secrets\.token_urlsafe"):
            webhook_options(settings.model_copy(update={"webhook_secret": SecretStr(weak)}))
    assert webhook_options(settings.model_copy(update={
        "webhook_secret": SecretStr("A" * 32)}))["secret_token"] == "A" * 32


async def test_a_forged_faq_add_without_the_exact_secret_is_refused(
        fake: FakeTelegram, webhook_bot: tuple[Application, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    app, url = webhook_bot
    compared: list[bytes] = []
    constant_time = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append(given)
        return constant_time(given, expected)

    monkeypatch.setattr(webhook.hmac, "compare_digest", spy)
    forged = "/faq add Giờ làm việc? | Không làm việc nữa"
    guesses = ["a", SECRET[:-1], SECRET[:-1] + "!", SECRET + "x", "ä" * len(SECRET), ""]
    for update_id, guess in enumerate(guesses, start=1):
        status = await post_update_to_webhook(url, _update(update_id, forged, MODERATOR),
                                              secret=guess or None)
        assert status == 403, guess
    assert len(compared) == len(guesses)  # every guess went through the constant-time check
    await app.update_queue.join()
    assert app.bot_data.curated.list() == [] and fake.sent_messages() == []
