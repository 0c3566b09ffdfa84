"""BM25 over syllables and syllable bigrams (bm25s), one instance per spelling channel."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalChannel:
    """A BM25 index over passages, tokenised by one function (as written, or folded)."""

    def __init__(self, texts: Sequence[str], tokenize: Callable[[str], list[str]]) -> None:
        self._tokenize = tokenize
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index([tokenize(text) or [""] for text in texts], show_progress=False)

    def _document_frequency(self, token: str) -> int:
        """Passages holding `token`: the length of its posting list (no second vocabulary,
        which at 100k passages would hold hundreds of thousands of bigrams again)."""
        column = (getattr(self._bm25, "vocab_dict", None) or {}).get(token)
        pointers = self._bm25.scores.get("indptr") if self._size else None
        if column is None or pointers is None or column + 1 >= len(pointers):
            return 0
        return int(pointers[column + 1] - pointers[column])

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency: rare words and names weigh most."""
        df = self._document_frequency(token)
        return math.log(1 + (self._size - df + 0.5) / (df + 0.5))

    def search(self, query: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the best `n` passages with a positive score, best first."""
        tokens = self._tokenize(query)
        if not tokens or self._size == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores = self._bm25.get_scores(tokens)
        n = min(n, self._size)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] > 0]
        return top, scores[top].astype(np.float32)

    def known_share(self, query: str) -> float:
        """Share of the query's syllables that occur in the corpus vocabulary."""
        tokens = [t for t in self._tokenize(query) if "_" not in t]
        if not tokens:
            return 0.0
        vocab = getattr(self._bm25, "vocab_dict", None) or {}
        return sum(token in vocab for token in tokens) / len(tokens)
