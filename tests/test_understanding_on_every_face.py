"""What a citizen sees when the bot understands the question: English answered in English,
follow-ups read with the previous question (private chats and groups, until it expires),
greetings answered socially, and a quote that does not hold what was asked never sent."""

from __future__ import annotations

import asyncio
import json

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.present.texts import EN, VI
from fakes.telegram_api import FakeTelegram
from tests.telegram_harness import running
from tests.test_cli import environment, run
from tests.test_telegram_bot import GROUP, to

SEED_IN_ENGLISH = "Who won the Labour Order in Hoàn Kiếm?"
FIRST = "Quận Hoàng Mai tiếp công dân vào ngày nào?"
FOLLOW_UP = "ở đâu?"
CITIZEN, NEIGHBOUR = 7001, 7002


def ask(settings, *args: str) -> dict:
    result = run("bot", "ask", "--json", *args, env=environment(settings.data_dir))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_seed_question_asked_in_english_is_answered_with_its_vietnamese_quote(
        sample_settings) -> None:
    answer = ask(sample_settings, SEED_IN_ENGLISH)
    assert answer["answered"] is True and answer["language"] == "en"
    assert "Ban Dân vận" in answer["answer"]
    assert "Hoàn Kiếm" in answer["sources"][0]["title"]


def test_a_follow_up_is_read_with_the_previous_question(sample_settings) -> None:
    alone = ask(sample_settings, FOLLOW_UP)
    assert alone["answered"] is False
    followed = ask(sample_settings, "--after", FIRST, FOLLOW_UP)
    assert followed["answered"] is True
    assert "Hoàng Mai" in followed["sources"][0]["title"]
    assert "Hoàng Mai" in followed["question"]


def test_a_greeting_gets_a_friendly_word_not_a_refusal(sample_settings) -> None:
    answer = ask(sample_settings, "xin chào")
    assert answer["small_talk"] == "greeting" and answer["sources"] == []
    assert VI.not_covered not in answer["answer"]
    assert "10 bài viết" in answer["answer"]  # what the bot knows


def test_a_quote_that_does_not_hold_what_was_asked_is_not_sent(sample_settings) -> None:
    # The samples mention bringing an ID card to a citizens' reception, not where to get one.
    answer = ask(sample_settings, "Làm căn cước công dân ở đâu?")
    assert answer["answered"] is False


async def test_an_english_question_is_answered_in_english_on_telegram(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log):
        fake.push_text(CITIZEN, SEED_IN_ENGLISH, language_code="vi")
        reply = await fake.wait_for("sendMessage", to(CITIZEN))
    text = reply.params["text"]
    assert "Ban Dân vận" in text
    assert EN.sources in text and VI.sources not in text


async def test_a_vietnamese_question_is_answered_in_vietnamese_in_an_english_client(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    # Many citizens run Telegram in English; the words they typed say how to reply.
    async with running(fake, answerer, question_log):
        fake.push_text(CITIZEN, "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?",
                       language_code="en")
        answered = await fake.wait_for("sendMessage", to(CITIZEN))
        (logged,) = question_log.latest()
        fake.push_callback(CITIZEN, answered, f"more:{logged.id}:1", language_code="en")
        more = await fake.wait_for("sendMessage", to(CITIZEN))
        fake.push_text(CITIZEN, "Giá vàng hôm nay bao nhiêu?", language_code="en")
        refused = await fake.wait_for("sendMessage", to(CITIZEN))
        fake.push_text(CITIZEN, "xin chao", language_code="en")
        greeted = await fake.wait_for("sendMessage", to(CITIZEN))
    assert VI.sources in answered.params["text"] and EN.sources not in answered.params["text"]
    buttons = [b["text"] for row in answered.params["reply_markup"]["inline_keyboard"]
               for b in row]
    assert VI.more in buttons
    assert more.result["text"].startswith("Các đoạn liên quan khác:")
    assert VI.not_covered in refused.params["text"]
    assert "Xin chào" in greeted.params["text"]


async def test_a_follow_up_in_a_private_chat_and_its_expiry(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log, conversation_ttl_s=2.0):
        fake.push_text(CITIZEN, FIRST)
        await fake.wait_for("sendMessage", to(CITIZEN))
        fake.push_text(CITIZEN, FOLLOW_UP)
        followed = await fake.wait_for("sendMessage", to(CITIZEN))
        assert "Hoàng Mai" in followed.params["text"]
        # Moderators see the follow-up as it was read, not a bare "ở đâu?".
        assert "Hoàng Mai" in question_log.latest()[0].question
        await asyncio.sleep(2.5)  # the context expires
        fake.push_text(CITIZEN, FOLLOW_UP)
        expired = await fake.wait_for("sendMessage", to(CITIZEN))
        assert VI.not_covered in expired.params["text"]


async def test_start_forgets_the_context(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log):
        fake.push_text(CITIZEN, FIRST)
        await fake.wait_for("sendMessage", to(CITIZEN))
        fake.push_text(CITIZEN, "/start")
        await fake.wait_for("sendMessage", to(CITIZEN))
        fake.push_text(CITIZEN, FOLLOW_UP)
        reply = await fake.wait_for("sendMessage", to(CITIZEN))
    assert VI.not_covered in reply.params["text"]


async def test_a_follow_up_in_a_group_is_read_with_the_same_persons_question(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    async with running(fake, answerer, question_log):
        fake.push_text(CITIZEN, f"/hoi {FIRST}", chat_id=GROUP, chat_type="supergroup")
        await fake.wait_for("sendMessage", to(GROUP))
        fake.push_text(NEIGHBOUR, f"/hoi {FOLLOW_UP}", chat_id=GROUP, chat_type="supergroup")
        other = await fake.wait_for("sendMessage", to(GROUP))
        fake.push_text(CITIZEN, f"/hoi {FOLLOW_UP}", chat_id=GROUP, chat_type="supergroup")
        same = await fake.wait_for("sendMessage", to(GROUP))
    assert VI.not_covered in other.params["text"]  # another person's question is no context
    assert "Hoàng Mai" in same.params["text"]
