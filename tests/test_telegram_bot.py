"""The real bot (python-telegram-bot, polling) against the fake Bot API: what citizens see."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.domain.answer import Answer, Answerer
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.telegram import app as app_module
from fakes.telegram_api import Call, FakeTelegram
from index import Index
from tests.telegram_harness import running
from tests.test_answer import CITES_A_LOWER_RANKED_ARTICLE

ALICE, BOB = 501, 502
GROUP = -100777
ANSWERED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"
HOAN_KIEM_URL = ("https://hoankiem.hanoi.gov.vn/xay-dung-chinh-quyen/"
                 "quan-hoan-kiem-day-manh-cac-phong-trao-thi-dua-tao-suc-lan-toa-sau-rong")


@pytest.fixture
async def bot(fake: FakeTelegram, answerer: Answerer,
              question_log: QuestionLog) -> AsyncIterator[Application]:
    async with running(fake, answerer, question_log) as app:
        yield app


async def settle(fake: FakeTelegram, app: Application, update: dict[str, Any]) -> None:
    """Wait until the bot has fetched `update` and finished every update it holds."""
    await fake.wait_for("getUpdates", lambda c: int(c.params.get("offset") or 0)
                        > update["update_id"], since=0)
    await app.update_queue.join()


def to(chat_id: int):
    return lambda c: c.params.get("chat_id") == chat_id


def buttons(call: Call) -> list[str]:
    markup = call.result.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


# ---------------------------------------------------------------------------- greeting

async def test_start_says_what_the_bot_knows_and_registers_the_commands(
        fake: FakeTelegram, bot: Application) -> None:
    fake.push_text(ALICE, "/start")
    call = await fake.wait_for("sendMessage", to(ALICE))
    text = call.result["text"]
    assert call.params["parse_mode"] == "HTML"
    assert "Xin chào" in text and "10 bài viết" in text
    assert "Cổng thông tin điện tử quận Ba Đình" in text and "và 6 nguồn khác" in text
    assert "05/06/2024" in text  # the newest sample article
    assert text.count("• ") == 3
    commands = fake.commands[fake._scope_key({})]
    assert [c["command"] for c in commands] == ["start", "help", "hoi", "privacy", "xoadulieu"]
    english = fake.commands[fake._scope_key({"language_code": "en"})]
    assert "ask" in [c["command"] for c in english]


async def test_help_is_in_english_for_an_english_telegram(
        fake: FakeTelegram, bot: Application) -> None:
    fake.push_text(ALICE, "/help", language_code="en")
    call = await fake.wait_for("sendMessage", to(ALICE))
    assert call.result["text"].startswith("Hello!")
    assert "10 articles" in call.result["text"]


async def test_privacy_says_what_is_stored_and_for_how_long(
        fake: FakeTelegram, bot: Application) -> None:
    fake.push_text(ALICE, "/privacy")
    text = (await fake.wait_for("sendMessage", to(ALICE))).result["text"]
    assert "mã bí danh" in text and "180 ngày" in text and "số điện thoại" in text


# ---------------------------------------------------------------------------- answers

async def test_question_is_answered_with_a_linked_source_and_buttons(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, ANSWERED)
    call = await fake.wait_for("sendMessage", to(ALICE))
    html = call.params["text"]
    assert "Ban Dân vận Quận ủy Hoàn Kiếm" in call.result["text"]
    assert "<b>Nguồn:</b>" in html
    assert f'<a href="{HOAN_KIEM_URL}">Quận Hoàn Kiếm đẩy mạnh' in html
    assert "Kinh tế &amp; Đô thị, 16/02/2023" in html
    assert call.params["link_preview_options"] == {"is_disabled": True}
    (logged,) = question_log.latest()
    assert buttons(call) == [f"fb:{logged.id}:1", f"fb:{logged.id}:-1", f"more:{logged.id}:1"]
    assert logged.answered and logged.question == ANSWERED and logged.chat_type == "private"
    assert logged.sources[0]["url"] == HOAN_KIEM_URL and logged.hits
    assert logged.user_key == question_log.user_key(ALICE) != str(ALICE)
    assert logged.latency_ms >= 0 and logged.review_state == "none" and logged.chat_id is None


async def test_unanswerable_question_gets_a_plain_reply_and_is_logged_unanswered(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, NOT_COVERED)
    call = await fake.wait_for("sendMessage", to(ALICE))
    assert "chưa có thông tin" in call.result["text"]
    assert "cán bộ" in call.result["text"]  # passed on to the moderators
    assert "reply_markup" not in call.result and "parse_mode" not in call.params
    (logged,) = question_log.latest()
    assert not logged.answered and logged.review_state == "unanswered"
    assert logged.chat_id == ALICE  # kept while it awaits review


async def test_more_never_repeats_the_article_the_answer_quoted(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, CITES_A_LOWER_RANKED_ARTICLE)
    answer = await fake.wait_for("sendMessage", to(ALICE))
    (logged,) = question_log.latest()
    quoted = logged.sources[0]["url"]
    assert quoted in answer.params["text"]
    fake.push_callback(ALICE, answer, f"more:{logged.id}:1")
    more = await fake.wait_for("sendMessage", to(ALICE))
    assert more.result["text"].count("\n\n") == 3
    assert quoted not in more.params["text"]


async def test_thumbs_up_is_stored_and_the_buttons_become_a_thank_you(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, ANSWERED)
    answer = await fake.wait_for("sendMessage", to(ALICE))
    question_id = question_log.latest()[0].id
    fake.push_callback(BOB, answer, f"fb:{question_id}:1")  # not the asker
    refused = await fake.wait_for("answerCallbackQuery")
    assert "người đặt câu hỏi" in refused.params["text"]
    fake.push_callback(ALICE, answer, f"fb:{question_id}:1")
    thanks = await fake.wait_for("answerCallbackQuery")
    assert thanks.params["text"] == "Cảm ơn bạn!"
    edit = await fake.wait_for("editMessageReplyMarkup")
    assert buttons(edit) == ["noop", f"more:{question_id}:1"]
    logged = question_log.question(question_id)
    assert logged is not None and logged.feedback == 1 and logged.review_state == "none"


async def test_thumbs_down_sends_the_question_to_review(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, ANSWERED)
    answer = await fake.wait_for("sendMessage", to(ALICE))
    question_id = question_log.latest()[0].id
    fake.push_callback(ALICE, answer, f"fb:{question_id}:-1")
    await fake.wait_for("editMessageReplyMarkup")
    logged = question_log.question(question_id)
    assert logged is not None and logged.feedback == -1
    assert logged.review_state == "downvoted" and logged.chat_id == ALICE


async def test_more_sends_the_next_passages_for_the_same_question(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, ANSWERED)
    answer = await fake.wait_for("sendMessage", to(ALICE))
    question_id = question_log.latest()[0].id
    fake.push_callback(ALICE, answer, f"more:{question_id}:1")
    more = await fake.wait_for("sendMessage", to(ALICE))
    assert more.result["text"].startswith("Các đoạn liên quan khác:")
    assert more.result["text"].count("\n\n") == 3  # three passages under the heading
    assert '<a href="https://' in more.params["text"]
    assert more.result["reply_to_message"]["message_id"] == answer.result["message_id"]
    assert buttons(more) == [f"more:{question_id}:4"]
    edit = await fake.wait_for("editMessageReplyMarkup")
    assert buttons(edit) == [f"fb:{question_id}:1", f"fb:{question_id}:-1"]
    await fake.wait_for("answerCallbackQuery")


async def test_nobody_else_can_read_the_passages_retrieved_for_someones_question(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, f"@hoidap_test_bot {ANSWERED}", chat_id=GROUP, chat_type="supergroup")
    alices = await fake.wait_for("sendMessage", to(GROUP))
    alice_question = question_log.latest()[0].id
    fake.push_text(BOB, ANSWERED)
    bobs = await fake.wait_for("sendMessage", to(BOB))
    presses = [(alices, f"more:{alice_question}:1"),  # Alice's button, in the group
               (bobs, f"more:{alice_question}:1"),  # forged under Bob's own answer
               (bobs, f"more:{alice_question}:4")]
    for message, data in presses:
        mark = fake.mark()
        fake.push_callback(BOB, message, data)
        refused = await fake.wait_for("answerCallbackQuery", since=mark)
        assert refused.params.get("text") in (None, "Nút này dành cho người đã đặt câu hỏi.")
    await bot.update_queue.join()
    assert not [m for m in fake.sent_messages() if "Các đoạn liên quan" in m["text"]]
    fake.push_callback(ALICE, alices, f"more:{alice_question}:1")
    more = await fake.wait_for("sendMessage", to(GROUP))
    assert more.result["text"].startswith("Các đoạn liên quan khác:")


@pytest.mark.parametrize("data", [
    "more:99999999999999999999:1", "more:1:99999999999999999999", "fb:1:1\n", "more:١:1",
    "fb:" + "9" * 19 + ":1", "rv:ok:" + "9" * 30, "forget:yes:" + "9" * 30, "more:1:12",
    "more:-1:1", "fb:1:2", "", ":", "more::", "x" * 64])
async def test_forged_callback_data_is_answered_or_ignored_never_an_error(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog,
        caplog: pytest.LogCaptureFixture, data: str) -> None:
    fake.push_text(ALICE, ANSWERED)
    answer = await fake.wait_for("sendMessage", to(ALICE))
    press = fake.push_callback(ALICE, answer, data)
    await settle(fake, bot, press)
    assert "failed" not in caplog.text and "Traceback" not in caplog.text
    assert len(fake.sent_messages(ALICE)) == 1  # no error reply, no passages


async def test_edited_question_is_answered_anew(fake: FakeTelegram, bot: Application) -> None:
    first = fake.push_text(ALICE, "Giá vàng?")
    await fake.wait_for("sendMessage", to(ALICE))
    fake.push_edited_text(first, ANSWERED)
    call = await fake.wait_for("sendMessage", to(ALICE))
    assert "Huân chương Lao động hạng Ba" in call.result["text"]
    assert call.result["reply_to_message"]["message_id"] == first["message"]["message_id"]


async def test_too_short_gets_the_help_hint_and_too_long_asks_to_shorten(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    for wordless in ("?", "😀😀😀", "..."):  # nothing to search, nothing for moderators
        fake.push_text(ALICE, wordless)
        assert "/help" in (await fake.wait_for("sendMessage", to(ALICE))).result["text"]
    fake.push_text(ALICE, "hỏi " * 200)
    assert "dài quá" in (await fake.wait_for("sendMessage", to(ALICE))).result["text"]
    assert question_log.latest() == []


async def test_a_sticker_gets_one_polite_line(fake: FakeTelegram, bot: Application) -> None:
    fake.push_sticker(ALICE)
    call = await fake.wait_for("sendMessage", to(ALICE))
    assert call.result["text"].startswith("Tôi chỉ đọc được tin nhắn chữ")
    fake.push_voice(ALICE)
    fake.push_location(ALICE)
    await fake.wait_for("sendMessage", to(ALICE))
    await fake.wait_for("sendMessage", to(ALICE))


# ---------------------------------------------------------------------------- groups

async def test_group_answers_only_when_addressed(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    chatter = fake.push_text(ALICE, ANSWERED, chat_id=GROUP, chat_type="supergroup")
    await settle(fake, bot, chatter)
    assert fake.sent_messages(GROUP) == []  # not addressed to the bot: ignored

    asked = fake.push_text(ALICE, f"/hoi {ANSWERED}", chat_id=GROUP, chat_type="supergroup")
    call = await fake.wait_for("sendMessage", to(GROUP))
    assert "Huân chương Lao động hạng Ba" in call.result["text"]
    assert call.result["reply_to_message"]["message_id"] == asked["message"]["message_id"]
    assert question_log.latest()[0].chat_type == "supergroup"

    fake.push_text(BOB, f"@hoidap_test_bot {ANSWERED}", chat_id=GROUP, chat_type="supergroup")
    assert "Nguồn:" in (await fake.wait_for("sendMessage", to(GROUP))).result["text"]
    assert question_log.latest()[0].question == ANSWERED  # the mention is not the question

    fake.push_text(BOB, "Còn quận Tây Hồ thì sao?", chat_id=GROUP, chat_type="supergroup",
                   reply_to=call.result)
    await fake.wait_for("sendMessage", to(GROUP))

    fake.push_text(ALICE, "/ask", chat_id=GROUP, chat_type="supergroup")
    usage = await fake.wait_for("sendMessage", to(GROUP))
    assert "/hoi" in usage.result["text"]


# ---------------------------------------------------------------------------- limits

async def test_burst_from_one_user_gives_one_notice_while_others_are_answered(
        fake: FakeTelegram, bot: Application) -> None:
    for _ in range(20):
        last = fake.push_text(ALICE, ANSWERED)
    fake.push_text(BOB, ANSWERED)
    bob = await fake.wait_for("sendMessage", to(BOB))
    assert "Nguồn:" in bob.result["text"]
    await settle(fake, bot, last)
    texts = [m["text"] for m in fake.sent_messages(ALICE)]
    notices = [t for t in texts if t.startswith("Bạn hỏi hơi nhanh")]
    assert len(notices) == 1
    assert len(texts) == 5 + 1  # the default 5 questions per 30 s, then one notice
    assert all("Nguồn:" in t for t in texts if t not in notices)


async def test_a_burst_of_any_command_or_button_gets_one_notice_then_silence(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    carol, dave, moderator = 503, 504, 601
    async with running(fake, answerer, question_log, moderator_ids={moderator}) as app:
        for command in ("/xoadulieu", "/add https://example.org/a", "/privacy", "/review"):
            for _ in range(30):
                last = fake.push_text(carol, command)
            await settle(fake, app, last)
            texts = [m["text"] for m in fake.sent_messages(carol)]
            notices = [t for t in texts if t.startswith("Bạn hỏi hơi nhanh")]
            assert len(texts) == 6 and len(notices) == 1, (command, texts)
            fake.calls.clear()
            question_log.forget_full_buckets(before=float("inf"))  # the next burst anew
        fake.push_text(ALICE, ANSWERED)
        answer = await fake.wait_for("sendMessage", to(ALICE))
        for _ in range(30):
            last = fake.push_callback(dave, answer, "noop")
        await settle(fake, app, last)
        answered = [c.params.get("text") for c in fake.calls_to("answerCallbackQuery")]
        assert len(answered) == 6
        assert len([t for t in answered if t and t.startswith("Bạn hỏi hơi nhanh")]) == 1
        for _ in range(10):  # moderators (and staff) are trusted: never limited
            last = fake.push_text(moderator, "/faq list")
        await settle(fake, app, last)
        assert len(fake.sent_messages(moderator)) == 10


# ---------------------------------------------------------------------------- rendering

async def test_article_markup_is_escaped(fake: FakeTelegram, sample_settings: BotSettings,
                                         tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(sample_settings.knowledge_dir, knowledge)
    (knowledge / "samples" / "2024-07-01-trang-tien-tiep-dan.md").write_text(
        '---\ntitle: "Phường Tràng Tiền tiếp dân <b>&\\"\'<script>"\n'
        'url: "https://example.org/trang-tien?a=1&b=\\"2\\""\n'
        "published: 2024-07-01\nsource: \"Báo <i>Phường</i>\"\n---\n"
        "Phường Tràng Tiền tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở "
        "<b>&\"'<script> của UBND phường.\n", encoding="utf-8")
    settings = sample_settings.model_copy(update={"knowledge_dir": knowledge})
    index = Index(settings)
    report = index.build(show_progress=False)
    assert report.embedded_passages == 1  # the samples keep their vectors
    log = QuestionLog.open(tmp_path, "test-secret")
    try:
        async with running(fake, Answerer(index, settings), log):
            fake.push_text(ALICE, "Phường Tràng Tiền tiếp công dân vào ngày nào?")
            call = await fake.wait_for("sendMessage", to(ALICE))
    finally:
        log.close()
    html = call.params["text"]
    assert call.ok  # Telegram's HTML parser accepted it
    assert "&lt;b&gt;&amp;&quot;&#x27;&lt;script&gt;" in html
    assert "<script>" not in html and "<b>&" not in html
    assert 'href="https://example.org/trang-tien?a=1&amp;b=&quot;2&quot;"' in html
    assert "Báo &lt;i&gt;Phường&lt;/i&gt;" in html
    assert "<b>&\"'<script>" in call.result["text"]  # shown to the user exactly as written


class _LongAnswerer(Answerer):
    def answer(self, question: str, after: str | None = None) -> Answer:
        real = super().answer(question)
        source = dataclasses.replace(real.sources[0], title="Tiêu đề " * 60, publisher="Báo & Đài",
                                     url="https://example.org/" + "x" * 3000)
        text = "Một câu trả lời rất dài <b>&amp; " * 900
        return dataclasses.replace(real, text=text, sources=[source] * 3)


async def test_a_very_long_answer_is_cut_cleanly(fake: FakeTelegram, answerer: Answerer,
                                                 question_log: QuestionLog) -> None:
    long_answerer = _LongAnswerer(answerer.index, answerer.settings)
    async with running(fake, long_answerer, question_log):
        fake.push_text(ALICE, ANSWERED)
        call = await fake.wait_for("sendMessage", to(ALICE))
    assert call.ok
    html = call.params["text"]
    assert len(html.encode("utf-16-le")) // 2 <= 4096
    body = html.split("\n\n<b>Nguồn:</b>")[0]
    assert body.endswith("…") and body[-2] != " "
    assert body.removesuffix("…").split()[-1] in {"Một", "câu", "trả", "lời", "rất", "dài",
                                                   "&lt;b&gt;&amp;amp;"}
    assert html.count("<b>") == html.count("</b>")


class _HeldAnswerer(Answerer):
    """Answers only once the test lets it: a slow answer, without timing anything."""

    def __init__(self, index: Index, settings: BotSettings) -> None:
        super().__init__(index, settings)
        self.release = threading.Event()

    def answer(self, question: str, after: str | None = None) -> Answer:
        self.release.wait(timeout=60)
        return super().answer(question, after=after)


async def test_a_quick_answer_is_sent_without_a_typing_indicator(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log, typing_after_s=4.5):
        fake.push_text(ALICE, ANSWERED)
        call = await fake.wait_for("sendMessage", to(ALICE))
    assert "Nguồn:" in call.result["text"]
    assert fake.calls_to("sendChatAction") == []


async def test_a_slow_answer_shows_typing_until_it_is_sent(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    held = _HeldAnswerer(answerer.index, answerer.settings)
    async with running(fake, held, question_log, typing_after_s=0.05):
        fake.push_text(ALICE, ANSWERED)
        typing = await fake.wait_for("sendChatAction", to(ALICE))
        assert typing.params["action"] == "typing"
        assert fake.calls_to("sendMessage") == []  # still answering
        held.release.set()
        call = await fake.wait_for("sendMessage", to(ALICE))
    assert "Nguồn:" in call.result["text"]
    assert typing.index < call.index


# ---------------------------------------------------------------------------- failures

class _FailingAnswerer(Answerer):
    def answer(self, question: str, after: str | None = None) -> Answer:
        if "hỏng" in question:
            raise RuntimeError("the index exploded")
        return super().answer(question)


async def test_a_handler_exception_gives_the_error_reply_and_the_bot_keeps_serving(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog,
        caplog: pytest.LogCaptureFixture) -> None:
    failing = _FailingAnswerer(answerer.index, answerer.settings)
    async with running(fake, failing, question_log):
        broken = fake.push_text(ALICE, "Câu hỏi làm hỏng bot")
        error = await fake.wait_for("sendMessage", to(ALICE))
        assert error.result["text"].startswith("Xin lỗi, đã có lỗi")
        fake.push_text(ALICE, ANSWERED)
        call = await fake.wait_for("sendMessage", to(ALICE))
        assert "Nguồn:" in call.result["text"]
    assert f"update {broken['update_id']} failed" in caplog.text


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own
async def test_429_with_retry_after_is_waited_out_and_the_reply_delivered(
        fake: FakeTelegram, bot: Application) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=1)
    fake.push_text(ALICE, ANSWERED)
    call = await fake.wait_for("sendMessage", lambda c: c.ok and to(ALICE)(c))
    assert "Nguồn:" in call.result["text"]
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 200]


async def test_5xx_and_network_errors_are_retried_with_backoff(
        fake: FakeTelegram, bot: Application) -> None:
    fake.fail_next("sendMessage", status=502)
    fake.fail_next("sendMessage", status=500)
    fake.push_text(ALICE, ANSWERED)
    call = await fake.wait_for("sendMessage", lambda c: c.ok and to(ALICE)(c))
    assert "Nguồn:" in call.result["text"]
    assert [c.status for c in fake.calls_to("sendMessage")] == [502, 500, 200]


async def test_a_reply_that_timed_out_is_never_sent_twice(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(app_module, "READ_TIMEOUT_S", 1)

    async def delivered_but_slow(params: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(1.5)  # Telegram delivers it; its answer comes too late
        return fake._send_message(params)

    fake.on("sendMessage", delivered_but_slow)
    async with running(fake, answerer, question_log) as app:
        question = fake.push_text(ALICE, ANSWERED)
        await settle(fake, app, question)
        await asyncio.sleep(2 * 1.5)  # time for any retry (backoff 0.5 s) to arrive
    sent = fake.calls_to("sendMessage")
    assert len(sent) == 1 and "Nguồn:" in sent[0].result["text"]  # no resend, no error reply
    assert "sendMessage to chat 501 not confirmed" in caplog.text


async def test_phone_number_in_a_question_is_masked_in_the_log(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(ALICE, "Tôi ở Hoàn Kiếm, số 0912 345 678, email an@example.com: "
                          "ai được tặng Huân chương Lao động hạng Ba?")
    await fake.wait_for("sendMessage", to(ALICE))
    (logged,) = question_log.latest()
    assert "0912" not in logged.question and "345 678" not in logged.question
    assert "an@example.com" not in logged.question
    assert "[số điện thoại]" in logged.question and "[email]" in logged.question


async def test_a_new_index_generation_is_served_without_restart(
        fake: FakeTelegram, bot: Application, sample_settings: BotSettings,
        tmp_path: Path) -> None:
    knowledge = tmp_path / "more-knowledge"
    shutil.copytree(sample_settings.knowledge_dir, knowledge)
    (knowledge / "2024-08-01-phuc-tan-ve-sinh.md").write_text(
        '---\ntitle: "Phường Phúc Tân ra quân tổng vệ sinh môi trường"\n'
        "published: 2024-08-01\nsource: \"Cổng thông tin phường Phúc Tân\"\n---\n"
        "Phường Phúc Tân tổ chức ra quân tổng vệ sinh môi trường vào sáng Chủ nhật 4/8/2024 "
        "với sự tham gia của 300 người dân và đoàn viên thanh niên.\n", encoding="utf-8")
    staff = Index(sample_settings.model_copy(update={"knowledge_dir": knowledge}))
    staff.build(show_progress=False)  # another process publishes a new generation
    # The running bot loads it in the background and swaps it in when ready: wait for that.
    await asyncio.to_thread(bot.bot_data.answerer.index.reload_if_changed, True)
    fake.push_text(ALICE, "/start")
    assert "11 bài viết" in (await fake.wait_for("sendMessage", to(ALICE))).result["text"]
    fake.push_text(ALICE, "Phường Phúc Tân tổng vệ sinh môi trường vào ngày nào?")
    call = await fake.wait_for("sendMessage", to(ALICE))
    assert "4/8/2024" in call.result["text"]


async def test_a_generation_published_elsewhere_is_picked_up_without_any_question(
        bot: Application, sample_settings: BotSettings, tmp_path: Path) -> None:
    from bot.telegram.jobs import NEW_INDEX

    knowledge = tmp_path / "more-knowledge"
    shutil.copytree(sample_settings.knowledge_dir, knowledge)
    (knowledge / "2024-08-02-phuc-tan.md").write_text(
        '---\ntitle: "Phường Phúc Tân lắp đèn chiếu sáng ngõ"\npublished: 2024-08-02\n---\n'
        "Phường Phúc Tân lắp 40 bộ đèn chiếu sáng tại các ngõ nhỏ trong tháng 8/2024.\n",
        encoding="utf-8")
    served = bot.bot_data.answerer.index
    before = served.generation
    Index(sample_settings.model_copy(update={"knowledge_dir": knowledge})).build(
        show_progress=False)
    job = bot.job_queue.get_jobs_by_name(NEW_INDEX)[0]
    await job.run(bot)  # what the job queue does every few seconds
    for _ in range(150):  # the background load: nobody asks anything meanwhile
        if served.generation > before:
            break
        await asyncio.sleep(0.2)
    assert served.generation > before
