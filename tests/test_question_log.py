"""The question log: what is stored about a question, and what never is."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.domain.answer import Answer, Answerer
from bot.domain.console_store import ConsoleStore, QuestionFilter
from bot.domain.database import IntegrityError, OperationalError
from bot.domain.question_log import (
    FILENAME,
    MIGRATIONS,
    SECRET_FILENAME,
    Asked,
    QuestionLog,
    log_secret,
)
from bot.settings import BotSettings
from bot.telegram.app import run_telegram
from tests.conftest import BACKENDS

ALICE, BOB = 987654321, 987654322
ANSWERED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def answered(answerer: Answerer) -> Answer:
    answer = answerer.answer(ANSWERED)
    assert answer.answered and answer.confidence >= 0.6
    return answer


def _asked(answer: Answer, question: str = ANSWERED, user_id: int = ALICE) -> Asked:
    return Asked(user_id=user_id, chat_type="private", question=question, answer=answer,
                 latency_ms=123, chat_id=user_id, message_id=42, language="vi",
                 index_generation=1)


def test_a_question_is_stored_with_its_answer_sources_scores_and_latency(
        log: QuestionLog, answered: Answer) -> None:
    question_id = log.record(_asked(answered))
    logged = log.question(question_id)
    assert logged is not None
    assert logged.question == ANSWERED and logged.answer == answered.text
    assert logged.answered and logged.confidence == pytest.approx(answered.confidence)
    assert logged.sources[0]["title"] == answered.sources[0].title
    assert logged.sources[0]["published"] == "2023-02-16"
    assert [h["passage"] for h in logged.hits] == [h.passage_id for h in answered.hits]
    assert all(isinstance(h["score"], float) for h in logged.hits)
    assert logged.latency_ms == 123 and logged.chat_type == "private"
    assert logged.asked_at.endswith("+00:00") and logged.feedback is None


def test_users_are_stored_only_as_a_keyed_pseudonym(tmp_path: Path, log: QuestionLog,
                                                    answered: Answer) -> None:
    log.record(_asked(answered))
    key = log.latest()[0].user_key
    assert key == log.user_key(ALICE) and len(key) == 64
    assert key != log.user_key(BOB)
    other = QuestionLog(tmp_path / "other.sqlite3", "secret-2")  # another secret
    assert other.user_key(ALICE) != key  # without LOG_SECRET the key cannot be recomputed
    other.close()
    stored = "".join(str(v) for q in log.latest() for v in dataclasses.astuple(q))
    assert str(ALICE) not in stored
    if log.path is not None:  # SQLite: not anywhere in the file either
        assert str(ALICE).encode() not in log.path.read_bytes()


def test_personal_data_is_masked_before_it_is_stored(tmp_path: Path, log: QuestionLog,
                                                     answered: Answer) -> None:
    log.record(_asked(answered, "Tôi số 0912345678, CCCD 001099012345, a@b.vn: hỏi thủ tục"))
    stored = log.latest()[0].question
    assert stored == "Tôi số [số điện thoại], CCCD [số giấy tờ], [email]: hỏi thủ tục"
    log.close()
    for path in tmp_path.glob(f"{FILENAME}*"):  # SQLite: the database and its write-ahead log
        assert b"0912345678" not in path.read_bytes()


def test_the_chat_is_kept_only_while_a_question_awaits_review(
        log: QuestionLog, answerer: Answerer, answered: Answer) -> None:
    confident = log.question(log.record(_asked(answered)))
    unanswered = log.question(log.record(_asked(answerer.answer(NOT_COVERED), NOT_COVERED)))
    shaky = log.question(log.record(_asked(dataclasses.replace(answered, confidence=0.5))))
    assert confident.review_state == "none" and confident.chat_id is None
    assert unanswered.review_state == "unanswered" and unanswered.chat_id == ALICE
    assert shaky.review_state == "low" and shaky.chat_id == ALICE
    assert confident.message_id == 42  # alone it identifies nobody


def test_feedback_counts_only_from_the_asker_and_a_thumbs_down_queues_for_review(
        log: QuestionLog, answered: Answer) -> None:
    question_id = log.record(_asked(answered))
    assert not log.record_feedback(question_id, BOB, 1)
    assert not log.record_feedback(question_id + 99, ALICE, 1)
    assert log.record_feedback(question_id, ALICE, 1)
    assert log.question(question_id).feedback == 1
    assert log.record_feedback(question_id, ALICE, -1, chat_id=ALICE, message_id=42)
    logged = log.question(question_id)
    assert logged.feedback == -1 and logged.review_state == "downvoted"
    assert logged.chat_id == ALICE
    with pytest.raises(ValueError):
        log.record_feedback(question_id, ALICE, 5)


def test_the_schema_is_versioned_and_refuses_a_chat_id_outside_review(
        tmp_path: Path, database_url: str, log: QuestionLog, answered: Answer) -> None:
    log.record(_asked(answered))
    log.close()
    reopened = QuestionLog.open(tmp_path, "secret-1", url=database_url)
    assert len(reopened.latest()) == 1  # reopening migrates nothing and loses nothing
    assert reopened.database.schema_version() == len(MIGRATIONS)
    for forbidden in ("UPDATE questions SET chat_id = 1 WHERE review_state = 'none'",
                      "UPDATE questions SET review_state = 'maybe'"):
        with pytest.raises(IntegrityError), reopened.database.write() as db:
            db.change(forbidden)
    reopened.close()


def test_many_threads_can_record_at_once(log: QuestionLog, answered: Answer) -> None:
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda n: log.record(_asked(answered, user_id=n)), range(200)))
    assert len(set(ids)) == 200 and log.count_answered() == 200


def test_an_empty_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="LOG_SECRET"):
        QuestionLog.open(tmp_path, "")


def test_pseudonyms_cannot_be_recomputed_with_the_placeholder_secret(tmp_path: Path) -> None:
    for weak in ("change-me", "", "short-but-real"):
        with pytest.raises(ValueError, match="LOG_SECRET"):
            log_secret(weak, tmp_path, production=True)
    strong = "x" * 32
    assert log_secret(strong, tmp_path, production=True) == strong
    generated = log_secret("change-me", tmp_path, production=False)  # polling: one is made
    path = tmp_path / SECRET_FILENAME
    assert len(generated) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert log_secret("change-me", tmp_path, production=False) == generated  # and kept
    mine = QuestionLog.open(tmp_path, generated)
    guessed = QuestionLog.open(tmp_path / "attacker", "change-me")
    assert mine.user_key(ALICE) != guessed.user_key(ALICE)
    mine.close()
    guessed.close()


def test_a_webhook_bot_with_the_placeholder_log_secret_refuses_to_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = BotSettings(_env_file=None, data_dir=tmp_path, telegram_bot_token="1:T",
                           webhook_url="https://bot.example.org/telegram",
                           webhook_secret=SecretStr("w" * 40))
    with pytest.raises(SystemExit) as exit_:
        run_telegram(settings)
    assert exit_.value.code == 1 and "LOG_SECRET" in capsys.readouterr().err
    assert not (tmp_path / FILENAME).exists() and not (tmp_path / SECRET_FILENAME).exists()


def test_other_modules_statements_with_question_marks_run_on_either_database(
        log: QuestionLog) -> None:
    insert = "INSERT INTO curated (question, answer, created_at, updated_at) VALUES (?, ?, ?, ?)"
    assert log.change(insert, ("Giờ làm việc?", "8h-17h", "t", "t")) == 1
    (row,) = log.fetch("SELECT id, question FROM curated WHERE answer = ?", ("8h-17h",))
    assert row[1] == row["question"] == "Giờ làm việc?" and dict(row)["id"] == row[0]
    with pytest.raises(IntegrityError):
        log.change("INSERT INTO curated (id, question, answer, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?)", (row["id"], "q", "a", "t", "t"))
    with pytest.raises(ValueError, match="placeholders"):
        log.fetch("SELECT * FROM curated WHERE id = ?", ())


def test_a_database_url_that_cannot_work_is_refused_clearly_at_start(tmp_path: Path) -> None:
    for wrong, says in (("mysql://u@h/db", "not supported"), ("sqlite://", "needs a file"),
                        ("postgresql://u@127.0.0.1/", "names no database")):
        with pytest.raises(ValueError, match=says):
            BotSettings(_env_file=None, database_url=wrong)
    unreachable = "postgresql://hoidap:hunter2-password@127.0.0.1:1/hoidap"
    with pytest.raises(ValueError, match="cannot open the database") as refused:
        QuestionLog.open(tmp_path, "s", url=unreachable)
    assert "hunter2" not in str(refused.value)  # the password is never printed
    file_url = f"sqlite:///{tmp_path / 'elsewhere' / 'log.sqlite3'}"
    elsewhere = QuestionLog.open(tmp_path, "s", url=file_url)
    assert elsewhere.path == tmp_path / "elsewhere" / "log.sqlite3" and elsewhere.path.exists()
    elsewhere.close()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_log_reconnects_by_itself_after_postgresql_restarts(
        log: QuestionLog, answered: Answer, request: pytest.FixtureRequest) -> None:
    """While the server is down a statement fails (the bot's error reply); once it is back,
    the next one works without restarting the bot."""
    server = request.getfixturevalue("postgres")
    first = log.record(_asked(answered))
    server.halt()
    try:
        with pytest.raises(OperationalError):
            log.record(_asked(answered))
    finally:
        server.serve()
    assert log.record(_asked(answered)) > first and len(log.latest()) == 2


def test_the_web_consoles_tables_work_on_either_database(
        log: QuestionLog, answered: Answer) -> None:
    """Login links used once, sessions, the audit log, the overview's days and the search of
    questions (a literal % or _ matches only itself), through the console's own store."""
    store = ConsoleStore(log)
    now = dt.datetime.now(dt.UTC)
    assert store.use_nonce("n-1", now) and not store.use_nonce("n-1", now)
    store.open_session("cookie", "actor", "Lan", ["moderator"], now, dt.timedelta(hours=1))
    session = store.session("cookie", now)
    assert session is not None and session.roles == frozenset({"moderator"})
    assert store.session("cookie", now + dt.timedelta(hours=2)) is None
    store.audit("actor", "Lan", "faq.add", "#1", now=now)
    assert [e.action for e in store.audit_entries()] == ["faq.add"]
    log.record(_asked(answered, "Học phí 100% được miễn?"))
    log.record(_asked(answered, "Học phí 100 nghìn?"))
    assert [q.question for q in store.search(QuestionFilter(text="100%"))] == [
        "Học phí 100% được miễn?"]
    assert store.count(QuestionFilter(text="học phí")) == 2
    (today,) = store.days(now.date(), count=1)
    assert today.questions == 2 and today.answered == 2
