"""Erasure and retention reach everything a citizen wrote, down to the database files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from bot.domain.answer import Answer
from bot.domain.question_log import FILENAME, MIGRATIONS, Asked, QuestionLog, timestamp

CITIZEN = 555000111
SECRET_TEXT = "Nhà tôi ở ngõ Xuân Diệu 17 bị ngập, ai xử lý"


def _unanswered() -> Answer:
    return Answer("", [], 0.1, False)


def _log_question(log: QuestionLog, text: str = SECRET_TEXT) -> int:
    return log.record(Asked(user_id=CITIZEN, chat_type="private", question=text,
                            answer=_unanswered(), latency_ms=5, chat_id=CITIZEN, message_id=7))


def _files_hold(folder: Path, text: str) -> bool:
    needle = text.encode("utf-8")
    return any(needle in path.read_bytes() for path in folder.glob(f"{FILENAME}*"))


def test_forget_me_leaves_nothing_the_user_wrote_in_the_database_files(tmp_path: Path) -> None:
    log = QuestionLog.open(tmp_path, "secret")
    question_id = _log_question(log)
    origin = log.question(question_id)
    log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    assert _files_hold(tmp_path, SECRET_TEXT)
    assert log.forget_user(CITIZEN) == 1
    assert log.all_curated() == []  # the FAQ made of their question went with it
    assert not _files_hold(tmp_path, SECRET_TEXT)  # not in free pages, not in the -wal file
    log.close()
    assert not _files_hold(tmp_path, SECRET_TEXT)


def test_a_curated_answer_a_moderator_reworded_is_theirs_and_stays(tmp_path: Path) -> None:
    log = QuestionLog.open(tmp_path, "secret")
    origin = log.question(_log_question(log))
    curated_id = log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    log.update_curated(curated_id, "Đường ngập thì báo ai?", "Liên hệ UBND phường.")
    log.forget_user(CITIZEN)
    assert [c.question for c in log.all_curated()] == ["Đường ngập thì báo ai?"]
    log.close()


def test_retention_deletes_curated_answers_made_of_expired_questions(tmp_path: Path) -> None:
    log = QuestionLog.open(tmp_path, "secret")
    origin = log.question(_log_question(log))
    log.add_curated(origin.question, "Liên hệ UBND phường.", origin=origin)
    log.add_curated("Giờ làm việc của phường?", "8h-17h.")  # written by a moderator
    later = timestamp(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))
    assert log.purge_before(later) == 1
    assert [c.question for c in log.all_curated()] == ["Giờ làm việc của phường?"]
    assert not _files_hold(tmp_path, SECRET_TEXT)
    log.close()


_OPEN = ("import sys; from pathlib import Path; from bot.domain.question_log import QuestionLog;"
         "QuestionLog.open(Path(sys.argv[1]), 's').close()")


def test_two_processes_opening_a_fresh_log_at_once_both_succeed(tmp_path: Path) -> None:
    for attempt in range(5):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        processes = [subprocess.Popen([sys.executable, "-c", _OPEN, str(folder)],
                                      stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [p.communicate(timeout=60)[1] for p in processes]
        assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
        log = QuestionLog.open(folder, "s")
        version = log._db.execute("PRAGMA user_version").fetchone()[0]
        log.close()
        assert version == len(MIGRATIONS)
