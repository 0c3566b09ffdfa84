"""The word side of a search: BM25 as written, BM25 folded (no diacritics) and the diacritics
restorer, built together in one pass over the passages by `index build` and stored in the
generation, so a serving process or a replica maps them instead of spending minutes and
gigabytes building them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.search.lexical import LexicalChannel, Postings, PostingsBuilder
from index.search.restore import DiacriticRestorer, RestorerBuilder
from index.text import fold, folded_tokens, lexical_tokens, syllables

LEXICAL = "words-lexical"
FOLDED = "words-folded"
# Passages turned into arrays at a time: bounds the build's temporary memory.
BATCH = 20_000
_LOW = (1 << 32) - 1


@dataclass
class WordTables:
    lexical: LexicalChannel
    folded: LexicalChannel
    restorer: DiacriticRestorer

    def save(self, folder: Path) -> list[str]:
        """Write every table into `folder`; the names of the files written."""
        return [*self.lexical.postings.save(folder, LEXICAL),
                *self.folded.postings.save(folder, FOLDED), *self.restorer.save(folder)]

    @classmethod
    def load(cls, folder: Path, passages: int) -> WordTables:
        """Map the stored tables; ValueError or OSError when they cannot be read."""
        return cls(LexicalChannel(Postings.load(folder, LEXICAL, passages), lexical_tokens),
                   LexicalChannel(Postings.load(folder, FOLDED, passages), folded_tokens),
                   DiacriticRestorer.load(folder))


class _Syllables:
    """Syllable ids in order of first appearance, and the id of each one's folding."""

    def __init__(self) -> None:
        self.spelled: dict[str, int] = {}
        self.folded: dict[str, int] = {}
        self.fold_of: list[int] = []

    def ids(self, text: str) -> np.ndarray:
        words = syllables(text)
        known = self.spelled
        for word in set(words).difference(known):
            self._new(word)
        return np.array(list(map(known.__getitem__, words)), dtype=np.int64)

    def _new(self, word: str) -> int:
        folded = fold(word)
        self.fold_of.append(self.folded.setdefault(folded, len(self.folded)))
        self.spelled[word] = len(self.spelled)


def build_word_tables(texts: Iterable[str]) -> WordTables:
    """Both channels and the restorer from the texts the passages are searched by, in
    memory (a generation built before they were stored; tests)."""
    lexical, folded, restorer, finish = _collect(texts)
    return WordTables(LexicalChannel(finish(lexical, LEXICAL), lexical_tokens),
                      LexicalChannel(finish(folded, FOLDED), folded_tokens),
                      finish(restorer, "restorer"))


def write_word_tables(texts: Iterable[str], folder: Path) -> list[str]:
    """Build the tables and write them into `folder`, one finished at a time (each is
    gigabytes at a million passages); the names of the files written."""
    lexical, folded, restorer, finish = _collect(texts)
    files = finish(lexical, LEXICAL, folder)
    del lexical
    files += finish(folded, FOLDED, folder)
    del folded
    return files + finish(restorer, "restorer").save(folder)


def _collect(texts: Iterable[str]):
    """One pass over the texts, feeding both channels and the restorer; and how to finish
    each of them."""
    words = _Syllables()
    lexical, folded, restorer = PostingsBuilder(), PostingsBuilder(), RestorerBuilder()
    for batch in _batches(texts, BATCH):
        docs = [words.ids(text) for text in batch]
        fold_of = np.asarray(words.fold_of, dtype=np.int64)
        lexical.add([_with_pairs(d) for d in docs])
        folded.add([_with_pairs(fold_of[d]) for d in docs])
        restorer.add(docs)
    spelled, foldings = list(words.spelled), list(words.folded)
    fold_of = np.asarray(words.fold_of, dtype=np.int64)
    del words

    def finish(builder, table: str, folder: Path | None = None):
        """A channel in memory, or written into `folder` (its file names); the restorer."""
        if table in (LEXICAL, FOLDED):
            spell = _spelling(spelled if table == LEXICAL else foldings)
            return (builder.finish(spell) if folder is None
                    else builder.finish_into(spell, folder, table))
        return builder.finish(spelled, foldings, fold_of)

    return lexical, folded, restorer, finish


def _with_pairs(ids: np.ndarray) -> np.ndarray:
    """Token codes of `with_bigrams`: each syllable, then each adjacent pair (above 2**32)."""
    return np.concatenate([ids, ((ids[:-1] + 1) << 32) | ids[1:]])


def _spelling(names: Sequence[str]):
    """How a token code reads in a query's tokens (`a`, or `a_b` for a pair)."""
    def spell(code: int) -> str:
        if code <= _LOW:
            return names[code]
        return f"{names[(code >> 32) - 1]}_{names[code & _LOW]}"
    return spell


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
