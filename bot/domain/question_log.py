"""The question log: every question, its answer and feedback, in SQLite under DATA_DIR.

All of the bot's SQL lives here. Users appear only as a pseudonymous key (HMAC-SHA256 of
the Telegram user id with LOG_SECRET); questions are masked (`bot.domain.privacy`) before
they are written.
The schema grows by appending to MIGRATIONS; moderation (review queue, curated answers,
retention, export) extends it that way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.domain.answer import Answer
from bot.domain.privacy import mask_personal_data

FILENAME = "questions.sqlite3"
SECRET_FILENAME = "log-secret"  # the generated LOG_SECRET of a bot run without one
DEFAULT_SECRET = "change-me"  # .env.example's placeholder: known to everyone, so no secret
MIN_SECRET_CHARS = 32
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


def log_secret(configured: str, data_dir: Path, production: bool) -> str:
    """The key of the pseudonyms. With the placeholder, anyone could recompute a user's key
    from their Telegram id: in production (webhook) that is refused (ValueError); elsewhere a
    random key is generated into DATA_DIR once (mode 0600) and kept, so keys stay stable."""
    if configured and configured != DEFAULT_SECRET:
        if production and len(configured) < MIN_SECRET_CHARS:
            raise ValueError(f"LOG_SECRET is too short for production: at least "
                             f"{MIN_SECRET_CHARS} characters. Generate one with: "
                             f"{GENERATE_SECRET}")
        return configured
    if production:
        raise ValueError("LOG_SECRET is not set: in production (WEBHOOK_URL) set a random value "
                         f"of at least {MIN_SECRET_CHARS} characters, generated with: "
                         f"{GENERATE_SECRET}")
    path = data_dir / SECRET_FILENAME
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        kept = path.read_text(encoding="ascii").strip()
        if not kept:
            raise ValueError(f"{path} is empty: delete it (a new LOG_SECRET is generated) "
                             "or set LOG_SECRET") from None
        return kept
    generated = secrets.token_urlsafe(MIN_SECRET_CHARS)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(generated + "\n")
        out.flush()
        os.fsync(out.fileno())
    return generated

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
    # 2: moderation: who holds a question (a moderator's pseudonym), the moderators' answer,
    # announcements to the moderators' group, and curated question -> answer pairs.
    """
    ALTER TABLE questions ADD COLUMN claimed_by TEXT;
    ALTER TABLE questions ADD COLUMN claimed_at TEXT;
    ALTER TABLE questions ADD COLUMN moderator_answer TEXT;
    ALTER TABLE questions ADD COLUMN announced INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE curated (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        question    TEXT NOT NULL,
        answer      TEXT NOT NULL,
        source_url  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    """,
    # 3: a curated answer made from a citizen's question remembers whose and when, so erasure
    # (/xoadulieu) and retention reach it too; a moderator who rewrites the question owns it.
    """
    ALTER TABLE curated ADD COLUMN origin_key TEXT;
    ALTER TABLE curated ADD COLUMN origin_asked_at TEXT;
    CREATE INDEX curated_by_origin ON curated (origin_key);
    """,
    # 4: the web console (bot.domain.console_store): which curated answer a question was served,
    # login links already used, sessions (a hash of the cookie, never the cookie) and the audit
    # log. Portable SQL: no SQLite-only types or functions.
    """
    ALTER TABLE questions ADD COLUMN curated_id INTEGER;
    CREATE INDEX questions_by_curated ON questions (curated_id);
    CREATE TABLE console_logins (
        nonce       TEXT PRIMARY KEY,
        used_at     TEXT NOT NULL
    );
    CREATE TABLE console_sessions (
        token_hash  TEXT PRIMARY KEY,
        actor_key   TEXT NOT NULL,
        actor_name  TEXT NOT NULL,
        roles       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
    );
    CREATE TABLE console_audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        actor_key   TEXT NOT NULL,
        actor_name  TEXT NOT NULL,
        action      TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX console_audit_by_time ON console_audit (at);
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
    reviewed_at: str | None = None
    claimed_by: str | None = None
    moderator_answer: str | None = None


@dataclass(frozen=True)
class Curated:
    """A question -> answer pair the moderators wrote; served before the bot's own answer."""

    id: int
    question: str
    answer: str
    source_url: str | None
    created_at: str
    updated_at: str
    origin_key: str | None = None  # the citizen whose question it was made from
    origin_asked_at: str | None = None


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
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not left in free pages: erasure is real.
        self._db.execute("PRAGMA secure_delete=ON")
        self._migrate()

    @classmethod
    def open(cls, data_dir: Path, secret: str, low_confidence: float = 0.6) -> QuestionLog:
        return cls(data_dir / FILENAME, secret, low_confidence)

    def _migrate(self) -> None:
        """Apply what is missing in one immediate transaction that re-reads the version, so
        processes opening a fresh log at once never run a migration twice."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in _statements(script):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _erase_traces(self) -> None:
        """After deleting personal data: fold the write-ahead log back into the database and
        empty it, so no copy of the deleted text stays in the -wal file."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
            state, asked.chat_id if awaiting else None, asked.message_id, answer.curated_id,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, user_key, chat_type, language, question, "
                "answer, answered, confidence, sources, hits, latency_ms, index_generation, "
                "review_state, chat_id, message_id, curated_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
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

    # -- the review queue (bot.domain.moderation decides; these are its statements) ----------------

    def next_for_review(self, exclude: Sequence[int] = (), stale_before: str = "") -> (
            LoggedQuestion | None):
        """The oldest question awaiting review that nobody holds (or whose hold went stale)."""
        skip = ",".join(str(int(i)) for i in exclude) or "-1"
        with self._lock:
            row = self._db.execute(
                f"SELECT * FROM questions WHERE review_state IN {_AWAITING_SQL} "
                f"AND (claimed_by IS NULL OR claimed_at < ?) AND id NOT IN ({skip}) "
                "ORDER BY asked_at, id LIMIT 1", (stale_before,)).fetchone()
        return _logged(row) if row else None

    def claim(self, question_id: int, moderator_key: str, stale_before: str) -> bool:
        """Hold a question for one moderator. One conditional UPDATE: of two at once, one wins."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE questions SET claimed_by = ?, claimed_at = ? "
                f"WHERE id = ? AND review_state IN {_AWAITING_SQL} "
                "AND (claimed_by IS NULL OR claimed_by = ? OR claimed_at < ?)",
                (moderator_key, _now(), question_id, moderator_key, stale_before))
            return cursor.rowcount == 1

    def release(self, question_id: int, moderator_key: str) -> None:
        with self._lock:
            self._db.execute("UPDATE questions SET claimed_by = NULL, claimed_at = NULL "
                             "WHERE id = ? AND claimed_by = ?", (question_id, moderator_key))

    def resolve(self, question_id: int, moderator_key: str, state: str, stale_before: str,
                moderator_answer: str | None = None) -> bool:
        """Close a review ('reviewed' or 'spam') and erase the chat id; False if another
        moderator holds it or it is no longer awaiting review."""
        if state not in ("reviewed", "spam"):
            raise ValueError(f"a review ends as 'reviewed' or 'spam', not {state!r}")
        with self._lock:
            cursor = self._db.execute(
                "UPDATE questions SET review_state = ?, reviewed_at = ?, chat_id = NULL, "
                "claimed_by = ?, claimed_at = ?, "
                "moderator_answer = coalesce(?, moderator_answer) "
                f"WHERE id = ? AND review_state IN {_AWAITING_SQL} "
                "AND (claimed_by IS NULL OR claimed_by = ? OR claimed_at < ?)",
                (state, _now(), moderator_key, _now(), moderator_answer, question_id,
                 moderator_key, stale_before))
            return cursor.rowcount == 1

    def questions(self, states: Sequence[str] = (), since: str | None = None,
                  limit: int | None = None) -> list[LoggedQuestion]:
        """Questions oldest first, optionally only in `states` and asked at or after `since`."""
        where, args = ["1 = 1"], []
        if states:
            where.append(f"review_state IN ({','.join('?' * len(states))})")
            args += list(states)
        if since:
            where.append("asked_at >= ?")
            args.append(since)
        sql = f"SELECT * FROM questions WHERE {' AND '.join(where)} ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [_logged(r) for r in rows]

    def count_by_state(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT review_state, count(*) FROM questions GROUP BY review_state").fetchall()
        return {state: 0 for state in REVIEW_STATES} | {r[0]: r[1] for r in rows}

    def totals(self) -> dict[str, int]:
        """Questions, answered by the bot, answered by moderators, 👍 and 👎."""
        with self._lock:
            row = self._db.execute(
                "SELECT count(*), coalesce(sum(answered), 0), count(moderator_answer), "
                "coalesce(sum(feedback = 1), 0), coalesce(sum(feedback = -1), 0) "
                "FROM questions").fetchone()
        return dict(zip(("questions", "answered", "moderator_answered", "up", "down"),
                        (int(v) for v in row), strict=True))

    def latencies(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT latency_ms FROM questions")]

    def unannounced(self, limit: int = 20) -> list[LoggedQuestion]:
        """Unanswered questions not yet announced to the moderators' group, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM questions WHERE review_state = 'unanswered' AND announced = 0 "
                "ORDER BY id LIMIT ?", (limit,)).fetchall()
        return [_logged(r) for r in rows]

    def mark_announced(self, question_ids: Sequence[int]) -> None:
        with self._lock:
            self._db.executemany("UPDATE questions SET announced = 1 WHERE id = ?",
                                 [(i,) for i in question_ids])

    def purge_before(self, cutoff: str) -> int:
        """Delete every question asked before `cutoff` (ISO 8601, UTC), and the curated answers
        still made of such a question; returns how many questions."""
        with self._lock:
            deleted = self._db.execute("DELETE FROM questions WHERE asked_at < ?",
                                       (cutoff,)).rowcount
            deleted_curated = self._db.execute(
                "DELETE FROM curated WHERE origin_asked_at < ?", (cutoff,)).rowcount
            if deleted or deleted_curated:
                self._erase_traces()
            return deleted

    def count_for_user(self, user_id: int) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM questions WHERE user_key = ?",
                                        (self.user_key(user_id),)).fetchone()[0])

    def forget_user(self, user_id: int) -> int:
        """Delete every question a user asked and every curated answer made of one; returns
        how many questions. Nothing they wrote stays in the database files."""
        key = self.user_key(user_id)
        with self._lock:
            deleted = self._db.execute("DELETE FROM questions WHERE user_key = ?",
                                       (key,)).rowcount
            self._db.execute("DELETE FROM curated WHERE origin_key = ?", (key,))
            self._erase_traces()
            return deleted

    # -- curated answers -------------------------------------------------------------------

    def add_curated(self, question: str, answer: str, source_url: str | None = None,
                    origin: LoggedQuestion | None = None) -> int:
        """A curated answer; `origin` is the citizen's question it was made from, if any."""
        now = _now()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO curated (question, answer, source_url, created_at, updated_at, "
                "origin_key, origin_asked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (mask_personal_data(question), answer, source_url, now, now,
                 origin.user_key if origin else None, origin.asked_at if origin else None))
            return int(cursor.lastrowid)

    def update_curated(self, curated_id: int, question: str, answer: str,
                       source_url: str | None = None) -> bool:
        """Edit a curated answer; a reworded question is the moderator's own, no longer the
        citizen's, so it leaves erasure and retention."""
        masked = mask_personal_data(question)
        with self._lock:
            return self._db.execute(
                "UPDATE curated SET answer = ?, source_url = ?, updated_at = ?, "
                "origin_key = CASE WHEN question = ? THEN origin_key END, "
                "origin_asked_at = CASE WHEN question = ? THEN origin_asked_at END, "
                "question = ? WHERE id = ?",
                (answer, source_url, _now(), masked, masked, masked,
                 curated_id)).rowcount == 1

    def delete_curated(self, curated_id: int) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM curated WHERE id = ?",
                                    (curated_id,)).rowcount == 1

    def curated(self, curated_id: int) -> Curated | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM curated WHERE id = ?",
                                   (curated_id,)).fetchone()
        return Curated(**dict(row)) if row else None

    def all_curated(self) -> list[Curated]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM curated ORDER BY id").fetchall()
        return [Curated(**dict(r)) for r in rows]

    # -- for the web console's statements (bot.domain.console_store), on the same database --

    def fetch(self, sql: str, args: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    def change(self, sql: str, args: Sequence[object] = ()) -> int:
        """One INSERT, UPDATE or DELETE; how many rows it touched (IntegrityError passes)."""
        with self._lock:
            return self._db.execute(sql, tuple(args)).rowcount

    def logged(self, row: sqlite3.Row) -> LoggedQuestion:
        return _logged(row)

    def close(self) -> None:
        with self._lock:
            self._db.close()


_AWAITING_SQL = f"({', '.join(repr(s) for s in AWAITING_REVIEW)})"


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration script, one by one (executescript would commit)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return [s for s in statements if s.strip(" ;\n")]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def timestamp(moment: dt.datetime) -> str:
    """A moment as the log writes it (ISO 8601, UTC), for comparing with asked_at."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _logged(row: sqlite3.Row) -> LoggedQuestion:
    return LoggedQuestion(
        id=row["id"], asked_at=row["asked_at"], user_key=row["user_key"],
        chat_type=row["chat_type"], question=row["question"], answer=row["answer"],
        answered=bool(row["answered"]), confidence=row["confidence"],
        sources=json.loads(row["sources"]), hits=json.loads(row["hits"]),
        latency_ms=row["latency_ms"], feedback=row["feedback"],
        review_state=row["review_state"], chat_id=row["chat_id"], message_id=row["message_id"],
        reviewed_at=row["reviewed_at"], claimed_by=row["claimed_by"],
        moderator_answer=row["moderator_answer"],
    )
