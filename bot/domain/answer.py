"""From ranked passages to a short answer that quotes its sources, or an honest "not covered"."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from bot.settings import BotSettings
from index import Citation, Hit, Index, fold, has_diacritics, nfc, split_sentences, syllables

NOT_COVERED = (
    "Xin lỗi, các bài viết đã đăng chưa có thông tin để trả lời câu hỏi này. "
    "Bạn có thể hỏi lại bằng từ ngữ khác, nêu rõ tên phường/quận, sự việc hoặc thời gian."
)
PASSAGES_CONSIDERED = 3
SENTENCES_EMBEDDED = 4  # the model is the costly step: only the lexical front-runners
CLOSE_CALL = 0.15  # lexical scores this close to the best are a tie for meaning to break

# Question words and function words (folded): they say how to ask, not what is asked.
_STOPWORDS = frozenset("""
ai gi nao dau bao nhieu khi sao the nao vay a ah nhe oi xin hoi cho biet toi minh ban em anh
o tai cua la co khong duoc va thi nhu nay do may nhung cac mot voi ve tu den hay hoac da se dang
phai can lam bi boi nen thuoc trong ngoai tren duoi sau truoc roi cung nua
who what when where which why how is are was were be been the a an of in on at to for from by
with and or did does do has have had it its this that there please tell me about
""".split())


@dataclass(frozen=True)
class Answer:
    text: str
    sources: list[Citation]
    confidence: float
    answered: bool
    hits: list[Hit] = field(default_factory=list, repr=False)
    curated_id: int | None = None  # a moderators' curated answer, not quoted from articles

    def to_json(self) -> dict:
        return {
            "answered": self.answered,
            "verified_by_moderators": self.curated_id is not None,
            "answer": self.text,
            "confidence": round(self.confidence, 3),
            "sources": [
                {"title": s.title, "url": s.url,
                 "published": s.published.isoformat() if s.published else None,
                 "source": s.publisher, "publisher": s.publisher}
                for s in self.sources
            ],
        }


@dataclass
class _Sentence:
    text: str
    hit_rank: int
    order: int  # position in the passage, to keep quoted sentences in reading order
    hit: Hit
    lexical: float = 0.0
    dense: float = 0.0
    score: float = 0.0


class Answerer:
    """Picks the sentences that answer a question, verbatim, and scores how sure it is."""

    def __init__(self, index: Index, settings: BotSettings) -> None:
        self.index = index
        self.settings = settings

    def answer(self, question: str) -> Answer:
        question = nfc(question).strip()
        hits = self.index.search(question, k=PASSAGES_CONSIDERED + 2)
        if not hits:
            return Answer(NOT_COVERED, [], 0.0, False, hits)
        terms = Terms.of(question, self.index)
        sentences = self._candidates(hits[:PASSAGES_CONSIDERED])
        if not sentences:
            return Answer(NOT_COVERED, [], 0.0, False, hits)
        self._score(question, terms, sentences)
        chosen = self._choose(sentences, terms)
        confidence = self._confidence(question, terms, chosen, hits[0])
        if confidence < self.settings.answer_min_confidence:
            return Answer(NOT_COVERED, [], confidence, False, hits)
        # The best sentence leads; the ones that complete it follow in reading order.
        chosen[1:] = sorted(chosen[1:], key=lambda s: (s.hit_rank, s.order))
        text = " ".join(s.text for s in chosen)
        return Answer(text, _sources(s.hit for s in chosen), confidence, True, hits)

    def more(self, question: str, offset: int, count: int = 3) -> list[Hit]:
        """The next passages after the ones already shown, for "Xem thêm"."""
        hits = self.index.search(nfc(question).strip(), k=offset + count)
        return hits[offset:offset + count]

    def _candidates(self, hits: list[Hit]) -> list[_Sentence]:
        sentences = []
        seen: set[str] = set()
        for rank, hit in enumerate(hits):
            for order, text in enumerate(split_sentences(hit.text)):
                if len(text.split()) < 4 or text == hit.article.title or text in seen:
                    continue
                seen.add(text)
                sentences.append(_Sentence(text, rank, order, hit))
        return sentences

    def _score(self, question: str, terms: Terms, sentences: list[_Sentence]) -> None:
        """Words first (cheap, and right about names and numbers), then meaning for the best few."""
        names = proper_names(question)
        contexts = [_folded_context(f"{s.hit.article.title} {s.text}") for s in sentences]
        named_somewhere = {n for n in names if any(n in c for c in contexts)}
        for sentence, context in zip(sentences, contexts, strict=True):
            # The title says who and where; a sentence often leaves that implicit.
            sentence.lexical = _covered(terms, context)
            sentence.score = sentence.lexical + 0.05 / (1 + sentence.hit_rank)
            # A sentence about another district is no answer, however similar it sounds.
            if named_somewhere - context:
                sentence.score *= 0.6
        # Meaning decides between sentences the words cannot separate; embedding is the
        # costly step, so a clear lexical winner is not second-guessed.
        ranked = sorted(sentences, key=lambda s: -s.score)
        shortlist = [s for s in ranked[:SENTENCES_EMBEDDED]
                     if s.score >= ranked[0].score - CLOSE_CALL]
        if len(shortlist) < 2:
            return
        # Without diacritics the model cannot read the question: trust the words more.
        dense_weight = 0.35 if has_diacritics(question) else 0.15
        cosines = self.index.similarity(question, [s.text for s in shortlist])
        best = float(cosines.max())
        for sentence, cosine in zip(shortlist, cosines.tolist(), strict=True):
            sentence.dense = float(np.clip(1 - (best - cosine) / 0.05, 0.0, 1.0))
        for sentence in sentences:
            sentence.score = (1 - dense_weight) * sentence.score + dense_weight * sentence.dense

    def _choose(self, sentences: list[_Sentence], terms: Terms) -> list[_Sentence]:
        """The best sentence, the one right after it, and others that add missing terms."""
        ranked = sorted(sentences, key=lambda s: -s.score)
        best = ranked[0]
        chosen = [best]
        length = len(best.text)
        limit = self.settings.answer_max_chars
        # A sentence that matches the question often introduces the answer in the next one
        # ("... công bố Chỉ số cải cách hành chính. ... phường Hàng Bài xếp thứ nhất").
        following = next(
            (s for s in sentences if s.hit is best.hit and s.order == best.order + 1), None)
        if following and following.lexical > 0 and length + len(following.text) <= limit:
            chosen.append(following)
            length += len(following.text)
        for candidate in ranked[1:]:
            if len(chosen) >= self.settings.answer_max_sentences:
                break
            if candidate.score < 0.75 * best.score:
                break
            if candidate in chosen or length + len(candidate.text) > limit:
                continue
            other_article = candidate.hit.article.id != best.hit.article.id
            if other_article and candidate.score < 0.95 * best.score:
                continue
            quoted = " ".join(s.text for s in chosen)
            if coverage(terms, f"{quoted} {candidate.text}") > coverage(terms, quoted):
                chosen.append(candidate)
                length += len(candidate.text)
        return chosen

    def _confidence(self, question: str, terms: Terms, chosen: list[_Sentence],
                    top: Hit) -> float:
        """How well the quoted text covers what was asked, and how close it is in meaning."""
        quoted = " ".join([chosen[0].hit.article.title, *(s.text for s in chosen)])
        passage = f"{top.article.title} {top.text}"
        lexical = max(coverage(terms, quoted), 0.9 * coverage(terms, passage))
        if not has_diacritics(question):
            # Unaccented Vietnamese is read by its words; the model cannot read it, and its
            # similarities for other languages proved no evidence of an answer.
            return lexical
        return 0.6 * lexical + 0.4 * self._dense_evidence(top.dense_gap)

    def _dense_evidence(self, gap: float) -> float:
        """0 to 1 from how far a text stands above the question's typical cosine."""
        low, high = self.settings.dense_gap_floor, self.settings.dense_gap_ceiling
        return float(np.clip((gap - low) / max(high - low, 1e-6), 0.0, 1.0))


