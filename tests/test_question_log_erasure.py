"""Erasure and retention reach everything a citizen wrote, down to the database files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.answer import Answer
from bot.domain.question_log import FILENAME, MIGRATIONS, Asked, QuestionLog, timestamp
from tests.conftest import BACKENDS

CITIZEN = 555000111
SECRET_TEXT = "Nhà tôi ở ngõ Xuân Diệu 17 bị ngập, ai xử lý"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _unanswered() -> Answer:
    return Answer("", [], 0.1, False)


def _log_question(log: QuestionLog, text: str = SECRET_TEXT) -> int:
    return log.record(Asked(user_id=CITIZEN, chat_type="private", question=text,
                            answer=_unanswered(), latency_ms=5, chat_id=CITIZEN, message_id=7))


def _files_hold(log: QuestionLog, text_: str) -> bool:
    """Whether the SQLite file or its write-ahead log holds the text. (PostgreSQL keeps a
    deleted row's bytes in the page's free space, its WAL and backups until they are
    overwritten or rotate: README, "Privacy"; erasure there is of the rows.)"""
    if log.path is None:
        return False
    needle = text_.encode("utf-8")
    return any(needle in p.read_bytes() for p in log.path.parent.glob(f"{FILENAME}*"))


def test_forget_me_leaves_nothing_the_user_wrote_in_the_database(log: QuestionLog) -> None:
    question_id = _log_question(log)
    origin = log.question(question_id)
    log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    assert _files_hold(log, SECRET_TEXT) == (log.path is not None)
    assert log.forget_user(CITIZEN) == 1
    assert log.all_curated() == []  # the FAQ made of their question went with it
    assert log.count_for_user(CITIZEN) == 0 and log.questions() == []
    assert not _files_hold(log, SECRET_TEXT)  # SQLite: not in free pages, not in the -wal


def test_a_curated_answer_a_moderator_reworded_is_theirs_and_stays(log: QuestionLog) -> None:
    origin = log.question(_log_question(log))
    curated_id = log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    log.update_curated(curated_id, "Đường ngập thì báo ai?", "Liên hệ UBND phường.")
    log.forget_user(CITIZEN)
    assert [c.question for c in log.all_curated()] == ["Đường ngập thì báo ai?"]


def test_retention_deletes_curated_answers_made_of_expired_questions(log: QuestionLog) -> None:
    origin = log.question(_log_question(log))
    log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    log.add_curated("Giờ làm việc của phường?", "8h-17h.")  # written by a moderator
    later = timestamp(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))
    assert log.purge_before(later) == 1
    assert [c.question for c in log.all_curated()] == ["Giờ làm việc của phường?"]
    assert not _files_hold(log, SECRET_TEXT)


_OPEN = ("import sys; from pathlib import Path; from bot.domain.question_log import QuestionLog;"
         "QuestionLog.open(Path(sys.argv[1]), 's', url=sys.argv[2]).close()")


def test_processes_opening_a_fresh_log_at_once_all_succeed_and_migrate_once(
        tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    for attempt in range(3):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        url = request.getfixturevalue("postgres").new_database() if backend != "sqlite" else ""
        processes = [subprocess.Popen([sys.executable, "-c", _OPEN, str(folder), url],
                                      stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [p.communicate(timeout=60)[1] for p in processes]
        assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
        log = QuestionLog.open(folder, "s", url=url)
        assert log.database.schema_version() == len(MIGRATIONS)
        log.close()
