"""Every face answers the same way: a curated answer saved by a moderator is served first by
`bot ask`, the console chat and Telegram alike, to the same question, a paraphrase and the
question typed without diacritics."""

from __future__ import annotations

import json

import pytest

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.present.texts import VI
from fakes.telegram_api import FakeTelegram
from tests.telegram_harness import running
from tests.test_cli import environment, run
from tests.test_telegram_bot import to

CURATED_Q = "Làm căn cước công dân ở đâu?"
CURATED_A = "Công dân làm căn cước tại bộ phận một cửa của Công an phường nơi cư trú."
ASKED_FORMS = [
    CURATED_Q,
    "Tôi muốn làm căn cước công dân thì làm ở đâu?",  # a paraphrase
    "lam can cuoc cong dan o dau",  # no diacritics
]
CITIZEN = 4242


@pytest.fixture
def curated(sample_settings) -> None:
    """The FAQ added the way staff do it: `python -m bot faq add`."""
    result = run("bot", "faq", "add", CURATED_Q, CURATED_A,
                 env=environment(sample_settings.data_dir))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("question", ASKED_FORMS)
def test_bot_ask_serves_the_curated_answer_first(sample_settings, curated, question: str) -> None:
    result = run("bot", "ask", "--json", question, env=environment(sample_settings.data_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["verified_by_moderators"] is True
    assert answer["answer"] == CURATED_A


def test_the_console_chat_serves_the_curated_answer_first(sample_settings, curated) -> None:
    typed = "".join(f"{q}\n" for q in ASKED_FORMS)
    result = run("bot", env=environment(sample_settings.data_dir), stdin=typed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(CURATED_A) == len(ASKED_FORMS)
    assert VI.verified in result.stdout


async def test_telegram_serves_the_same_curated_answer(fake: FakeTelegram, answerer: Answerer,
                                                      sample_settings, curated) -> None:
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    try:
        async with running(fake, answerer, log):
            for question in ASKED_FORMS:
                fake.push_text(CITIZEN, question)
                reply = await fake.wait_for("sendMessage", to(CITIZEN))
                assert CURATED_A in reply.params["text"]
                assert VI.verified in reply.params["text"]
    finally:
        log.close()


def test_bot_ask_logs_nothing_unless_asked_to(sample_settings) -> None:
    env = environment(sample_settings.data_dir)
    assert run("bot", "ask", "Rác cồng kềnh được thu gom khi nào?", env=env).returncode == 0
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    assert log.latest() == []
    log.close()
    assert run("bot", "ask", "--log", "Rác cồng kềnh được thu gom khi nào?",
               env=env).returncode == 0
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    assert [q.question for q in log.latest()] == ["Rác cồng kềnh được thu gom khi nào?"]
    log.close()