def content_terms(text: str) -> list[str]:
    """Folded content syllables of a question, and adjacent pairs of them."""
    words = [fold(w) for w in syllables(text)]
    content = [w for w in words if w not in _STOPWORDS]
    pairs = [f"{a}_{b}" for a, b in itertools.pairwise(words)
             if a not in _STOPWORDS and b not in _STOPWORDS]
    return content + pairs


def proper_names(text: str) -> set[str]:
    """Folded pairs of capitalised syllables after the first word: "Tây Hồ", "Hoàn Kiếm"."""
    words = nfc(text).split()[1:]
    names = set()
    for a, b in itertools.pairwise(words):
        a, b = a.strip(".,;:?!\"'()"), b.strip(".,;:?!\"'()")
        if a[:1].isupper() and b[:1].isupper():
            names.add(f"{fold(a)}_{fold(b)}")
    return names


@dataclass(frozen=True)
class Terms:
    """The words of a question that carry meaning, each weighted by how rare it is."""

    words: list[str]
    weights: list[float]

    @classmethod
    def of(cls, question: str, index: Index | None = None) -> Terms:
        words = content_terms(question)
        rarity = index.term_weights(words) if index is not None else [1.0] * len(words)
        names = proper_names(question)
        idf = dict(zip(words, rarity, strict=True))
        weights = []
        for word in words:
            if "_" not in word:
                weights.append(idf[word])
                continue
            # A pair weighs as its syllables together, not by its own rarity (accidental pairs
            # across a clause are rare and meaningless); names weigh double.
            first, second = word.split("_", 1)
            pair = 0.75 * (idf.get(first, 1.0) + idf.get(second, 1.0))
            weights.append(pair * (2.0 if word in names else 1.0))
        return cls(words, weights)


def _folded_context(text: str) -> set[str]:
    """Folded syllables and adjacent pairs of a text: what question terms are matched against."""
    words = [fold(w) for w in syllables(text)]
    return set(words) | {f"{a}_{b}" for a, b in itertools.pairwise(words)}


def coverage(terms: Terms, text: str) -> float:
    """Weighted share of the question's terms present in a text, diacritics folded."""
    return _covered(terms, _folded_context(text))


def _covered(terms: Terms, present: set[str]) -> float:
    total = sum(terms.weights)
    if total <= 0:
        return 0.0
    return sum(w for t, w in zip(terms.words, terms.weights, strict=True) if t in present) / total


def _sources(hits) -> list[Citation]:
    sources: list[Citation] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.article.id not in seen:
            seen.add(hit.article.id)
            sources.append(hit.article)
    return sources
