"""The question log: every question, its answer and feedback, in SQLite under DATA_DIR.

All of the bot's SQL lives here. Users appear only as a pseudonymous key (HMAC-SHA256 of the
Telegram user id with LOG_SECRET); questions are masked (`bot.privacy`) before they are written.
The schema grows by appending to MIGRATIONS; moderation (review queue, curated answers,
retention, export) extends it that way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Answer
from bot.privacy import mask_personal_data

FILENAME = "questions.sqlite3"

# Review states, for the moderators' queue: 'none' needs no review; 'unanswered', 'downvoted'
# and 'low' (low confidence) await it; 'reviewed' and 'spam' are done with.
AWAITING_REVIEW = ("unanswered", "downvoted", "low")
REVIEW_STATES = ("none", *AWAITING_REVIEW, "reviewed", "spam")

MIGRATIONS: list[str] = [
    # 1: the question log.
    f"""
    CREATE TABLE questions (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        asked_at      TEXT    NOT NULL,             -- ISO 8601, UTC
        user_key      TEXT    NOT NULL,             -- HMAC-SHA256(LOG_SECRET, user id), hex
        chat_type     TEXT    NOT NULL,             -- private, group, supergroup
        language      TEXT,                         -- Telegram language_code
        question      TEXT    NOT NULL,             -- personal data masked
        answer        TEXT    NOT NULL,
        answered      INTEGER NOT NULL,             -- 0: the articles did not cover it
        confidence    REAL    NOT NULL,
        sources       TEXT    NOT NULL DEFAULT '[]',  -- JSON [{{title, url, published, source}}]
        hits          TEXT    NOT NULL DEFAULT '[]',  -- JSON [{{passage, article, score, cosine}}]
        latency_ms    INTEGER NOT NULL,
        index_generation INTEGER,
        feedback      INTEGER,                      -- 1 👍, -1 👎, NULL none
        feedback_at   TEXT,
        review_state  TEXT    NOT NULL DEFAULT 'none'
                      CHECK (review_state IN ({", ".join(f"'{s}'" for s in REVIEW_STATES)})),
        reviewed_at   TEXT,
        -- Where to deliver a moderator's answer. The chat id (which, in a private chat, is the
        -- user's id) is kept only while the question awaits review; the message id alone
        -- identifies nobody.
        chat_id       INTEGER,
        message_id    INTEGER,
        CHECK (chat_id IS NULL OR review_state IN
               ({", ".join(f"'{s}'" for s in AWAITING_REVIEW)}))
    );
    CREATE INDEX questions_by_review ON questions (review_state, asked_at);
    CREATE INDEX questions_by_user ON questions (user_key);
    CREATE INDEX questions_by_time ON questions (asked_at);
    """,
]


@dataclass(frozen=True)
class Asked:
    """One answered (or not) question, as the Telegram side saw it."""

    user_id: int
    chat_type: str
    question: str
    answer: Answer
    latency_ms: int
    chat_id: int | None = None
    message_id: int | None = None
    language: str | None = None
    index_generation: int | None = None


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: str
    user_key: str
    chat_type: str
    question: str
    answer: str
    answered: bool
    confidence: float
    sources: list[dict]
    hits: list[dict]
    latency_ms: int
    feedback: int | None
    review_state: str
    chat_id: int | None
    message_id: int | None


class QuestionLog:
    """One SQLite file; safe to share between the event loop and worker threads."""

    def __init__(self, path: Path, secret: str, low_confidence: float = 0.6) -> None:
        if not secret:
            raise ValueError("LOG_SECRET must not be empty: it keys the user pseudonyms")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._secret = secret.encode("utf-8")
        self._low_confidence = low_confidence
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()

    @classmethod
    def open(cls, data_dir: Path, secret: str, low_confidence: float = 0.6) -> QuestionLog:
        return cls(data_dir / FILENAME, secret, low_confidence)

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def user_key(self, user_id: int) -> str:
        """The pseudonym of a Telegram user: stable, but not reversible without LOG_SECRET."""
        return hmac.new(self._secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()

    def record(self, asked: Asked) -> int:
        """Store a question (masked) with its answer; returns its id for the inline buttons."""
        answer = asked.answer
        if not answer.answered:
            state = "unanswered"
        elif answer.confidence < self._low_confidence:
            state = "low"
        else:
            state = "none"
        awaiting = state in AWAITING_REVIEW
        sources = [{**dataclasses.asdict(s),
                    "published": s.published.isoformat() if s.published else None}
                   for s in answer.sources]
        hits = [{"passage": h.passage_id, "article": h.article.id, "score": round(h.score, 6),
                 "cosine": round(h.cosine, 4)} for h in answer.hits]
        row = (
            _now(), self.user_key(asked.user_id), asked.chat_type, asked.language,
            mask_personal_data(asked.question), answer.text, int(answer.answered),
            float(answer.confidence), json.dumps(sources, ensure_ascii=False),
            json.dumps(hits, ensure_ascii=False), int(asked.latency_ms), asked.index_generation,
            state, asked.chat_id if awaiting else None, asked.message_id,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, user_key, chat_type, language, question, "
                "answer, answered, confidence, sources, hits, latency_ms, index_generation, "
                "review_state, chat_id, message_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            return int(cursor.lastrowid)

    def record_feedback(self, question_id: int, user_id: int, vote: int,
                        chat_id: int | None = None, message_id: int | None = None) -> bool:
        """👍 (1) or 👎 (-1) from the person who asked; a 👎 sends the question to review.

        Returns False when the question is unknown or was asked by someone else.
        """
        if vote not in (1, -1):
            raise ValueError("vote must be 1 or -1")
        key = self.user_key(user_id)
        with self._lock:
            cursor = self._db.execute(
                "UPDATE questions SET feedback = ?, feedback_at = ? WHERE id = ? AND user_key = ?",
                (vote, _now(), question_id, key))
            if cursor.rowcount == 0:
                return False
            if vote < 0:
                self._db.execute(
                    "UPDATE questions SET review_state = 'downvoted', "
                    "chat_id = coalesce(chat_id, ?), message_id = coalesce(message_id, ?) "
                    "WHERE id = ? AND review_state IN ('none', 'low')",
                    (chat_id, message_id, question_id))
            return True

    def question(self, question_id: int) -> LoggedQuestion | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM questions WHERE id = ?",
                                   (question_id,)).fetchone()
        return _logged(row) if row else None

    def latest(self, limit: int = 20) -> list[LoggedQuestion]:
        """The most recent questions, newest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM questions ORDER BY id DESC LIMIT ?",
                                    (limit,)).fetchall()
        return [_logged(r) for r in rows]

    def count_answered(self) -> int:
        with self._lock:
            return int(self._db.execute(
                "SELECT count(*) FROM questions WHERE answered = 1").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _logged(row: sqlite3.Row) -> LoggedQuestion:
    return LoggedQuestion(
        id=row["id"], asked_at=row["asked_at"], user_key=row["user_key"],
        chat_type=row["chat_type"], question=row["question"], answer=row["answer"],
        answered=bool(row["answered"]), confidence=row["confidence"],
        sources=json.loads(row["sources"]), hits=json.loads(row["hits"]),
        latency_ms=row["latency_ms"], feedback=row["feedback"],
        review_state=row["review_state"], chat_id=row["chat_id"], message_id=row["message_id"],
    )
