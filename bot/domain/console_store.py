"""What the web console keeps, in the question log's database (its migration 4): used login
links, sessions, the audit log, and the questions read the console's way (per day, searched,
per curated answer).

The SQL is portable on purpose (standard CASE, substr, LIMIT/OFFSET; no SQLite-only
functions): the question log may also live in PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.database import IntegrityError
from bot.domain.question_log import AWAITING_REVIEW, LoggedQuestion, QuestionLog, timestamp


@dataclass(frozen=True)
class Session:
    actor_key: str  # the pseudonym of the Telegram user (HMAC with LOG_SECRET), never the id
    actor_name: str
    roles: frozenset[str]
    expires_at: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor_key: str
    actor_name: str
    action: str
    detail: str


@dataclass(frozen=True)
class Day:
    """One day of the overview's charts."""

    day: str  # YYYY-MM-DD, UTC
    questions: int = 0
    answered: int = 0  # by the bot, no moderator answer
    not_covered: int = 0
    by_moderators: int = 0
    up: int = 0
    down: int = 0

    @property
    def answered_share(self) -> float:
        return (self.answered + self.by_moderators) / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class QuestionFilter:
    """What the review queue and the question log pages ask for."""

    text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    states: tuple[str, ...] = ()
    low_confidence_below: float | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _like(text: str) -> str:
    """A LIKE pattern that matches `text` literally (escape char: backslash)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ConsoleStore:
    """The console's statements over one QuestionLog's database."""

    def __init__(self, log: QuestionLog) -> None:
        self.log = log

    # -- login links and sessions ----------------------------------------------------------

    def use_nonce(self, nonce: str, now: dt.datetime) -> bool:
        """Mark a login link's nonce used; False if it was used before (a primary key)."""
        try:
            return self.log.change("INSERT INTO console_logins (nonce, used_at) VALUES (?, ?)",
                                   (nonce, timestamp(now))) == 1
        except IntegrityError:
            return False

    def forget_nonces_before(self, cutoff: dt.datetime) -> int:
        """Nonces of links that have expired anyway need not be kept."""
        return self.log.change("DELETE FROM console_logins WHERE used_at < ?",
                               (timestamp(cutoff),))

    def open_session(self, token: str, actor_key: str, actor_name: str, roles: Sequence[str],
                     now: dt.datetime, lifetime: dt.timedelta) -> None:
        self.log.change(
            "INSERT INTO console_sessions (token_hash, actor_key, actor_name, roles, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (_hash(token), actor_key, actor_name, ",".join(sorted(roles)), timestamp(now),
             timestamp(now + lifetime)))

    def session(self, token: str, now: dt.datetime) -> Session | None:
        rows = self.log.fetch(
            "SELECT actor_key, actor_name, roles, expires_at FROM console_sessions "
            "WHERE token_hash = ? AND expires_at > ?", (_hash(token), timestamp(now)))
        if not rows:
            return None
        row = rows[0]
        return Session(row["actor_key"], row["actor_name"],
                       frozenset(r for r in row["roles"].split(",") if r), row["expires_at"])

    def close_session(self, token: str, now: dt.datetime) -> None:
        """Logout; expired sessions of anyone go too."""
        self.log.change("DELETE FROM console_sessions WHERE token_hash = ? OR expires_at <= ?",
                        (_hash(token), timestamp(now)))

    # -- the audit log ---------------------------------------------------------------------

    def audit(self, actor_key: str, actor_name: str, action: str, detail: str = "",
              now: dt.datetime | None = None) -> None:
        moment = now or dt.datetime.now(dt.UTC)
        self.log.change(
            "INSERT INTO console_audit (at, actor_key, actor_name, action, detail) "
            "VALUES (?, ?, ?, ?, ?)", (timestamp(moment), actor_key, actor_name, action, detail))

    def audit_entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        rows = self.log.fetch(
            "SELECT id, at, actor_key, actor_name, action, detail FROM console_audit "
            "ORDER BY id DESC LIMIT ? OFFSET ?", (int(limit), int(offset)))
        return [AuditEntry(**dict(r)) for r in rows]

    # -- the overview ----------------------------------------------------------------------

    def days(self, today: dt.date, count: int = 30) -> list[Day]:
        """The last `count` days up to `today` (UTC), every day present even when empty."""
        first = today - dt.timedelta(days=count - 1)
        since = timestamp(dt.datetime.combine(first, dt.time(), dt.UTC))
        rows = self.log.fetch(
            "SELECT substr(asked_at, 1, 10) AS day, count(*) AS questions, "
            "sum(CASE WHEN moderator_answer IS NULL AND answered = 1 THEN 1 ELSE 0 END) "
            "AS answered, "
            "sum(CASE WHEN moderator_answer IS NULL AND answered = 0 THEN 1 ELSE 0 END) "
            "AS not_covered, "
            "sum(CASE WHEN moderator_answer IS NOT NULL THEN 1 ELSE 0 END) AS by_moderators, "
            "sum(CASE WHEN feedback = 1 THEN 1 ELSE 0 END) AS up, "
            "sum(CASE WHEN feedback = -1 THEN 1 ELSE 0 END) AS down "
            "FROM questions WHERE asked_at >= ? GROUP BY substr(asked_at, 1, 10)", (since,))
        found = {r["day"]: Day(**{k: v if k == "day" else int(v or 0)
                                  for k, v in dict(r).items()}) for r in rows}
        days = [(first + dt.timedelta(days=i)).isoformat() for i in range(count)]
        return [found.get(day, Day(day)) for day in days]

    def question_texts(self, since: dt.datetime, states: Sequence[str] = (),
                       downvoted: bool = False, limit: int = 5000) -> list[str]:
        """Masked question texts since a moment, for the topics of the overview."""
        where, args = ["asked_at >= ?"], [timestamp(since)]
        if states:
            where.append(f"review_state IN ({','.join('?' * len(states))})")
            args += list(states)
        if downvoted:
            where.append("feedback = -1")
        return [r[0] for r in self.log.fetch(
            f"SELECT question FROM questions WHERE {' AND '.join(where)} "
            "ORDER BY id DESC LIMIT ?", (*args, int(limit)))]

    # -- searching questions ---------------------------------------------------------------

    def _where(self, f: QuestionFilter) -> tuple[str, list[object]]:
        where, args = ["1 = 1"], []
        if f.text.strip():
            where.append("lower(question) LIKE ? ESCAPE '\\'")
            args.append(_like(f.text.strip()))
        if f.since:
            where.append("asked_at >= ?")
            args.append(f.since.isoformat())
        if f.until:
            where.append("asked_at < ?")
            args.append((f.until + dt.timedelta(days=1)).isoformat())
        if f.states:
            where.append(f"review_state IN ({','.join('?' * len(f.states))})")
            args += list(f.states)
        if f.low_confidence_below is not None:
            where.append("answered = 1 AND confidence < ?")
            args.append(f.low_confidence_below)
        return " AND ".join(where), args

    def search(self, f: QuestionFilter, limit: int = 50, offset: int = 0,
               oldest_first: bool = False) -> list[LoggedQuestion]:
        where, args = self._where(f)
        order = "ASC" if oldest_first else "DESC"
        # By time (the log's order too): a date filter then walks the time index, not the
        # whole table.
        rows = self.log.fetch(f"SELECT * FROM questions WHERE {where} "
                              f"ORDER BY asked_at {order}, id {order} LIMIT ? OFFSET ?",
                              (*args, int(limit), int(offset)))
        return [self.log.logged(r) for r in rows]

    def count(self, f: QuestionFilter) -> int:
        where, args = self._where(f)
        return int(self.log.fetch(f"SELECT count(*) FROM questions WHERE {where}", args)[0][0])

    def awaiting_review(self) -> int:
        marks = ",".join("?" * len(AWAITING_REVIEW))
        return int(self.log.fetch(
            f"SELECT count(*) FROM questions WHERE review_state IN ({marks})",
            AWAITING_REVIEW)[0][0])

    # -- curated answers -------------------------------------------------------------------

    def served_counts(self) -> dict[int, int]:
        """How many questions each curated answer was served for."""
        rows = self.log.fetch("SELECT curated_id, count(*) FROM questions "
                              "WHERE curated_id IS NOT NULL GROUP BY curated_id")
        return {int(r[0]): int(r[1]) for r in rows}
