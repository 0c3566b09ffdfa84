"""Put diacritics back on a question typed without them, from the corpus's own spelling.

The embedding model cannot read `huan chuong lao dong`; it reads `huân chương lao động`. Every
folded syllable remembers its accented spellings and every folded pair its spelled pairs, with
how often the corpus writes each, so restoring a question is finding the spelling of the whole
question a bigram model of the corpus finds likeliest (Viterbi): a syllable is read with both
its neighbours, not only the one before it ("co the" is "có thể", "co quan" "cơ quan").

The tables are two marisa tries (folded syllable -> spellings with counts; folded pair ->
spelled pairs with counts), built with the index and stored in its generation: a serving
process maps them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import marisa_trie
import numpy as np

from index.text import fold, syllables

UNIGRAMS = "restore-unigrams.marisa"
BIGRAMS = "restore-bigrams.marisa"
_LOW = (1 << 32) - 1
# Batches of counted pairs merged into one: bounds the build's memory by the distinct pairs.
MERGE_EVERY = 8
# How many sightings a pair the corpus never wrote is worth, shared out by how often each
# spelling is written alone (the bigram model's smoothing toward the unigram one).
UNSEEN_PAIR_WEIGHT = 5.0


class RestorerBuilder:
    """Counts syllables and syllable pairs, given as ids (in order of first appearance in the
    corpus, which is how ties are broken: the spelling met first wins)."""

    def __init__(self) -> None:
        self._unigrams = np.zeros(0, dtype=np.int64)
        self._pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._seen = 0  # pairs counted so far: positions of first appearance

    def add(self, docs: Sequence[np.ndarray]) -> None:
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        words = np.concatenate(docs)
        counts = np.bincount(words)
        if len(counts) > len(self._unigrams):
            self._unigrams = np.pad(self._unigrams, (0, len(counts) - len(self._unigrams)))
        self._unigrams[:len(counts)] += counts
        pairs = np.concatenate([(d[:-1] << 32) | d[1:] for d in docs])
        unique, first, count = np.unique(pairs, return_index=True, return_counts=True)
        self._pairs.append((unique, first + self._seen, count))
        self._seen += len(pairs)
        if len(self._pairs) >= MERGE_EVERY:
            self._pairs = [_merge(self._pairs)]

    def finish(self, spelled: Sequence[str], folded: Sequence[str],
               fold_of: np.ndarray) -> DiacriticRestorer:
        """`spelled[i]` is syllable id i as written, `fold_of[i]` the id of its folding
        in `folded`."""
        ids = np.arange(len(self._unigrams))
        present = ids[self._unigrams > 0]
        order = np.lexsort((present, -self._unigrams[present], fold_of[present]))
        unigrams = marisa_trie.BytesTrie(_spelling_entries(
            present[order], self._unigrams, spelled, folded, fold_of))
        bigrams = marisa_trie.BytesTrie(_pair_entries(self._pairs, spelled, folded, fold_of))
        self._pairs = []
        return DiacriticRestorer(unigrams, bigrams)


def _spelling_entries(ranked: np.ndarray, counts: np.ndarray, spelled: Sequence[str],
                      folded: Sequence[str], fold_of: np.ndarray) -> Iterable[tuple[str, bytes]]:
    """`folded syllable` -> `spelling count` lines, most frequent first, ties by first
    appearance."""
    keys = fold_of[ranked].tolist()
    lines: list[str] = []
    for i, syllable in enumerate(ranked.tolist()):
        lines.append(f"{spelled[syllable]} {int(counts[syllable])}")
        if i + 1 == len(keys) or keys[i + 1] != keys[i]:
            yield folded[keys[i]], "\n".join(lines).encode("utf-8")
            lines = []


def _merge(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counted pairs of several batches as one: each pair once, its first position, its count."""
    codes = np.concatenate([p[0] for p in parts])
    unique, index, inverse = np.unique(codes, return_index=True, return_inverse=True)
    counts = np.bincount(inverse.reshape(-1), weights=np.concatenate([p[2] for p in parts]))
    first = np.concatenate([p[1] for p in parts])[index]  # batches are in corpus order
    return unique, first, counts.astype(np.int64)


def _pair_entries(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
                  spelled: Sequence[str], folded: Sequence[str],
                  fold_of: np.ndarray) -> Iterable[tuple[str, bytes]]:
    """`folded pair` -> `a b count` lines, most frequent first, ties by first appearance."""
    if not parts:
        return
    unique, first, counts = _merge(parts)
    a, b = unique >> 32, unique & _LOW
    key = (fold_of[a] << 32) | fold_of[b]
    order = np.lexsort((first, -counts, key))
    a, b, counts = a[order].tolist(), b[order].tolist(), counts[order].astype(np.int64).tolist()
    key, fold_of = key[order].tolist(), fold_of.tolist()
    lines: list[str] = []
    for i in range(len(key)):
        lines.append(f"{spelled[a[i]]} {spelled[b[i]]} {counts[i]}")
        if i + 1 == len(key) or key[i + 1] != key[i]:
            yield f"{folded[fold_of[a[i]]]} {folded[fold_of[b[i]]]}", "\n".join(lines).encode()
            lines = []


