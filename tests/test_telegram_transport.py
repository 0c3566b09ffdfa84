"""The bot's Bot API transport (aiohttp under PTB): forms, files, downloads and its errors."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData

from bot.telegram.transport import AiohttpRequest, never_sent
from fakes.telegram_api import FakeTelegram
from tests.telegram_harness import TOKEN

USER = 601


def _request(read_timeout: float = 5) -> AiohttpRequest:
    return AiohttpRequest(2, connect_timeout=2, read_timeout=read_timeout, write_timeout=5,
                          pool_timeout=2)


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url,
                   request=_request(), get_updates_request=_request()) as bot:
        yield bot


async def test_a_message_goes_as_a_form_and_its_answer_is_parsed(
        fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Xin chào <b>bạn</b>", parse_mode="HTML")
    call = fake.calls_to("sendMessage")[0]
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.params["text"] == "Xin chào <b>bạn</b>" and call.params["chat_id"] == USER
    assert sent.text == "Xin chào bạn" and sent.chat.id == USER


async def test_a_document_goes_as_multipart_with_its_fields(
        fake: FakeTelegram, bot: Bot) -> None:
    def stored(params: dict[str, Any]) -> dict[str, Any]:
        return fake._send_message({**params, "text": params.get("caption", "")})

    fake.on("sendDocument", stored)
    await bot.send_document(USER, b"ma,so\n1,2\n", filename="export.csv", caption="Xuất dữ liệu")
    call = fake.calls_to("sendDocument")[0]
    assert call.content_type == "multipart/form-data"
    assert call.files == {"document": b"ma,so\n1,2\n"}
    assert call.params["caption"] == "Xuất dữ liệu" and call.params["chat_id"] == USER


async def test_a_file_downloads_through_the_same_session(fake: FakeTelegram, bot: Bot) -> None:
    fake.push_voice(USER, content=b"OggS-voice")
    (update,) = await bot.get_updates(timeout=0)
    file = await update.message.voice.get_file()
    assert bytes(await file.download_as_bytearray()) == b"OggS-voice"


async def test_no_server_is_a_network_error_of_a_call_never_sent() -> None:
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = _request()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", RequestData())
    finally:
        await request.shutdown()
    assert never_sent(raised.value.__cause__)


async def test_an_answer_too_slow_is_a_timeout_that_may_have_been_done(
        fake: FakeTelegram) -> None:
    async def slow(params: dict[str, Any]) -> bool:
        await asyncio.sleep(2)
        return True

    fake.on("sendChatAction", slow)
    request = _request(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as raised:
            await request.post(f"{fake.base_url}{TOKEN}/sendChatAction", RequestData())
    finally:
        await request.shutdown()
    assert not never_sent(raised.value.__cause__)
