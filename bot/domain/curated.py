"""Curated answers: question -> answer pairs moderators verified, served before the bot's own.

A citizen's question matches a curated one by meaning (embedding cosine) and by words
(diacritics-folded content terms); `CuratedFirst` puts the match in front of an answerer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from bot.domain.answer import Answer, Answerer
from bot.domain.question_log import Curated, QuestionLog
from bot.domain.scoring import content_terms
from bot.settings import BotSettings
from index import Citation, Hit, Index

# multilingual-e5 puts unrelated Vietnamese questions at cosine ~0.75-0.85 and paraphrases
# above ~0.92: only the part above the floor is evidence of the same question.
DENSE_FLOOR, DENSE_CEILING = 0.80, 0.95
# Without diacritics the model reads Vietnamese poorly, so there the words count more.
DENSE_WEIGHT_WITH_DIACRITICS, DENSE_WEIGHT_WITHOUT = 0.6, 0.2


@dataclass(frozen=True)
class CuratedMatch:
    curated: Curated
    score: float
    cosine: float
    lexical: float


class CuratedAnswers:
    """The curated answers in the question log; `index` is needed only to match by meaning."""

    def __init__(self, log: QuestionLog, settings: BotSettings, index: Index | None = None) -> None:
        self.log = log
        self.settings = settings
        self.index = index

    def list(self) -> list[Curated]:
        return self.log.all_curated()

    def add(self, question: str, answer: str, source_url: str | None = None) -> int:
        return self.log.add_curated(*_checked(question, answer, source_url))

    def edit(self, curated_id: int, question: str, answer: str,
             source_url: str | None = None) -> bool:
        return self.log.update_curated(curated_id, *_checked(question, answer, source_url))

    def delete(self, curated_id: int) -> bool:
        return self.log.delete_curated(curated_id)

    def match(self, question: str) -> CuratedMatch | None:
        """The curated question closest to `question`, if it is close enough
        (CURATED_MIN_SIMILARITY)."""
        curated = self.log.all_curated()
        if not curated:
            return None
        lexical = [word_overlap(question, c.question) for c in curated]
        if self.index is not None:
            query = self.index.understand(question)
            cosines = self.index.similarity(query.readable,
                                            [c.question for c in curated]).tolist()
            dense_weight = (DENSE_WEIGHT_WITH_DIACRITICS if query.accented
                            else DENSE_WEIGHT_WITHOUT)
        else:
            cosines, dense_weight = [0.0] * len(curated), 0.0
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


class CuratedFirst:
    """Answers with a curated answer when the question matches one, else asks `answerer`."""

    def __init__(self, answerer: Answerer, curated: CuratedAnswers) -> None:
        self.answerer = answerer
        self.curated = curated

    @property
    def index(self) -> Index:
        return self.answerer.index

    def answer(self, question: str, after: str | None = None) -> Answer:
        """The curated answer to `question` if one matches, else the articles' answer (a
        follow-up is read with `after`, the chat's previous question)."""
        found = self.curated.match(question)
        if found is None:
            return self.answerer.answer(question, after=after)
        item = found.curated
        sources = ([Citation(f"faq:{item.id}", _link_title(item.source_url), item.source_url,
                             None, None)] if item.source_url else [])
        return Answer(item.answer, sources, 1.0, True, [], curated_id=item.id,
                      language=self.index.understand(question).language, question=question)

    def more(self, question: str, offset: int, count: int = 3,
             cited: Collection[str] = ()) -> list[Hit]:
        return self.answerer.more(question, offset, count, cited)


def word_overlap(a: str, b: str) -> float:
    """Dice overlap of folded content words and word pairs: 1.0 for the same question typed
    with or without diacritics (so both are read by the folded function words)."""
    first, second = set(content_terms(a, marked=False)), set(content_terms(b, marked=False))
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def _checked(question: str, answer: str, source_url: str | None) -> tuple[str, str, str | None]:
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise ValueError("a curated answer needs a question and an answer")
    source_url = (source_url or "").strip() or None
    if source_url and not source_url.startswith(("https://", "http://")):
        raise ValueError(f"the source link must start with http:// or https://: {source_url}")
    return question, answer, source_url


def _link_title(url: str | None) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0] if url else "—"
