"""Real python-telegram-bot against the fake Bot API: proves the fake speaks PTB's protocol."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakes.telegram_api import FakeTelegram

USER = 4242


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    text = f"Bạn hỏi: {update.effective_message.text}"
    await update.effective_message.reply_text(text, do_quote=True)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Nguồn", callback_data="src:1")]])
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "<b>Xin chào</b> 👋",
                                   parse_mode="HTML", reply_markup=keyboard)


async def _on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Đang mở nguồn")
    await query.edit_message_text(f"Nguồn số {query.data.split(':')[1]}")


def _build(fake: FakeTelegram) -> Application:
    app = (ApplicationBuilder().token("123456:TEST").base_url(fake.base_url)
           .base_file_url(fake.base_file_url).build())
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return app


@pytest.fixture
async def polling_app(fake: FakeTelegram) -> AsyncIterator[Application]:
    app = _build(fake)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_echo_and_command_round_trip(fake: FakeTelegram, polling_app: Application) -> None:
    pushed = fake.push_text(USER, "Làm căn cước ở đâu?")
    call = await fake.wait_for("sendMessage")
    assert call.params["chat_id"] == USER
    assert call.params["text"] == "Bạn hỏi: Làm căn cước ở đâu?"
    assert call.params["reply_parameters"]["message_id"] == pushed["message"]["message_id"]
    assert call.result["reply_to_message"]["text"] == "Làm căn cước ở đâu?"

    fake.push_text(USER, "/start@hoidap_test_bot")
    call = await fake.wait_for("sendMessage")
    assert call.params["parse_mode"] == "HTML"
    assert call.result["text"] == "Xin chào 👋"  # Telegram stores the rendered text
    assert fake.sent_messages(USER)[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Nguồn"
    assert [c.method for c in fake.calls[:2]] == ["getMe", "deleteWebhook"]


async def test_callback_query_round_trip(fake: FakeTelegram, polling_app: Application) -> None:
    fake.push_text(USER, "/start")
    sent = await fake.wait_for("sendMessage")
    fake.push_callback(USER, sent, "src:7")
    answer = await fake.wait_for("answerCallbackQuery")
    assert answer.params["text"] == "Đang mở nguồn"
    edit = await fake.wait_for("editMessageText")
    assert edit.result["text"] == "Nguồn số 7"
    assert edit.result["message_id"] == sent.result["message_id"]
    assert "reply_markup" not in edit.result  # edited without a keyboard: Telegram drops it


async def test_group_mention_entities(fake: FakeTelegram, polling_app: Application) -> None:
    update = fake.push_text(USER, "@hoidap_test_bot cấp đổi hộ chiếu?", chat_id=-100123,
                            chat_type="supergroup")
    assert update["message"]["entities"] == [{"type": "mention", "offset": 0, "length": 16}]
    call = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == -100123)
    assert call.result["chat"]["type"] == "supergroup"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_is_retry_after(fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=3)
    fake.fail_next("sendMessage", status=500)
    async with _build(fake) as app:
        with pytest.raises(RetryAfter) as info:
            await app.bot.send_message(USER, "xin chào")
        retry = info.value.retry_after  # int today; timedelta with PTB_TIMEDELTA=1
        assert getattr(retry, "total_seconds", lambda: retry)() == 3
        with pytest.raises(Exception, match="Internal Server Error"):
            await app.bot.send_message(USER, "xin chào")
        message = await app.bot.send_message(USER, "xin chào")
        assert message.text == "xin chào" and message.from_user.username == "hoidap_test_bot"
        with pytest.raises(BadRequest, match="not modified"):
            await message.edit_text("xin chào")
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 500, 200]


async def test_long_poll_waits_then_wakes(fake: FakeTelegram) -> None:
    async with _build(fake) as app:
        started = asyncio.get_running_loop().time()
        assert await app.bot.get_updates(timeout=0.3) == ()
        assert asyncio.get_running_loop().time() - started >= 0.25
        mark = fake.mark()
        poll = asyncio.create_task(app.bot.get_updates(timeout=5))
        await fake.wait_for("getUpdates", since=mark)  # the poll is parked on the server
        fake.push_sticker(USER)
        (update,) = await asyncio.wait_for(poll, 2)
        assert update.message.sticker.emoji == "👍"
        assert await app.bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
        assert fake.updates == []


async def test_raw_protocol_json_get_and_unknown(fake: FakeTelegram) -> None:
    """Other clients send JSON bodies or GET query strings; both decode the same way."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}1:X/sendMessage", json={
                "chat_id": -5, "text": "a", "reply_markup": '{"inline_keyboard": []}'}) as r:
            assert (await r.json())["result"]["chat"] == {"id": -5, "type": "group"}
        async with http.get(f"{fake.base_url}1:X/getme") as r:
            assert (await r.json())["result"]["username"] == "hoidap_test_bot"
        async with http.post(f"{fake.base_url}1:X/sendTeleport") as r:
            assert r.status == 404 and (await r.json())["error_code"] == 404
    assert fake.calls[0].params["reply_markup"] == {"inline_keyboard": []}
    assert [c.method for c in fake.calls] == ["sendMessage", "getMe", "sendTeleport"]


async def test_media_updates_parse_and_download(fake: FakeTelegram) -> None:
    """Every push helper yields JSON that PTB parses; file downloads use base_file_url."""
    first = fake.push_text(USER, "Hỏi thuế đất", chat_id=-4001, chat_type="group")
    fake.push_photo(USER, caption="giấy tờ")
    fake.push_voice(USER, content=b"OggS-voice")
    fake.push_location(USER)
    fake.push_edited_text(first, "Hỏi thuế đất 2025")
    async with _build(fake) as app:
        photo, voice, location, edited = (await app.bot.get_updates(timeout=0))[1:]
        assert photo.message.caption == "giấy tờ" and len(photo.message.photo) == 3
        assert location.message.location.latitude == pytest.approx(21.0285)
        assert edited.edited_message.text == "Hỏi thuế đất 2025"
        assert edited.edited_message.chat.type == "group"
        file = await voice.message.voice.get_file()
        assert bytes(await file.download_as_bytearray()) == b"OggS-voice"
