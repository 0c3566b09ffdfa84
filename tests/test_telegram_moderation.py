"""Moderators and citizens' data, through the fake Bot API with the real bot."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.domain.answer import Answer, Answerer
from bot.domain.question_log import Asked, QuestionLog, timestamp
from bot.present.texts import MODERATOR
from bot.telegram.jobs import ANNOUNCE
from bot.telegram.moderators import split_source
from fakes.telegram_api import Call, FakeTelegram
from tests import telegram_harness as harness

ALICE, BOB, MOD1, MOD2 = 501, 502, 601, 602
MODERATORS_GROUP = -100888
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"
CURATED_Q = "Mất thẻ căn cước thì cấp lại cần giấy tờ gì?"
PARAPHRASE = "Bị mất căn cước công dân, làm lại phải mang theo giấy tờ nào?"
UNACCENTED = "mat the can cuoc thi cap lai can giay to gi"
UNRELATED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
VERIFIED = "✅ Câu trả lời đã được cán bộ kiểm duyệt"
ROOT = Path(__file__).resolve().parent.parent


@asynccontextmanager
async def running(fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog,
                  **overrides: Any) -> AsyncIterator[Application]:
    """The bot with two moderators."""
    async with harness.running(fake, answerer, question_log,
                               **{"moderator_ids": {MOD1, MOD2}, **overrides}) as app:
        yield app


@pytest.fixture
async def bot(fake: FakeTelegram, answerer: Answerer,
              question_log: QuestionLog) -> AsyncIterator[Application]:
    async with running(fake, answerer, question_log) as app:
        yield app


def to(chat_id: int, containing: str = ""):
    return lambda c: c.params.get("chat_id") == chat_id and containing in (
        (c.result or {}).get("text", "") if isinstance(c.result, dict) else "")


def buttons(call: Call) -> list[str]:
    markup = call.result.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def ask_unanswered(fake: FakeTelegram, question_log: QuestionLog, user: int,
                         question: str) -> tuple[dict, int]:
    update = fake.push_text(user, question)
    reply = await fake.wait_for("sendMessage", to(user))
    assert "chưa có thông tin" in reply.result["text"]
    logged = question_log.latest()[0]
    assert logged.question == question and logged.review_state == "unanswered"
    return update, logged.id


async def open_review(fake: FakeTelegram, moderator: int) -> Call:
    fake.push_text(moderator, "/review")
    return await fake.wait_for("sendMessage", to(moderator, "Câu hỏi #"))


async def answer_as_moderator(fake: FakeTelegram, moderator: int, review: Call, action: str,
                              question_id: int, text: str) -> Call:
    fake.push_callback(moderator, review, f"rv:{action}:{question_id}")
    prompt = await fake.wait_for("sendMessage", to(moderator, "Gõ câu trả lời"))
    assert prompt.params["reply_markup"]["force_reply"] is True
    fake.push_text(moderator, text, reply_to=prompt.result)
    return await fake.wait_for("sendMessage", to(moderator, "Đã gửi câu trả lời"))


async def test_an_unanswered_question_shows_in_a_moderators_review_and_not_for_a_citizen(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    _, question_id = await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    review = await open_review(fake, MOD1)
    assert NOT_COVERED in review.result["text"]
    assert "chưa trả lời được" in review.result["text"]
    assert buttons(review) == [f"rv:{a}:{question_id}" for a in
                               ("ok", "edit", "faq", "skip", "spam")]
    fake.push_text(BOB, "/review")
    refused = await fake.wait_for("sendMessage", to(BOB))
    assert "chỉ dành cho cán bộ kiểm duyệt" in refused.result["text"]
    fake.push_callback(BOB, review, f"rv:spam:{question_id}")  # a forwarded keyboard
    alert = await fake.wait_for("answerCallbackQuery")
    assert "cán bộ kiểm duyệt" in alert.params["text"]
    assert len(question_log.latest()) == 1  # neither command was taken for a question
    assert question_log.question(question_id).review_state == "unanswered"


async def test_a_moderators_answer_reaches_the_citizen_as_a_reply_to_their_question(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    asked, question_id = await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    review = await open_review(fake, MOD1)
    text = "Giá vàng do các doanh nghiệp niêm yết <hằng ngày> & không thuộc phạm vi của phường."
    await answer_as_moderator(fake, MOD1, review, "edit", question_id, text)
    delivered = await fake.wait_for("sendMessage", to(ALICE, "cán bộ phụ trách"))
    assert delivered.result["text"] == f"💬 Trả lời từ cán bộ phụ trách:\n{text}"
    assert (delivered.result["reply_to_message"]["message_id"]
            == asked["message"]["message_id"])
    logged = question_log.question(question_id)
    assert logged.review_state == "reviewed" and logged.chat_id is None
    assert logged.moderator_answer == text
    assert len(question_log.latest()) == 1  # the moderator's text was not a question


async def test_a_pinned_answer_is_served_to_a_paraphrase_and_unaccented_question_only(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    _, question_id = await ask_unanswered(fake, question_log, ALICE, CURATED_Q)
    review = await open_review(fake, MOD1)
    done = await answer_as_moderator(
        fake, MOD1, review, "faq", question_id,
        "Mang tờ khai CC01 tới Công an phường nơi cư trú.\nhttps://dichvucong.gov.vn/cc01")
    assert "Đã lưu vào FAQ #1" in done.result["text"]
    await fake.wait_for("sendMessage", to(ALICE, "cán bộ phụ trách"))
    for question in (PARAPHRASE, UNACCENTED):
        fake.push_text(BOB, question)
        reply = await fake.wait_for("sendMessage", to(BOB))
        assert reply.result["text"].startswith(VERIFIED), question
        assert "Mang tờ khai CC01" in reply.result["text"]
        assert '<a href="https://dichvucong.gov.vn/cc01">' in reply.params["text"]
        assert buttons(reply)[:2] == [f"fb:{question_log.latest()[0].id}:1",
                                      f"fb:{question_log.latest()[0].id}:-1"]
    fake.push_text(BOB, UNRELATED)
    reply = await fake.wait_for("sendMessage", to(BOB))
    assert VERIFIED not in reply.result["text"] and "CC01" not in reply.result["text"]
    assert "Huân chương" in reply.result["text"]


async def test_spam_button_marks_the_question_spam(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    _, question_id = await ask_unanswered(fake, question_log, ALICE, "mua bán sim số đẹp giá rẻ")
    review = await open_review(fake, MOD1)
    fake.push_callback(MOD1, review, f"rv:spam:{question_id}")
    edited = await fake.wait_for("editMessageText")
    assert "Đã đánh dấu spam" in edited.result["text"] and "reply_markup" not in edited.result
    await fake.wait_for("sendMessage", to(MOD1, "Không còn câu hỏi"))
    logged = question_log.question(question_id)
    assert logged.review_state == "spam" and logged.chat_id is None


async def test_two_moderators_pressing_answer_at_once_one_wins_the_other_is_told(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    _, question_id = await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    first, second = await open_review(fake, MOD1), await open_review(fake, MOD2)
    fake.push_callback(MOD1, first, f"rv:edit:{question_id}")
    fake.push_callback(MOD2, second, f"rv:edit:{question_id}")
    refused = await fake.wait_for("answerCallbackQuery",
                                  lambda c: c.params.get("text") == MODERATOR.taken)
    assert refused.params["show_alert"] is True
    prompt = await fake.wait_for("sendMessage", lambda c: "Gõ câu trả lời" in c.params["text"])
    await fake.wait_for("answerCallbackQuery", lambda c: c.params.get("text") != MODERATOR.taken)
    prompts = [c for c in fake.calls_to("sendMessage") if "Gõ câu trả lời" in c.params["text"]]
    assert prompts == [prompt]
    winner = prompt.params["chat_id"]
    assert question_log.question(question_id).claimed_by == question_log.user_key(winner)


async def test_forget_me_erases_exactly_that_users_rows_after_confirmation(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    fake.push_text(ALICE, UNRELATED)
    await fake.wait_for("sendMessage", to(ALICE))
    await ask_unanswered(fake, question_log, BOB, NOT_COVERED)
    fake.push_text(ALICE, "/xoadulieu")
    confirm = await fake.wait_for("sendMessage", to(ALICE, "xoá toàn bộ 2 câu hỏi"))
    assert buttons(confirm) == [f"forget:yes:{ALICE}", f"forget:no:{ALICE}"]
    assert question_log.count_for_user(ALICE) == 2  # nothing happens before the button
    fake.push_callback(ALICE, confirm, f"forget:yes:{ALICE}")
    done = await fake.wait_for("editMessageText")
    assert done.result["text"] == "Đã xoá 2 câu hỏi của bạn."
    assert question_log.count_for_user(ALICE) == 0 and question_log.count_for_user(BOB) == 1
    fake.push_text(ALICE, "/forgetme", language_code="en")
    nothing = await fake.wait_for("sendMessage", to(ALICE))
    assert nothing.result["text"] == "No questions of yours are stored."


async def test_in_a_group_nobody_else_can_press_or_forge_someones_forget_me_buttons(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log, rate_limit_questions=50) as bot:
        await _forged_forget_presses_change_nothing(fake, bot, question_log)


async def _forged_forget_presses_change_nothing(fake: FakeTelegram, bot: Application,
                                                question_log: QuestionLog) -> None:
    group = -100555
    await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    await ask_unanswered(fake, question_log, BOB, NOT_COVERED)
    fake.push_text(ALICE, "/xoadulieu", chat_id=group, chat_type="supergroup")
    confirm = await fake.wait_for("sendMessage", to(group, "xoá toàn bộ 1 câu hỏi"))
    for data in (f"forget:yes:{ALICE}", f"forget:no:{ALICE}",  # Alice's buttons, Bob presses
                 f"forget:yes:{BOB}", f"forget:no:{BOB}",  # forged with Bob's own id
                 "forget:yes", "forget:no:" + "9" * 30):  # old and oversized forms
        mark = fake.mark()
        fake.push_callback(BOB, confirm, data)
        refused = await fake.wait_for("answerCallbackQuery", since=mark)
        assert "text" not in refused.params or "người đã đặt câu hỏi" in refused.params["text"]
    await bot.update_queue.join()
    assert fake.calls_to("editMessageText") == []  # Alice's confirmation was not touched
    assert question_log.count_for_user(ALICE) == 1 and question_log.count_for_user(BOB) == 1
    fake.push_callback(ALICE, confirm, f"forget:yes:{ALICE}")
    done = await fake.wait_for("editMessageText")
    assert done.result["text"] == "Đã xoá 1 câu hỏi của bạn."
    assert question_log.count_for_user(ALICE) == 0 and question_log.count_for_user(BOB) == 1


async def test_the_retention_job_deletes_only_rows_older_than_the_limit(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    unanswered = Answer("—", [], 0.0, False)
    ids = [question_log.record(Asked(user_id=ALICE, chat_type="private", question=q,
                                     answer=unanswered, latency_ms=5, chat_id=ALICE))
           for q in ("cũ", "vừa đủ", "mới")]
    with sqlite3.connect(question_log.path) as db:
        for question_id, days in zip(ids, (31, 29, 0), strict=True):
            moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
            db.execute("UPDATE questions SET asked_at = ? WHERE id = ?",
                       (timestamp(moment), question_id))
    async with running(fake, answerer, question_log, log_retention_days=30):
        assert question_log.question(ids[0]) is None
        assert question_log.question(ids[1]) is not None
        assert question_log.question(ids[2]) is not None


async def test_the_moderators_group_gets_one_batched_announcement(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log,
                       moderator_chat_id=MODERATORS_GROUP) as app:
        (announce,) = app.job_queue.get_jobs_by_name(ANNOUNCE)
        assert announce.job.trigger.interval.total_seconds() == 60  # not due during the test
        questions = [NOT_COVERED, CURATED_Q, "Tỷ giá đô la Mỹ hôm nay là bao nhiêu?"]
        for user, question in zip((ALICE, BOB, ALICE), questions, strict=True):
            await ask_unanswered(fake, question_log, user, question)
        assert fake.calls_to("sendMessage")[-1].params["chat_id"] != MODERATORS_GROUP
        await announce.run(app)
        announced = await fake.wait_for("sendMessage", to(MODERATORS_GROUP))
        text = announced.result["text"]
        assert text.startswith("🔔 3 câu hỏi mới") and all(q in text for q in questions)
        assert "/review" in text
        assert question_log.unannounced() == []
        await announce.run(app)  # nothing new: nothing sent
        assert [c.params["chat_id"] for c in fake.calls_to("sendMessage")].count(
            MODERATORS_GROUP) == 1


def test_review_export_csv_reads_back_vietnamese(sample_settings, tmp_path: Path) -> None:
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    log.record(Asked(user_id=ALICE, chat_type="private", answer=Answer("—", [], 0.0, False),
                     question="Đăng ký khai sinh ở đâu, “nhanh” nhất?", latency_ms=5))
    log.add_curated("Giờ làm việc của UBND phường?", "Từ 7h30 đến 17h, thứ Hai – thứ Sáu.")
    log.close()
    out = tmp_path / "xuất.csv"
    env = {"DATA_DIR": str(sample_settings.data_dir), "LOG_SECRET": "test-secret",
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "bot", "review", "export", str(out)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["question"] == "Đăng ký khai sinh ở đâu, “nhanh” nhất?"
    assert rows[1]["kind"] == "faq"
    assert rows[1]["answer"] == "Từ 7h30 đến 17h, thứ Hai – thứ Sáu."
    listed = subprocess.run([sys.executable, "-m", "bot", "review", "list", "--json",
                             "--state", "unanswered"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "Đăng ký khai sinh" in listed.stdout


async def test_faq_commands_add_list_edit_and_delete_curated_answers(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    fake.push_text(MOD1, "/faq add Giờ làm việc của UBND phường? | Từ 7h30 đến 17h. | "
                         "https://phuong.gov.vn/gio")
    await fake.wait_for("sendMessage", to(MOD1, "Đã lưu FAQ #1"))
    fake.push_text(MOD1, "/faq edit 1 Giờ làm việc của UBND phường? | Từ 8h đến 17h.")
    await fake.wait_for("sendMessage", to(MOD1, "Đã sửa FAQ #1"))
    fake.push_text(MOD1, "/faq")
    listed = await fake.wait_for("sendMessage", to(MOD1, "#1"))
    assert "Từ 8h đến 17h." in listed.result["text"]
    fake.push_text(MOD1, "/faq add chỉ có câu hỏi")
    await fake.wait_for("sendMessage", to(MOD1, "Cách dùng"))
    fake.push_text(BOB, "/faq list")
    await fake.wait_for("sendMessage", to(BOB, "chỉ dành cho cán bộ kiểm duyệt"))
    fake.push_text(MOD1, "/faq delete 1")
    await fake.wait_for("sendMessage", to(MOD1, "Đã xoá FAQ #1"))
    assert question_log.all_curated() == []


async def test_review_stats_and_skip(
        fake: FakeTelegram, bot: Application, question_log: QuestionLog) -> None:
    _, first = await ask_unanswered(fake, question_log, ALICE, NOT_COVERED)
    _, second = await ask_unanswered(fake, question_log, BOB, CURATED_Q)
    review = await open_review(fake, MOD1)
    assert f"Câu hỏi #{first}" in review.result["text"]
    fake.push_callback(MOD1, review, f"rv:skip:{first}")
    following = await fake.wait_for("sendMessage", to(MOD1, "Câu hỏi #"))
    assert f"Câu hỏi #{second}" in following.result["text"]
    fake.push_text(MOD1, "/review stats")
    stats = await fake.wait_for("sendMessage", to(MOD1, "Thống kê"))
    text = stats.result["text"]
    assert "Tổng số: 2; bot trả lời được: 0 (0%)" in text
    assert "chưa trả lời được: 2" in text and "trung vị" in text
    assert "giá vàng" in text or "căn cước" in text


def test_a_last_line_link_in_an_answer_becomes_its_source() -> None:
    assert split_source("Mang CCCD.\nhttps://a.vn/x") == ("Mang CCCD.", "https://a.vn/x")
    assert split_source("Xem https://a.vn/x nhé") == ("Xem https://a.vn/x nhé", None)
