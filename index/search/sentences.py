"""Vectors of the passages' sentences, embedded at build and stored with the generation.

Answering breaks close calls between sentences by meaning; embedding those sentences then was
the slowest step of an answer (about 1 in 8 answers, ~230 ms each). A passage's sentences are
fixed once it is built, so the build embeds them once and answering reads them. They are keyed
by a 64-bit hash of the text (sorted, so a lookup is a binary search), which keeps the lookup
table small (8 bytes a sentence) and lets a rebuild reuse the vectors of any sentence it saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from index.search.chunking import Passage
from index.text import split_sentences


def sentence_key(text: str) -> int:
    """The 64-bit key a sentence's vector is stored under (collisions: ~1e-7 at 2 million)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "little")


def passage_sentences(passages: Iterable[Passage]) -> dict[int, str]:
    """Every distinct sentence of the passages (as answering splits them), by key."""
    sentences: dict[int, str] = {}
    for passage in passages:
        for text in split_sentences(passage.text):
            sentences.setdefault(sentence_key(text), text)
    return sentences


class SentenceVectors:
    """Sorted keys and the vectors in the same order; the vectors are read row by row."""

    def __init__(self, keys: np.ndarray, vectors: np.ndarray, read_rows) -> None:
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} sentence keys for {len(vectors)} vectors")
        self.keys = keys
        self.vectors = vectors  # for bulk reads (a build reusing them)
        self._read_rows = read_rows  # rows -> float32 matrix

    def __len__(self) -> int:
        return len(self.keys)

    def rows_of(self, keys: Sequence[int]) -> np.ndarray:
        """The row of each key, -1 for a sentence that is not stored."""
        wanted = np.asarray(keys, dtype=np.uint64)
        if not len(self.keys):
            return np.full(len(wanted), -1, dtype=np.int64)
        rows = np.searchsorted(self.keys, wanted)
        inside = rows < len(self.keys)
        found = np.zeros(len(wanted), dtype=bool)
        found[inside] = self.keys[rows[inside]] == wanted[inside]
        return np.where(found, rows, -1).astype(np.int64)

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """The stored vectors of `texts` and the positions of those not stored (left zero)."""
        rows = self.rows_of([sentence_key(t) for t in texts])
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        found = np.flatnonzero(rows >= 0)
        if len(found):
            out[found] = self._read_rows(rows[found])
        return out, np.flatnonzero(rows < 0).tolist()


def sorted_by_key(sentences: dict[int, np.ndarray], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys ascending and their vectors in the same order: what a generation stores."""
    keys = np.array(sorted(sentences), dtype=np.uint64)
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    for row, key in enumerate(keys.tolist()):
        vectors[row] = sentences[key]
    return keys, vectors
