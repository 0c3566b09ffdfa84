"""BM25 over syllables and syllable bigrams, one instance per spelling channel.

Scored as bm25s scores by default (Lucene's BM25, k1 1.5, b 0.75; a test holds the two equal),
but built here batch by batch from token ids and stored as a column matrix (three arrays) and a
marisa trie of the vocabulary. bm25s builds from every passage's token list held at once and
keeps its vocabulary in a dict: gigabytes at a million passages, in every serving process.
Stored, a serving process maps the trie and the lists; a question's lists are summed in
compiled code (`index.search.postings_kernel`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import marisa_trie
import numpy as np

from index.search import postings_kernel
from index.search.array_file import ArrayFile, InMemoryArray

# bm25s's defaults, which the channels were tuned with.
K1, B = 1.5, 0.75
# Bytes of distinct posting lists a channel reads through its mapping before it gives their
# pages back: bounds what the lists add to the process's resident memory, without faulting
# the common words' lists in again on every question (benchmarks/RESULTS.md, "Scale: what
# fits"); about all the lists questions read at 100k passages.
MAPPED_BUDGET = 128 * 2**20
# What Linux maps at once around a page read from a file (fault_around_bytes): a short list
# keeps that much of its neighbours mapped with it.
FAULT_AROUND = 64 * 2**10


@dataclass
class Postings:
    """BM25 scores by word: for word `w` (its id in `vocab`), the passages
    `indices[indptr[w]:indptr[w + 1]]` hold it, with scores `data[...]` (a CSC matrix)."""

    vocab: marisa_trie.Trie
    indptr: np.ndarray
    indices: ArrayFile | InMemoryArray
    data: ArrayFile | InMemoryArray
    size: int  # passages
    # The lists read through the mapping since its pages were last given back, and their bytes.
    _mapped: set[int] = field(default_factory=set)
    _mapped_bytes: int = 0

    def column(self, token: str) -> int | None:
        return self.vocab.get(token)

    def passages_with(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        start, stop = int(self.indptr[column]), int(self.indptr[column + 1])
        return self.indices.read(start, stop), self.data.read(start, stop)

    def release(self, columns: list[int]) -> None:
        """Note the lists just read through the mapping; once the distinct lists read since
        the last release pass `MAPPED_BUDGET` bytes, give their pages back (they stay in the
        shared page cache). The process's resident memory then holds at most that much of the
        lists (3 GB of them at a million passages), and a common word's list, read by most
        questions, stays mapped from one to the next."""
        new = set(columns) - self._mapped
        self._mapped |= new
        self._mapped_bytes += sum(2 * max(4 * self.document_frequency(c), FAULT_AROUND)
                                  for c in new)
        if self._mapped_bytes > MAPPED_BUDGET:
            self._mapped, self._mapped_bytes = set(), 0
            self.indices.release(0, len(self.indices))
            self.data.release(0, len(self.data))

    def document_frequency(self, column: int) -> int:
        return int(self.indptr[column + 1] - self.indptr[column])

    def save(self, folder: Path, name: str) -> list[str]:
        """Write the four files of this channel into `folder`; their names."""
        if not isinstance(self.indices, InMemoryArray) or not isinstance(self.data,
                                                                         InMemoryArray):
            raise TypeError("only postings built in this process are saved")
        arrays = {"indptr": self.indptr, "indices": self.indices.array,
                  "data": self.data.array}
        files = []
        for part, array in arrays.items():
            path = folder / f"{name}.{part}.npy"
            with open(path, "wb") as handle:
                np.save(handle, np.ascontiguousarray(array))
            files.append(path.name)
        self.vocab.save(str(folder / f"{name}.vocab.marisa"))
        return [*files, f"{name}.vocab.marisa"]

    @classmethod
    def load(cls, folder: Path, name: str, size: int) -> Postings:
        """Map a stored channel; ValueError or OSError when its files do not agree."""
        vocab = marisa_trie.Trie().mmap(str(folder / f"{name}.vocab.marisa"))
        indptr = np.load(folder / f"{name}.indptr.npy", mmap_mode="r")
        indices = ArrayFile(folder / f"{name}.indices.npy")
        data = ArrayFile(folder / f"{name}.data.npy")
        if len(indptr) != len(vocab) + 1 or not (int(indptr[-1]) == len(indices) == len(data)):
            raise ValueError(f"the files of the word channel {name} do not agree "
                             f"({len(vocab)} words, {len(indptr)} pointers, {len(indices)} "
                             f"postings, {len(data)} scores)")
        postings_kernel.warm_up()  # compiled (or loaded) now, not on the first question
        return cls(vocab, indptr, indices, data, size)


class PostingsBuilder:
    """Collects passages as arrays of token codes, a batch at a time, and computes BM25 at
    the end: memory grows with the distinct (passage, word) pairs, not with Python lists."""

    def __init__(self) -> None:
        # Token codes seen so far, sorted, with their ids; `_codes[id]` is the code of an id.
        self._sorted = np.empty(0, dtype=np.int64)
        self._sorted_ids = np.empty(0, dtype=np.int64)
        self._codes: list[np.ndarray] = []
        self._known = 0
        # Per batch: passage, token id and count of each distinct (passage, token).
        self._batches: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._lengths: list[np.ndarray] = []
        self._size = 0

    def add(self, docs: Sequence[np.ndarray]) -> None:
        """One batch of passages, each the codes of its tokens in order (repeats count)."""
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        # bm25s gives an empty passage the token "": its length is 1, not 0.
        self._lengths.append(np.maximum(lengths, 1).astype(np.float32))
        if lengths.sum():
            codes = np.concatenate([np.asarray(d, dtype=np.int64) for d in docs])
            doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
            unique, inverse = np.unique(codes, return_inverse=True)
            ids = self._ids(unique)
            pairs, counts = np.unique(doc * len(unique) + inverse.reshape(-1),
                                      return_counts=True)
            self._batches.append(((pairs // len(unique) + self._size).astype(np.int32),
                                  ids[pairs % len(unique)].astype(np.int32),
                                  np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)))
        self._size += len(docs)

    def _ids(self, unique: np.ndarray) -> np.ndarray:
        """Ids of sorted distinct codes; codes not seen before get the next ones."""
        at = np.searchsorted(self._sorted, unique)
        found = at < len(self._sorted)
        found[found] = self._sorted[at[found]] == unique[found]
        ids = np.empty(len(unique), dtype=np.int64)
        ids[found] = self._sorted_ids[at[found]]
        new = unique[~found]
        ids[~found] = np.arange(self._known, self._known + len(new))
        self._sorted = np.insert(self._sorted, at[~found], new)
        self._sorted_ids = np.insert(self._sorted_ids, at[~found], ids[~found])
        self._codes.append(new)
        self._known += len(new)
        return ids

    def finish(self, name: Callable[[int], str]) -> Postings:
        """The BM25 matrix in memory; `name` spells a token code as the query tokeniser
        spells it."""
        vocab, indptr, indices, data = self._finish(
            name, lambda part, length, dtype: np.empty(length, dtype=dtype))
        return Postings(vocab, indptr, InMemoryArray(indices), InMemoryArray(data), self._size)

    def finish_into(self, name: Callable[[int], str], folder: Path, table: str) -> list[str]:
        """The BM25 matrix written straight into `folder` (the long arrays are filled through
        a mapping of their files, never held in memory); the names of the files."""
        def allocate(part: str, length: int, dtype: type) -> np.ndarray:
            return np.lib.format.open_memmap(folder / f"{table}.{part}.npy", mode="w+",
                                             dtype=dtype, shape=(length,))

        vocab, indptr, indices, data = self._finish(name, allocate)
        for array in (indices, data):
            array.flush()
        del indices, data
        with open(folder / f"{table}.indptr.npy", "wb") as handle:
            np.save(handle, indptr)
        vocab.save(str(folder / f"{table}.vocab.marisa"))
        return [f"{table}.{part}" for part in ("indptr.npy", "indices.npy", "data.npy",
                                              "vocab.marisa")]

    def _finish(self, name: Callable[[int], str], allocate: Callable[[str, int, type], np.ndarray]
                ) -> tuple[marisa_trie.Trie, np.ndarray, np.ndarray, np.ndarray]:
        """Columns filled a batch at a time (a counting sort): the build never holds more
        than its collected batches and one batch's temporaries."""
        keys = [name(code) for code in _concatenate(self._codes, np.int64).tolist()]
        self._sorted, self._sorted_ids, self._codes = self._sorted[:0], self._sorted_ids[:0], []
        vocab = marisa_trie.Trie(keys)
        column_of = np.fromiter((vocab[key] for key in keys), dtype=np.int32, count=len(keys))
        merge = len(vocab) < len(keys)  # two codes spelled alike are one word (a rare `a_b`)
        del keys
        df = np.zeros(len(vocab), dtype=np.int64)
        for i, (doc, token, tf) in enumerate(self._batches):
            column = column_of[token]
            if merge:
                pairs, inverse = np.unique(doc.astype(np.int64) * len(vocab) + column,
                                           return_inverse=True)
                tf = np.bincount(inverse.reshape(-1), weights=tf).astype(np.uint16)
                doc = (pairs // len(vocab)).astype(np.int32)
                column = (pairs % len(vocab)).astype(np.int32)
            self._batches[i] = (doc, column, tf)  # now columns, not token ids
            df += np.bincount(column, minlength=len(vocab))
        idf = np.log1p((self._size - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = _concatenate(self._lengths, np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        norm = (K1 * ((1 - B) + B * lengths / average)).astype(np.float32)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        indices = allocate("indices", int(indptr[-1]), np.int32)
        data = allocate("data", int(indptr[-1]), np.float32)
        free = indptr[:-1].copy()  # the next empty slot of each column
        while self._batches:
            doc, column, tf = self._batches.pop(0)
            tf = tf.astype(np.float32)
            score = idf[column] * (tf / (norm[doc] + tf))  # BM25 of each (passage, word)
            order = np.argsort(column, kind="stable")
            ordered = column[order]
            rank = np.arange(len(ordered)) - np.searchsorted(ordered, ordered)
            slots = free[ordered] + rank
            indices[slots] = doc[order]
            data[slots] = score[order]
            free += np.bincount(column, minlength=len(vocab))
        return vocab, indptr, indices, data


def within_budget(columns: list[int], frequency: Callable[[int], int], budget: int
                  ) -> list[int]:
    """`columns` without the commonest words' lists (highest document frequency: lowest IDF,
    the least any of them adds to a passage's score) until the distinct lists left hold at
    most `budget` postings, as search engines read verbose queries. The rarest word is always
    kept; the kept words keep their order and repeats, so their sum is the exact one."""
    sizes = {column: frequency(column) for column in columns}
    total = sum(sizes.values())
    if total <= budget:
        return columns
    dropped = set()
    for column in sorted(sizes, key=lambda c: (-sizes[c], c))[:-1]:
        dropped.add(column)
        total -= sizes[column]
        if total <= budget:
            break
    return [column for column in columns if column not in dropped]


def _concatenate(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def build_postings(texts: Sequence[str], tokenize: Callable[[str], list[str]]) -> Postings:
    """BM25 over texts split by any tokeniser (small corpora and tests; an index's channels
    are built together by `index.search.word_tables`)."""
    ids: dict[str, int] = {}
    builder = PostingsBuilder()
    builder.add([np.fromiter((ids.setdefault(t, len(ids)) for t in tokenize(text)),
                             dtype=np.int64) for text in texts])
    names = list(ids)
    return builder.finish(names.__getitem__)


class LexicalChannel:
    """A BM25 index over passages, tokenised by one function (as written, or folded)."""

    def __init__(self, postings: Postings, tokenize: Callable[[str], list[str]]) -> None:
        self._postings = postings
        self._tokenize = tokenize

    @classmethod
    def from_texts(cls, texts: Sequence[str],
                   tokenize: Callable[[str], list[str]]) -> LexicalChannel:
        return cls(build_postings(texts, tokenize), tokenize)

    @property
    def postings(self) -> Postings:
        return self._postings

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency: rare words and names weigh most."""
        column = self._postings.column(token)
        df = 0 if column is None else self._postings.document_frequency(column)
        size = self._postings.size
        return math.log(1 + (size - df + 0.5) / (df + 0.5))

    def search(self, query: str, n: int, budget: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the best `n` passages with a positive score, best first, ties
        by passage number (as bm25s ranks them); a repeated word counts again, as in bm25s.

        With a `budget` (postings read, in passages: 2 reads at most twice as many
        postings as there are passages), a question whose lists hold more leaves out its
        commonest words (`within_budget`); 0 reads every list."""
        postings = self._postings
        columns = self.columns(query, budget)
        try:
            return postings_kernel.best_passages(
                postings.indices.whole(), postings.data.whole(), postings.indptr, columns,
                postings.size, n)
        finally:
            postings.release(columns)

    def columns(self, query: str, budget: float = 0.0) -> list[int]:
        """The lists a search for `query` reads (a repeated word again), within `budget`."""
        postings = self._postings
        columns = [c for c in map(postings.column, self._tokenize(query)) if c is not None]
        if budget:
            columns = within_budget(columns, postings.document_frequency,
                                    int(budget * postings.size))
        return columns

    def postings_read(self, query: str, budget: float = 0.0) -> int:
        """How many postings a search for `query` reads (each distinct list once)."""
        return sum(map(self._postings.document_frequency, set(self.columns(query, budget))))

    def known_share(self, query: str) -> float:
        """Share of the query's syllables that occur in the corpus vocabulary."""
        tokens = [t for t in self._tokenize(query) if "_" not in t]
        if not tokens:
            return 0.0
        return sum(self._postings.column(token) is not None for token in tokens) / len(tokens)
