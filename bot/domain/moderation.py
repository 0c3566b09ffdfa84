"""Moderation, without Telegram: the review queue, curated answers, statistics and retention.

Moderators appear in the log only as pseudonyms, like citizens. All SQL is in
`bot.domain.question_log`; this module decides what a moderator's action means.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from bot.domain.answer import Answer, Answerer, content_terms
from bot.domain.question_log import AWAITING_REVIEW, Curated, LoggedQuestion, QuestionLog, timestamp
from bot.settings import BotSettings
from index import Citation, Index, fold, has_diacritics, syllables

CLAIM_MINUTES = 30  # a moderator who pressed ✏️ and walked away frees the question after this
LIST_STATES = ("unanswered", "downvoted", "low", "reviewed", "spam")
# multilingual-e5 puts unrelated Vietnamese questions at cosine ~0.75-0.85 and paraphrases
# above ~0.92: only the part above the floor is evidence of the same question.
DENSE_FLOOR, DENSE_CEILING = 0.80, 0.95
EXPORT_COLUMNS = ("kind", "id", "asked_at", "chat_type", "language", "question", "answer",
                  "answered", "confidence", "sources", "latency_ms", "feedback", "review_state",
                  "reviewed_at", "moderator_answer", "source_url")


class ReviewError(Exception):
    """A moderator's action could not be applied; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class CuratedMatch:
    curated: Curated
    score: float
    cosine: float
    lexical: float


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