class DiacriticRestorer:
    """Folded -> accented spellings learned from the indexed passages."""

    def __init__(self, unigrams: marisa_trie.BytesTrie, bigrams: marisa_trie.BytesTrie) -> None:
        self._unigrams = unigrams
        self._bigrams = bigrams
        self._syllables: int | None = None

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> DiacriticRestorer:
        """Learned from texts in memory (tests; an index's restorer is built with its word
        channels by `index.search.word_tables`)."""
        from index.search.word_tables import build_word_tables

        return build_word_tables(texts).restorer

    def save(self, folder: Path) -> list[str]:
        self._unigrams.save(str(folder / UNIGRAMS))
        self._bigrams.save(str(folder / BIGRAMS))
        return [UNIGRAMS, BIGRAMS]

    @classmethod
    def load(cls, folder: Path) -> DiacriticRestorer:
        return cls(marisa_trie.BytesTrie().mmap(str(folder / UNIGRAMS)),
                   marisa_trie.BytesTrie().mmap(str(folder / BIGRAMS)))

    def _spellings(self, key: str) -> dict[str, int | None]:
        """A folded syllable's spellings with their counts, most frequent first (no count in
        a generation built before counts were kept)."""
        found = self._unigrams.get(key)
        return _counted(found[0]) if found else {}

    def _candidates(self, folded: list[str], pairs: list[dict[tuple[str, str], int]],
                    ) -> list[dict[str, int]]:
        """Each syllable's possible spellings with their counts: those the corpus writes it
        in, and those its pairs with its neighbours write it in (the only ones a generation
        built before counts were kept knows besides the commonest)."""
        candidates = []
        for i, key in enumerate(folded):
            paired: dict[str, int] = {}
            for side, which in ((i - 1, 1), (i, 0)):
                if 0 <= side < len(pairs):
                    seen: dict[str, int] = {}
                    for pair, count in pairs[side].items():
                        seen[pair[which]] = seen.get(pair[which], 0) + count
                    for spelling, count in seen.items():
                        paired[spelling] = max(paired.get(spelling, 0), count)
            written = self._spellings(key)
            counts = {s: n if n is not None else paired.get(s, 1) for s, n in written.items()}
            counts.update({s: n for s, n in paired.items() if s not in counts})
            candidates.append(counts or {key: 0})  # unknown: as typed
        return candidates

    def _total(self) -> int:
        """How many syllables the corpus has, counted once on first use (a generation built
        before counts were kept counts each folded syllable once)."""
        if self._syllables is None:
            self._syllables = sum(count or 1 for _, value in self._unigrams.items()
                                  for count in _counted(value).values())
        return self._syllables

    def _pairs(self, first: str, second: str) -> dict[tuple[str, str], int]:
        """Spellings of a folded pair with their counts (empty: the corpus never has it)."""
        found = self._bigrams.get(f"{first} {second}")
        if not found:
            return {}
        pairs = (line.split(" ") for line in found[0].decode("utf-8").split("\n"))
        return {(a, b): int(count) for a, b, count in pairs}

    def restore(self, text: str) -> str:
        """The question with the corpus's most likely diacritics; unknown words stay as typed."""
        folded = [fold(w) for w in syllables(text)]
        if not folded:
            return ""
        pairs = [self._pairs(first, second) for first, second in itertools.pairwise(folded)]
        spellings = self._candidates(folded, pairs)
        total = self._total() + 1

        def alone(count: int) -> float:  # how often a spelling is written, of all syllables
            return (count + 0.5) / total

        # best[s]: the log-likelihood of the likeliest spelling of the question so far that
        # ends with spelling s; back[i][s]: the spelling before s on it.
        best = {s: math.log(alone(n)) for s, n in spellings[0].items()}
        back: list[dict[str, str]] = []
        for i in range(1, len(folded)):
            written = pairs[i - 1]
            step: dict[str, float] = {}
            came_from: dict[str, str] = {}
            for spelling, count in spellings[i].items():
                prior = UNSEEN_PAIR_WEIGHT * alone(count)
                step[spelling], came_from[spelling] = max((
                    (score + math.log((written.get((before, spelling), 0) + prior) / (
                        spellings[i - 1][before] + UNSEEN_PAIR_WEIGHT)), before)
                    for before, score in best.items()), key=lambda option: option[0])
            best = step
            back.append(came_from)
        spelling = max(best, key=best.__getitem__)
        restored = [spelling]
        for came_from in reversed(back):
            spelling = came_from[spelling]
            restored.append(spelling)
        return " ".join(reversed(restored))


def _counted(value: bytes) -> dict[str, int | None]:
    """A syllable's stored `spelling count` lines as a mapping (no count: a generation built
    before counts were kept)."""
    spellings: dict[str, int | None] = {}
    for line in value.decode("utf-8").split("\n"):
        spelling, _, count = line.partition(" ")
        spellings[spelling] = int(count) if count else None
    return spellings
