"""Moderation, without Telegram: the review queue, statistics, retention and forgetting.

Moderators appear in the log only as pseudonyms, like citizens. All SQL is in
`bot.domain.question_log`; this module decides what a moderator's action means. Curated
answers are `bot.domain.curated`, the CSV export `bot.domain.export`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain.question_log import AWAITING_REVIEW, LoggedQuestion, QuestionLog, timestamp
from bot.domain.topics import top_topics
from bot.settings import BotSettings

CLAIM_MINUTES = 30  # a moderator who pressed ✏️ and walked away frees the question after this
LIST_STATES = ("unanswered", "downvoted", "low", "reviewed", "spam")


class ReviewError(Exception):
    """A moderator's action could not be applied; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class ReviewStats:
    by_state: dict[str, int]
    questions: int
    answered: int
    moderator_answered: int
    up: int
    down: int
    median_latency_ms: float | None
    topics: list[tuple[str, int]] = field(default_factory=list)

    @property
    def answered_rate(self) -> float:
        return self.answered / self.questions if self.questions else 0.0

    @property
    def awaiting(self) -> int:
        return sum(self.by_state.get(s, 0) for s in AWAITING_REVIEW)


@dataclass(frozen=True)
class Answering:
    """A moderator pressed ✏️ or 📌: their next message in `chat_id` answers `question_id`."""

    question_id: int
    chat_id: int
    as_faq: bool


class Moderation:
    """The moderators' verbs over the question log; `clock` lets tests move time."""

    def __init__(self, log: QuestionLog, settings: BotSettings,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.log = log
        self.settings = settings
        self._clock = clock

    # -- the queue ---------------------------------------------------------------------------

    def _stale_before(self) -> str:
        return timestamp(self._clock() - dt.timedelta(minutes=CLAIM_MINUTES))

    def moderator_key(self, moderator_id: int | str) -> str:
        """A Telegram moderator's pseudonym; the web console passes the pseudonym itself."""
        return moderator_id if isinstance(moderator_id, str) else self.log.user_key(moderator_id)

    def next_question(self, skipped: Iterable[int] = ()) -> LoggedQuestion | None:
        """The oldest unanswered, 👎 or low-confidence question nobody is working on."""
        return self.log.next_for_review(list(skipped), self._stale_before())

    def claim(self, question_id: int, moderator_id: int | str) -> bool:
        """Take a question to answer it; False when another moderator holds it or it is done."""
        return self.log.claim(question_id, self.moderator_key(moderator_id),
                              self._stale_before())

    def release(self, question_id: int, moderator_id: int | str) -> None:
        self.log.release(question_id, self.moderator_key(moderator_id))

    def start_answering(self, question_id: int, moderator_id: int, chat_id: int,
                        as_faq: bool) -> None:
        """After ✏️/📌 (and a won claim): kept in the log, so the answer may reach any replica."""
        self.log.start_answering(self.moderator_key(moderator_id), question_id, chat_id, as_faq)

    def answering(self, moderator_id: int) -> Answering | None:
        found = self.log.answering(self.moderator_key(moderator_id))
        return Answering(*found) if found else None

    def stop_answering(self, moderator_id: int) -> Answering | None:
        """The answer arrived, or /huy: what was being answered, once."""
        found = self.log.stop_answering(self.moderator_key(moderator_id))
        return Answering(*found) if found else None

    def mark_fine(self, question_id: int, moderator_id: int | str) -> bool:
        """✅: the bot's answer (or silence) was right; the chat id is erased."""
        return self.log.resolve(question_id, self.moderator_key(moderator_id), "reviewed",
                                self._stale_before())

    def mark_spam(self, question_id: int, moderator_id: int | str) -> bool:
        return self.log.resolve(question_id, self.moderator_key(moderator_id), "spam",
                                self._stale_before())

    def delivery_target(self, question_id: int, moderator_id: int | str) -> LoggedQuestion:
        """The question a moderator holds, with where to deliver the answer."""
        question = self.log.question(question_id)
        if question is None:
            raise ReviewError("Câu hỏi này không còn được lưu (người hỏi đã xoá dữ liệu).")
        if question.review_state not in AWAITING_REVIEW:
            raise ReviewError("Câu hỏi này đã được xử lý.")
        if question.claimed_by not in (None, self.moderator_key(moderator_id)):
            raise ReviewError("Một cán bộ khác đang trả lời câu hỏi này.")
        if question.chat_id is None:
            raise ReviewError("Không còn địa chỉ để gửi câu trả lời cho người hỏi.")
        return question

    def record_answer(self, question_id: int, moderator_id: int | str, text: str,
                      save_as_faq: bool = False, source_url: str | None = None) -> int | None:
        """After delivery: the question is reviewed with the moderators' answer, its chat id
        erased; with `save_as_faq` the pair becomes a curated answer (its id is returned)."""
        question = self.log.question(question_id)
        if not self.log.resolve(question_id, self.moderator_key(moderator_id), "reviewed",
                                self._stale_before(), moderator_answer=text):
            raise ReviewError("Câu hỏi này đã được cán bộ khác xử lý.")
        if save_as_faq and question is not None:
            return self.log.add_curated(question.question, text, source_url, origin=question)
        return None

    # -- statistics --------------------------------------------------------------------------

    def stats(self, topics: int = 5) -> ReviewStats:
        totals = self.log.totals()
        latencies = self.log.latencies()
        week_ago = timestamp(self._clock() - dt.timedelta(days=7))
        unanswered = self.log.questions(states=("unanswered",), since=week_ago)
        return ReviewStats(
            by_state=self.log.count_by_state(), questions=totals["questions"],
            answered=totals["answered"], moderator_answered=totals["moderator_answered"],
            up=totals["up"], down=totals["down"],
            median_latency_ms=statistics.median(latencies) if latencies else None,
            topics=top_topics([q.question for q in unanswered], topics))

    # -- privacy -----------------------------------------------------------------------------

    def purge_expired(self) -> int:
        """Delete questions older than LOG_RETENTION_DAYS; returns how many."""
        cutoff = self._clock() - dt.timedelta(days=self.settings.log_retention_days)
        return self.log.purge_before(timestamp(cutoff))

    def forget_user(self, user_id: int) -> int:
        return self.log.forget_user(user_id)

    # -- listing ---------------------------------------------------------------------------

    def listed(self, state: str | None = None, since: dt.date | None = None) -> (
            list[LoggedQuestion]):
        """Questions for `review list`: by default every one awaiting review."""
        if state is not None and state not in LIST_STATES:
            raise ValueError(f"state must be one of {', '.join(LIST_STATES)}")
        states = (state,) if state else AWAITING_REVIEW
        start = timestamp(dt.datetime.combine(since, dt.time(), dt.UTC)) if since else None
        return self.log.questions(states=states, since=start)