class Moderation:
    """The moderators' verbs over the question log; `index` is needed only to match FAQs."""

    def __init__(self, log: QuestionLog, settings: BotSettings, index: Index | None = None,
                 clock=lambda: dt.datetime.now(dt.UTC)) -> None:
        self.log = log
        self.settings = settings
        self.index = index
        self._clock = clock

    # -- the queue ---------------------------------------------------------------------------

    def _stale_before(self) -> str:
        return timestamp(self._clock() - dt.timedelta(minutes=CLAIM_MINUTES))

    def moderator_key(self, moderator_id: int) -> str:
        return self.log.user_key(moderator_id)

    def next_question(self, skipped: Iterable[int] = ()) -> LoggedQuestion | None:
        """The oldest unanswered, 👎 or low-confidence question nobody is working on."""
        return self.log.next_for_review(list(skipped), self._stale_before())

    def claim(self, question_id: int, moderator_id: int) -> bool:
        """Take a question to answer it; False when another moderator holds it or it is done."""
        return self.log.claim(question_id, self.moderator_key(moderator_id),
                              self._stale_before())

    def release(self, question_id: int, moderator_id: int) -> None:
        self.log.release(question_id, self.moderator_key(moderator_id))

    def mark_fine(self, question_id: int, moderator_id: int) -> bool:
        """✅: the bot's answer (or silence) was right; the chat id is erased."""
        return self.log.resolve(question_id, self.moderator_key(moderator_id), "reviewed",
                                self._stale_before())

    def mark_spam(self, question_id: int, moderator_id: int) -> bool:
        return self.log.resolve(question_id, self.moderator_key(moderator_id), "spam",
                                self._stale_before())

    def delivery_target(self, question_id: int, moderator_id: int) -> LoggedQuestion:
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

    def record_answer(self, question_id: int, moderator_id: int, text: str,
                      save_as_faq: bool = False, source_url: str | None = None) -> int | None:
        """After delivery: the question is reviewed with the moderators' answer, its chat id
        erased; with `save_as_faq` the pair becomes a curated answer (its id is returned)."""
        question = self.log.question(question_id)
        if not self.log.resolve(question_id, self.moderator_key(moderator_id), "reviewed",
                                self._stale_before(), moderator_answer=text):
            raise ReviewError("Câu hỏi này đã được cán bộ khác xử lý.")
        if save_as_faq and question is not None:
            return self.log.add_curated(question.question, text, source_url)
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

    # -- curated answers ---------------------------------------------------------------------

    def faq_list(self) -> list[Curated]:
        return self.log.all_curated()

    def faq_add(self, question: str, answer: str, source_url: str | None = None) -> int:
        return self.log.add_curated(*_checked_faq(question, answer, source_url))

    def faq_edit(self, curated_id: int, question: str, answer: str,
                 source_url: str | None = None) -> bool:
        return self.log.update_curated(curated_id, *_checked_faq(question, answer, source_url))

    def faq_delete(self, curated_id: int) -> bool:
        return self.log.delete_curated(curated_id)

    def match(self, question: str) -> CuratedMatch | None:
        """The curated question closest to `question`, if it is close enough.

        Meaning (embedding cosine) and words (diacritics-folded content terms) both count;
        without diacritics the model reads Vietnamese poorly, so the words count more.
        """
        curated = self.log.all_curated()
        if not curated:
            return None
        lexical = [word_overlap(question, c.question) for c in curated]
        if self.index is not None:
            cosines = self.index.similarity(question, [c.question for c in curated]).tolist()
        else:
            cosines = [0.0] * len(curated)
        dense_weight = 0.6 if has_diacritics(question) else 0.2
        best: CuratedMatch | None = None
        for item, cosine, words in zip(curated, cosines, lexical, strict=True):
            dense = float(np.clip((cosine - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR), 0, 1))
            score = dense_weight * dense + (1 - dense_weight) * words
            if self.index is None:
                score = words
            if best is None or score > best.score:
                best = CuratedMatch(item, score, float(cosine), words)
        if best is None or best.score < self.settings.curated_min_similarity:
            return None
        return best

    # -- privacy -----------------------------------------------------------------------------

    def purge_expired(self) -> int:
        """Delete questions older than LOG_RETENTION_DAYS; returns how many."""
        cutoff = self._clock() - dt.timedelta(days=self.settings.log_retention_days)
        return self.log.purge_before(timestamp(cutoff))

    def forget_user(self, user_id: int) -> int:
        return self.log.forget_user(user_id)

    # -- listing and export ------------------------------------------------------------------

    def listed(self, state: str | None = None, since: dt.date | None = None) -> (
            list[LoggedQuestion]):
        """Questions for `review list`: by default every one awaiting review."""
        if state is not None and state not in LIST_STATES:
            raise ValueError(f"state must be one of {', '.join(LIST_STATES)}")
        states = (state,) if state else AWAITING_REVIEW
        start = timestamp(dt.datetime.combine(since, dt.time(), dt.UTC)) if since else None
        return self.log.questions(states=states, since=start)

    def write_csv(self, out: TextIO, questions: Iterable[LoggedQuestion] | None = None,
                  with_faq: bool = True) -> int:
        """Questions (all by default) then curated answers, one row each; returns the rows."""
        writer = csv.DictWriter(out, EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        rows = 0
        for q in self.log.questions() if questions is None else questions:
            writer.writerow(question_row(q))
            rows += 1
        for c in self.log.all_curated() if with_faq else []:
            writer.writerow({"kind": "faq", "id": c.id, "asked_at": c.created_at,
                             "question": c.question, "answer": c.answer,
                             "source_url": c.source_url or ""})
            rows += 1
        return rows

    def export_csv(self, path: Path) -> int:
        """Everything to a CSV file in UTF-8 with a BOM, so spreadsheets show Vietnamese."""
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            return self.write_csv(out)


class CuratedFirst(Answerer):
    """An Answerer that serves a moderators' curated answer when the question matches one."""

    def __init__(self, answerer: Answerer, moderation: Moderation) -> None:
        super().__init__(answerer.index, answerer.settings)
        self._inner = answerer
        self.moderation = moderation

    def answer(self, question: str) -> Answer:
        found = self.moderation.match(question)
        if found is None:
            return self._inner.answer(question)
        item = found.curated
        sources = ([Citation(f"faq:{item.id}", _link_title(item.source_url), item.source_url,
                             None, None)] if item.source_url else [])
        return Answer(item.answer, sources, 1.0, True, [], curated_id=item.id)

    def more(self, question: str, offset: int, count: int = 3):
        return self._inner.more(question, offset, count)


def question_row(q: LoggedQuestion) -> dict:
    return {"kind": "question", "id": q.id, "asked_at": q.asked_at, "chat_type": q.chat_type,
            "question": q.question, "answer": q.answer, "answered": int(q.answered),
            "confidence": round(q.confidence, 3),
            "sources": " ".join(s.get("url") or s.get("title") or "" for s in q.sources),
            "latency_ms": q.latency_ms, "feedback": "" if q.feedback is None else q.feedback,
            "review_state": q.review_state, "reviewed_at": q.reviewed_at or "",
            "moderator_answer": q.moderator_answer or ""}


def csv_text(moderation: Moderation, questions: Iterable[LoggedQuestion]) -> str:
    out = io.StringIO()
    moderation.write_csv(out, questions, with_faq=False)
    return out.getvalue()


def word_overlap(a: str, b: str) -> float:
    """Dice overlap of folded content words and word pairs: 1.0 for the same question typed
    with or without diacritics."""
    first, second = set(content_terms(a)), set(content_terms(b))
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def top_topics(questions: Iterable[str], limit: int = 5) -> list[tuple[str, int]]:
    """The word pairs (else words) most questions share, as most often written."""
    pairs: Counter[str] = Counter()
    words: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for question in questions:
        written = syllables(question)
        folded = [fold(w) for w in written]
        content = set(content_terms(question))
        seen_pairs: dict[str, None] = {}  # ordered, so ties rank by first appearance
        seen_words: dict[str, None] = {}
        for (a, b), (fa, fb) in zip(itertools.pairwise(written), itertools.pairwise(folded),
                                    strict=True):
            if f"{fa}_{fb}" in content:
                seen_pairs[f"{fa} {fb}"] = None
                spelling.setdefault(f"{fa} {fb}", Counter())[f"{a} {b}"] += 1
        for w, fw in zip(written, folded, strict=True):
            if fw in content and len(fw) > 1:
                seen_words[fw] = None
                spelling.setdefault(fw, Counter())[w] += 1
        pairs.update(list(seen_pairs))
        words.update(list(seen_words))
    ranked = list(pairs.most_common())
    # A word is its own topic only when it is asked about more often than in any one pair.
    in_pairs: Counter[str] = Counter()
    for key, n in ranked:
        for word in key.split():
            in_pairs[word] = max(in_pairs[word], n)
    ranked += [(k, n) for k, n in words.most_common() if n > in_pairs[k]]
    ranked.sort(key=lambda item: (-item[1], -len(item[0].split())))
    return [(spelling[k].most_common(1)[0][0], n) for k, n in ranked[:limit]]


def _checked_faq(question: str, answer: str, source_url: str | None) -> tuple[str, str,
                                                                               str | None]:
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise ValueError("a curated answer needs a question and an answer")
    source_url = (source_url or "").strip() or None
    if source_url and not source_url.startswith(("https://", "http://")):
        raise ValueError(f"the source link must start with http:// or https://: {source_url}")
    return question, answer, source_url


def _link_title(url: str | None) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0] if url else "—"


def split_source(text: str) -> tuple[str, str | None]:
    """A moderator's answer whose last line is a bare link: the link becomes its source."""
    lines = text.strip().splitlines()
    if len(lines) > 1 and lines[-1].strip().startswith(("https://", "http://")) and \
            " " not in lines[-1].strip():
        return "\n".join(lines[:-1]).strip(), lines[-1].strip()
    return text.strip(), None
