"""The question log: every question, its answer and feedback, review claims, curated answers
and per-user rate limits; in SQLite under DATA_DIR, or in PostgreSQL (DATABASE_URL).

All of the bot's SQL lives here, in words both databases read alike. Users appear only as a
pseudonymous key (HMAC-SHA256 of the Telegram user id with LOG_SECRET); questions are masked
(`bot.domain.privacy`) before they are written.
The schema grows by appending to MIGRATIONS (written for SQLite; `bot.domain.database`
translates their types for PostgreSQL); moderation (review queue, curated answers,
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
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from bot.domain.answer import Answer
from bot.domain.database import SQLITE_FILENAME, Database, database_url
from bot.domain.privacy import mask_personal_data

FILENAME = SQLITE_FILENAME  # the embedded default, under DATA_DIR
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
    # 5: per-user rate limits, shared by every process on the database: a token bucket per
    # pseudonym (`updated` in Unix seconds), and how many refusals in a row it has made.
    """
    CREATE TABLE rate_limits (
        user_key    TEXT PRIMARY KEY,
        tokens      REAL NOT NULL,
        updated     REAL NOT NULL,
        refused     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX rate_limits_by_time ON rate_limits (updated);
    """,
    # 6: a moderator who pressed ✏️ or 📌 and whose next message is the answer, kept here so
    # that message may reach any replica. `chat_id`: where the prompt was (their private chat
    # or the moderators' group), only while they answer.
    """
    CREATE TABLE answering (
        moderator_key TEXT PRIMARY KEY,
        question_id   INTEGER NOT NULL,
        chat_id       INTEGER NOT NULL,
        as_faq        INTEGER NOT NULL,
        started_at    TEXT NOT NULL
    );
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
    """The log on SQLite or PostgreSQL (`bot.domain.database`); safe to share between the
    event loop and worker threads, and, on one database, between processes."""

    def __init__(self, where: Path | URL, secret: str, low_confidence: float = 0.6) -> None:
        if not secret:
            raise ValueError("LOG_SECRET must not be empty: it keys the user pseudonyms")
        url = URL.create("sqlite", database=str(where)) if isinstance(where, Path) else where
        self._secret = secret.encode("utf-8")
        self._low_confidence = low_confidence
        self.database = Database(url)
        self.path = self.database.path  # the SQLite file; None on PostgreSQL
        try:
            self.database.migrate(MIGRATIONS)
        except BaseException:
            self.database.close()
            raise

    @classmethod
    def open(cls, data_dir: Path, secret: str, low_confidence: float = 0.6,
             url: str = "") -> QuestionLog:
        """The log at DATABASE_URL (`url`), or in the SQLite file under DATA_DIR when empty."""
        return cls(database_url(url, data_dir), secret, low_confidence)

    def _rows(self, sql: str, **args: object) -> list[dict[str, Any]]:
        with self.database.read() as db:
            return db.rows(sql, args)

    def _row(self, sql: str, **args: object) -> dict[str, Any] | None:
        rows = self._rows(sql, **args)
        return rows[0] if rows else None

    def _change(self, sql: str, **args: object) -> int:
        """One INSERT, UPDATE or DELETE in its own transaction; how many rows it touched."""
        with self.database.write() as db:
            return db.change(sql, args)

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
        row = {
            "asked_at": _now(), "user_key": self.user_key(asked.user_id),
            "chat_type": asked.chat_type, "language": asked.language,
            "question": mask_personal_data(asked.question), "answer": answer.text,
            "answered": int(answer.answered), "confidence": float(answer.confidence),
            "sources": json.dumps(sources, ensure_ascii=False),
            "hits": json.dumps(hits, ensure_ascii=False), "latency_ms": int(asked.latency_ms),
            "index_generation": asked.index_generation, "review_state": state,
            "chat_id": asked.chat_id if awaiting else None, "message_id": asked.message_id,
            "curated_id": answer.curated_id,
        }
        with self.database.write() as db:
            return int(db.scalar(
                f"INSERT INTO questions ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + name for name in row)}) RETURNING id", row))

    def record_feedback(self, question_id: int, user_id: int, vote: int,
                        chat_id: int | None = None, message_id: int | None = None) -> bool:
        """👍 (1) or 👎 (-1) from the person who asked; a 👎 sends the question to review.

        Returns False when the question is unknown or was asked by someone else.
        """
        if vote not in (1, -1):
            raise ValueError("vote must be 1 or -1")
        key = self.user_key(user_id)
        with self.database.write() as db:
            changed = db.change(
                "UPDATE questions SET feedback = :vote, feedback_at = :now "
                "WHERE id = :id AND user_key = :key",
                {"vote": vote, "now": _now(), "id": question_id, "key": key})
            if changed == 0:
                return False
            if vote < 0:
                db.change(
                    "UPDATE questions SET review_state = 'downvoted', "
                    "chat_id = coalesce(chat_id, :chat), "
                    "message_id = coalesce(message_id, :message) "
                    "WHERE id = :id AND review_state IN ('none', 'low')",
                    {"chat": chat_id, "message": message_id, "id": question_id})
            return True

    def question(self, question_id: int) -> LoggedQuestion | None:
        row = self._row("SELECT * FROM questions WHERE id = :id", id=question_id)
        return _logged(row) if row else None

    def latest(self, limit: int = 20) -> list[LoggedQuestion]:
        """The most recent questions, newest first."""
        return [_logged(r) for r in self._rows(
            "SELECT * FROM questions ORDER BY id DESC LIMIT :limit", limit=limit)]

    def count_answered(self) -> int:
        return int(self._rows("SELECT count(*) AS n FROM questions WHERE answered = 1")[0]["n"])

    # -- the review queue (bot.domain.moderation decides; these are its statements) ----------------

    def next_for_review(self, exclude: Sequence[int] = (), stale_before: str = "") -> (
            LoggedQuestion | None):
        """The oldest question awaiting review that nobody holds (or whose hold went stale)."""
        skip = ",".join(str(int(i)) for i in exclude) or "-1"
        row = self._row(
            f"SELECT * FROM questions WHERE review_state IN {_AWAITING_SQL} "
            f"AND (claimed_by IS NULL OR claimed_at < :stale) AND id NOT IN ({skip}) "
            "ORDER BY asked_at, id LIMIT 1", stale=stale_before)
        return _logged(row) if row else None

    def claim(self, question_id: int, moderator_key: str, stale_before: str) -> bool:
        """Hold a question for one moderator. One conditional UPDATE: of two at once, one
        wins (PostgreSQL re-reads the row the first one changed before it decides)."""
        return self._change(
            "UPDATE questions SET claimed_by = :moderator, claimed_at = :now "
            f"WHERE id = :id AND review_state IN {_AWAITING_SQL} "
            "AND (claimed_by IS NULL OR claimed_by = :moderator OR claimed_at < :stale)",
            moderator=moderator_key, now=_now(), id=question_id, stale=stale_before) == 1

    def release(self, question_id: int, moderator_key: str) -> None:
        self._change("UPDATE questions SET claimed_by = NULL, claimed_at = NULL "
                     "WHERE id = :id AND claimed_by = :moderator",
                     id=question_id, moderator=moderator_key)

    def resolve(self, question_id: int, moderator_key: str, state: str, stale_before: str,
                moderator_answer: str | None = None) -> bool:
        """Close a review ('reviewed' or 'spam') and erase the chat id; False if another
        moderator holds it or it is no longer awaiting review."""
        if state not in ("reviewed", "spam"):
            raise ValueError(f"a review ends as 'reviewed' or 'spam', not {state!r}")
        return self._change(
            "UPDATE questions SET review_state = :state, reviewed_at = :now, chat_id = NULL, "
            "claimed_by = :moderator, claimed_at = :now, "
            "moderator_answer = coalesce(:answer, moderator_answer) "
            f"WHERE id = :id AND review_state IN {_AWAITING_SQL} "
            "AND (claimed_by IS NULL OR claimed_by = :moderator OR claimed_at < :stale)",
            state=state, now=_now(), moderator=moderator_key, answer=moderator_answer,
            id=question_id, stale=stale_before) == 1

    def questions(self, states: Sequence[str] = (), since: str | None = None,
                  limit: int | None = None) -> list[LoggedQuestion]:
        """Questions oldest first, optionally only in `states` and asked at or after `since`."""
        where, args = ["1 = 1"], {}
        if states:
            names = [f"s{i}" for i in range(len(states))]
            where.append(f"review_state IN ({', '.join(':' + n for n in names)})")
            args.update(zip(names, states, strict=True))
        if since:
            where.append("asked_at >= :since")
            args["since"] = since
        sql = f"SELECT * FROM questions WHERE {' AND '.join(where)} ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_logged(r) for r in self._rows(sql, **args)]

    def count_by_state(self) -> dict[str, int]:
        rows = self._rows("SELECT review_state, count(*) AS n FROM questions "
                          "GROUP BY review_state")
        return {state: 0 for state in REVIEW_STATES} | {r["review_state"]: int(r["n"])
                                                         for r in rows}

    def totals(self) -> dict[str, int]:
        """Questions, answered by the bot, answered by moderators, 👍 and 👎."""
        row = self._rows(
            "SELECT count(*) AS questions, coalesce(sum(answered), 0) AS answered, "
            "count(moderator_answer) AS moderator_answered, "
            "count(CASE WHEN feedback = 1 THEN 1 END) AS up, "
            "count(CASE WHEN feedback = -1 THEN 1 END) AS down FROM questions")[0]
        return {name: int(value) for name, value in row.items()}

    def latencies(self) -> list[int]:
        return [int(r["latency_ms"]) for r in self._rows("SELECT latency_ms FROM questions")]

    def unannounced(self, limit: int = 20) -> list[LoggedQuestion]:
        """Unanswered questions not yet announced to the moderators' group, oldest first."""
        return [_logged(r) for r in self._rows(
            "SELECT * FROM questions WHERE review_state = 'unanswered' AND announced = 0 "
            "ORDER BY id LIMIT :limit", limit=limit)]

    def take_unannounced(self, limit: int = 20) -> list[LoggedQuestion]:
        """Mark up to `limit` unannounced questions announced and return them, oldest first:
        one conditional UPDATE, so replicas announcing at once never announce one twice."""
        with self.database.write() as db:
            rows = db.rows(
                "UPDATE questions SET announced = 1 WHERE announced = 0 AND id IN ("
                "SELECT id FROM questions WHERE review_state = 'unanswered' AND announced = 0 "
                "ORDER BY id LIMIT :limit) RETURNING *", {"limit": limit})
        return sorted((_logged(r) for r in rows), key=lambda q: q.id)

    def mark_announced(self, question_ids: Sequence[int], announced: bool = True) -> None:
        """Set (or, after a failed announcement, clear) the announced mark."""
        if not question_ids:
            return
        with self.database.write() as db:
            db.many("UPDATE questions SET announced = :mark WHERE id = :id",
                    [{"id": i, "mark": int(announced)} for i in question_ids])

    def purge_before(self, cutoff: str) -> int:
        """Delete every question asked before `cutoff` (ISO 8601, UTC), and the curated answers
        still made of such a question; returns how many questions."""
        with self.database.write() as db:
            deleted = db.change("DELETE FROM questions WHERE asked_at < :cutoff",
                                {"cutoff": cutoff})
            deleted_curated = db.change("DELETE FROM curated WHERE origin_asked_at < :cutoff",
                                        {"cutoff": cutoff})
        if deleted or deleted_curated:
            self.database.erase_traces(_PERSONAL_TABLES)
        return deleted

    def count_for_user(self, user_id: int) -> int:
        return int(self._rows("SELECT count(*) AS n FROM questions WHERE user_key = :key",
                              key=self.user_key(user_id))[0]["n"])

    def forget_user(self, user_id: int) -> int:
        """Delete every question a user asked and every curated answer made of one; returns how
        many questions. Nothing they wrote stays in the database files. Their rate-limit bucket
        (a pseudonym and two numbers) stays until it refills: erasing it would let anyone reset
        their limit with /xoadulieu."""
        key = self.user_key(user_id)
        with self.database.write() as db:
            deleted = db.change("DELETE FROM questions WHERE user_key = :key", {"key": key})
            db.change("DELETE FROM curated WHERE origin_key = :key", {"key": key})
        self.database.erase_traces(_PERSONAL_TABLES)
        return deleted

    # -- per-user rate limits (bot.domain.ratelimit decides; these are its statements) -------

    def spend_token(self, who: Hashable, capacity: int, per_second: float, now: float) -> int:
        """Take one token from the user's bucket (refilled at `per_second` up to `capacity`;
        `now` in Unix seconds). Returns 0 when there was one, else how many refusals in a row
        this makes. One upsert that decides on the stored row alone, so replicas sharing the
        database share the bucket (PostgreSQL re-reads a row another replica just changed)."""
        old = "rate_limits"  # in ON CONFLICT DO UPDATE, the stored row
        elapsed = f"(CASE WHEN :now > {old}.updated THEN :now - {old}.updated ELSE 0 END)"
        refilled = f"({old}.tokens + {elapsed} * :rate)"
        level = f"(CASE WHEN {refilled} > :capacity THEN :capacity ELSE {refilled} END)"
        args = {"key": self._bucket_key(who), "now": float(now), "rate": float(per_second),
                "capacity": float(capacity)}
        with self.database.write() as db:
            return int(db.scalar(
                "INSERT INTO rate_limits (user_key, tokens, updated, refused) "
                "VALUES (:key, :capacity - 1, :now, 0) ON CONFLICT (user_key) DO UPDATE SET "
                f"tokens = CASE WHEN {level} >= 1 THEN {level} - 1 ELSE {level} END, "
                f"refused = CASE WHEN {level} >= 1 THEN 0 ELSE {old}.refused + 1 END, "
                f"updated = CASE WHEN :now > {old}.updated THEN :now ELSE {old}.updated END "
                "RETURNING refused", args))

    def _bucket_key(self, who: Hashable) -> str:
        """A Telegram user's pseudonym; any other requester (a web chat's browser or address)
        keyed the same way, never stored as it is."""
        if isinstance(who, int):
            return self.user_key(who)
        return hmac.new(self._secret, f"bucket:{who!r}".encode(), hashlib.sha256).hexdigest()

    def forget_full_buckets(self, before: float) -> int:
        """Drop buckets untouched since `before`: refilled, they equal a new user's."""
        return self._change("DELETE FROM rate_limits WHERE updated < :before", before=before)

    # -- a moderator's answer in progress (bot.domain.moderation) -------------------------

    def start_answering(self, moderator_key: str, question_id: int, chat_id: int,
                        as_faq: bool) -> None:
        """The moderator's next message in `chat_id` answers `question_id` (replacing any
        answer they had started)."""
        self._change(
            "INSERT INTO answering (moderator_key, question_id, chat_id, as_faq, started_at) "
            "VALUES (:key, :question, :chat, :faq, :now) ON CONFLICT (moderator_key) DO UPDATE "
            "SET question_id = excluded.question_id, chat_id = excluded.chat_id, "
            "as_faq = excluded.as_faq, started_at = excluded.started_at",
            key=moderator_key, question=question_id, chat=chat_id, faq=int(as_faq), now=_now())

    def answering(self, moderator_key: str) -> tuple[int, int, bool] | None:
        """(question id, chat id, as FAQ) of the answer the moderator started, if any."""
        row = self._row("SELECT question_id, chat_id, as_faq FROM answering "
                        "WHERE moderator_key = :key", key=moderator_key)
        return (int(row["question_id"]), int(row["chat_id"]), bool(row["as_faq"])) if row else None

    def stop_answering(self, moderator_key: str) -> tuple[int, int, bool] | None:
        """Forget the answer the moderator started; what it was, or None when there was none
        (of two replicas receiving it at once, one gets it)."""
        with self.database.write() as db:
            found = db.rows("DELETE FROM answering WHERE moderator_key = :key "
                            "RETURNING question_id, chat_id, as_faq", {"key": moderator_key})
        row = found[0] if found else None
        return (int(row["question_id"]), int(row["chat_id"]), bool(row["as_faq"])) if row else None

    # -- curated answers -------------------------------------------------------------------

    def add_curated(self, question: str, answer: str, source_url: str | None = None,
                    origin: LoggedQuestion | None = None) -> int:
        """A curated answer; `origin` is the citizen's question it was made from, if any."""
        now = _now()
        with self.database.write() as db:
            return int(db.scalar(
                "INSERT INTO curated (question, answer, source_url, created_at, updated_at, "
                "origin_key, origin_asked_at) VALUES (:question, :answer, :url, :now, :now, "
                ":origin_key, :origin_asked_at) RETURNING id",
                {"question": mask_personal_data(question), "answer": answer, "url": source_url,
                 "now": now, "origin_key": origin.user_key if origin else None,
                 "origin_asked_at": origin.asked_at if origin else None}))

    def update_curated(self, curated_id: int, question: str, answer: str,
                       source_url: str | None = None) -> bool:
        """Edit a curated answer; a reworded question is the moderator's own, no longer the
        citizen's, so it leaves erasure and retention."""
        return self._change(
            "UPDATE curated SET answer = :answer, source_url = :url, updated_at = :now, "
            "origin_key = CASE WHEN question = :question THEN origin_key END, "
            "origin_asked_at = CASE WHEN question = :question THEN origin_asked_at END, "
            "question = :question WHERE id = :id",
            answer=answer, url=source_url, now=_now(), question=mask_personal_data(question),
            id=curated_id) == 1

    def delete_curated(self, curated_id: int) -> bool:
        return self._change("DELETE FROM curated WHERE id = :id", id=curated_id) == 1

    def curated(self, curated_id: int) -> Curated | None:
        row = self._row("SELECT * FROM curated WHERE id = :id", id=curated_id)
        return Curated(**row) if row else None

    def all_curated(self) -> list[Curated]:
        return [Curated(**r) for r in self._rows("SELECT * FROM curated ORDER BY id")]

    # -- statements of other modules on the same database (the web console's store) ----------

    def fetch(self, sql: str, args: Sequence[object] = ()) -> list[Record]:
        """Rows of one SELECT written with `?` placeholders, readable by position or name."""
        with self.database.read() as db:
            rows = db.rows(*_positional(sql, args))
        return [Record(list(row), list(row.values())) for row in rows]

    def change(self, sql: str, args: Sequence[object] = ()) -> int:
        """One INSERT, UPDATE or DELETE with `?` placeholders; how many rows it touched
        (`bot.domain.database.IntegrityError` passes)."""
        with self.database.write() as db:
            return db.change(*_positional(sql, args))

    def logged(self, row: Mapping[str, object]) -> LoggedQuestion:
        return _logged(row)

    def close(self) -> None:
        self.database.close()


class Record(dict):
    """A row by column name (a dict) and by position, as sqlite3.Row reads."""

    def __init__(self, names: Sequence[str], values: Sequence[object]) -> None:
        super().__init__(zip(names, values, strict=True))
        self._values = tuple(values)

    def __getitem__(self, key: object) -> object:
        return self._values[key] if isinstance(key, int) else super().__getitem__(key)


def _positional(sql: str, args: Sequence[object]) -> tuple[str, dict[str, object]]:
    """`?` placeholders (as sqlite3 takes them) as the named ones both databases take."""
    parts = sql.split("?")
    if len(parts) - 1 != len(args):
        raise ValueError(f"{len(parts) - 1} placeholders for {len(args)} values: {sql}")
    named = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
    return named, {f"p{i}": value for i, value in enumerate(args)}


_AWAITING_SQL = f"({', '.join(repr(s) for s in AWAITING_REVIEW)})"
_PERSONAL_TABLES = ("questions", "curated")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def timestamp(moment: dt.datetime) -> str:
    """A moment as the log writes it (ISO 8601, UTC), for comparing with asked_at."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _logged(row: Mapping[str, Any]) -> LoggedQuestion:
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
