"""BM25's best passages summed in compiled code (numba): every posting of a question's words.

At a million passages a long question's words list 5-13 million postings a channel. numpy
summed them with `np.add.at` into a fresh array of every passage, after reading each list into
new arrays, then partly sorted that array: about 45 ms a channel. Here one loop adds the lists
straight from the mapped files into a per-thread array kept between questions, and one pass
takes the best `n` from it and zeroes it for the next question. The sums are the same float32
additions in the same order (the question's words in order, a repeated word again), so scores
are bit for bit numpy's; ties are broken by passage number. Compiled functions release the GIL,
so two answer workers sum at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import numba
import numpy as np

log = logging.getLogger(__name__)


def _add_lists(scores: np.ndarray, indices: np.ndarray, data: np.ndarray, starts: np.ndarray,
               stops: np.ndarray, sequence: np.ndarray) -> None:
    """Add list `s` (postings `starts[s]:stops[s]`) for each `s` of `sequence`, in order."""
    for s in sequence:
        for i in range(starts[s], stops[s]):
            scores[indices[i]] += data[i]


def _take_best(scores: np.ndarray, n: int, passages: np.ndarray, best: np.ndarray) -> int:
    """The `n` highest positive scores into `passages`/`best` (a heap, unordered), ties kept
    by lower passage number; zeroes `scores` on the way. How many were found."""
    size = 0
    for p in range(len(scores)):
        s = scores[p]
        if s <= 0.0:
            continue
        scores[p] = 0.0
        if size < n:  # sift up: the heap's root is the worst kept (lowest, then latest)
            i = size
            size += 1
            while i > 0:
                parent = (i - 1) >> 1
                if best[parent] < s or (best[parent] == s and passages[parent] > p):
                    break
                best[i], passages[i] = best[parent], passages[parent]
                i = parent
            best[i], passages[i] = s, p
        elif s > best[0]:  # a tie with the worst kept comes later: it stays out
            i = 0
            while True:
                child = 2 * i + 1
                if child >= size:
                    break
                right = child + 1
                if right < size and (best[right] < best[child] or (
                        best[right] == best[child] and passages[right] > passages[child])):
                    child = right
                if s < best[child] or (s == best[child] and p > passages[child]):
                    break
                best[i], passages[i] = best[child], passages[child]
                i = child
            best[i], passages[i] = s, p
    return size


def _compile(function: Callable) -> Callable:
    """Compiled with its machine code cached on disk (next to this file, or numba's cache
    folder); compiled in memory when no cache folder is writable."""
    try:  # numba refuses here when it has nowhere to write its cache
        return numba.njit(cache=True, nogil=True, boundscheck=False)(function)
    except (RuntimeError, OSError) as error:
        log.warning("numba cannot cache %s (%s): compiling it in each process",
                    function.__name__, error)
        return numba.njit(cache=False, nogil=True, boundscheck=False)(function)


_add = _compile(_add_lists)
_best = _compile(_take_best)
_buffers = threading.local()


def _scores(size: int) -> np.ndarray:
    """This thread's array of every passage's score, all zero (kept between questions)."""
    scores = getattr(_buffers, "scores", None)
    if scores is None or len(scores) != size:
        scores = _buffers.scores = np.zeros(size, dtype=np.float32)
    return scores


def best_passages(indices: np.ndarray, data: np.ndarray, indptr: np.ndarray,
                  columns: list[int], size: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The `n` best passages of `size` and their BM25, best first (ties by passage number),
    summing each of `columns` (a CSC matrix's columns, a repeated one again) in order."""
    if not columns or size == 0 or n <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    distinct: dict[int, int] = {}
    sequence = np.fromiter((distinct.setdefault(c, len(distinct)) for c in columns),
                           dtype=np.int64, count=len(columns))
    read = np.fromiter(distinct, dtype=np.int64, count=len(distinct))
    starts, stops = np.asarray(indptr[read], np.int64), np.asarray(indptr[read + 1], np.int64)
    scores = _scores(size)
    passages = np.empty(min(n, size), dtype=np.int64)
    best = np.empty(len(passages), dtype=np.float32)
    try:
        _add(scores, indices, data, starts, stops, sequence)
        found = _best(scores, len(passages), passages, best)
    except BaseException:
        scores.fill(0)  # the next question starts from zero whatever happened
        raise
    order = np.lexsort((passages[:found], -best[:found]))
    return passages[order], best[order]


def warm_up() -> None:
    """Compile (or load from the cache) both loops for the arrays a channel hands them, so the
    first question does not pay for it."""
    for writeable in (True, False):
        indices, data = np.zeros(1, dtype=np.int32), np.ones(1, dtype=np.float32)
        indices.flags.writeable = data.flags.writeable = writeable
        best_passages(indices, data, np.array([0, 1], dtype=np.int64), [0], 1, 1)
