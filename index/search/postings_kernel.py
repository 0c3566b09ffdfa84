"""BM25's best passages summed in compiled code (numba): every posting of a question's words.

At a million passages a long question's words list 5-13 million postings a channel. numpy
summed them with `np.add.at` into a fresh array of every passage, after reading each list into
new arrays, then partly sorted that array: about 45 ms a channel. Here one loop adds the lists
straight from the mapped files into a per-thread array kept between questions, one pass takes
the best `n` from it, and it is zeroed for the next question. Compiled functions release the
GIL, so two answer workers sum at once.

A word the question repeats counts again (as in bm25s); its list is read once, its scores added
times its count, and the few passages that can be among the best are then summed again word by
word in the question's order: scores are bit for bit those of adding every list in turn
(numpy's sum), ties broken by passage number.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import numba
import numpy as np

log = logging.getLogger(__name__)

# Folding a repeated word's scores changes float32 rounding by at most a few units in the last
# place per word; passages within this many units (per word) of the n-th best are summed again
# exactly, so none that belongs among the best is lost.
_ULPS_PER_WORD = 8
# More passages than this near the n-th best (a corpus of identical passages) are not looked up
# one by one (a score per passage and word: 8 MB for 500 words): the lists are then added again
# in the question's order.
_MOST_RESCORED = 4096


def _add_lists(scores: np.ndarray, indices: np.ndarray, data: np.ndarray, starts: np.ndarray,
               stops: np.ndarray, sequence: np.ndarray, weights: np.ndarray) -> None:
    """For each `s` of `sequence` in turn, add list `s` (postings `starts[s]:stops[s]`) times
    `weights[s]` (a float32 product; times 1 is the score as stored)."""
    for s in sequence:
        weight = weights[s]
        i, stop = starts[s], stops[s]
        # Four postings at a time, their passages read as unsigned (no negative-index check):
        # the loads no longer wait on the previous store, a third less time at 1M passages.
        # A list holds each passage once, so the order within it changes no sum.
        while i + 3 < stop:
            p0, p1 = np.uint32(indices[i]), np.uint32(indices[i + 1])
            p2, p3 = np.uint32(indices[i + 2]), np.uint32(indices[i + 3])
            d0, d1 = weight * data[i], weight * data[i + 1]
            d2, d3 = weight * data[i + 2], weight * data[i + 3]
            scores[p0] += d0
            scores[p1] += d1
            scores[p2] += d2
            scores[p3] += d3
            i += 4
        while i < stop:
            scores[np.uint32(indices[i])] += weight * data[i]
            i += 1


def _take_best(scores: np.ndarray, n: int, passages: np.ndarray, best: np.ndarray) -> int:
    """The `n` highest positive scores into `passages`/`best` (a heap, unordered), ties kept
    by lower passage number. How many were found."""
    size = 0
    bar = 0.0  # a score must pass it: 0, then the worst kept once the heap is full
    for p in range(len(scores)):
        s = scores[p]
        if s <= bar:  # a tie with the worst kept comes later: it stays out
            continue
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
        else:
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
        if size == n:
            bar = best[0]
    return size


def _at_least(scores: np.ndarray, bar: float, passages: np.ndarray) -> int:
    """The passages scoring `bar` or more (and above 0), in order, into `passages` (as many as
    fit); how many there are."""
    found = 0
    for p in range(len(scores)):
        s = scores[p]
        if s > 0.0 and s >= bar:
            if found < len(passages):
                passages[found] = p
            found += 1
    return found


def _sum_again(indices: np.ndarray, data: np.ndarray, starts: np.ndarray, stops: np.ndarray,
               sequence: np.ndarray, passages: np.ndarray, sums: np.ndarray) -> None:
    """`sums[c]`: passage `passages[c]` (in order) scored word by word in `sequence`'s order,
    each list's score looked up once (a galloping search, the passages being sorted)."""
    found = np.zeros((len(starts), len(passages)), dtype=np.float32)
    for s in range(len(starts)):
        low, stop = starts[s], stops[s]
        for c in range(len(passages)):
            p = passages[c]
            step, high = 1, low
            while high < stop and indices[high] < p:  # gallop past the smaller passages
                low = high + 1
                high = low + step
                step *= 2
            high = min(high, stop)
            while low < high:
                middle = (low + high) >> 1
                if indices[middle] < p:
                    low = middle + 1
                else:
                    high = middle
            if low < stop and indices[low] == p:
                found[s, c] = data[low]
    for c in range(len(passages)):
        total = np.float32(0.0)
        for s in sequence:
            total += found[s, c]
        sums[c] = total


def _compile(function: Callable) -> Callable:
    """Compiled with its machine code cached on disk (next to this file, or numba's cache
    folder); compiled in each process when no cache folder is writable."""
    try:  # numba refuses here when it has nowhere to write its cache
        return numba.njit(cache=True, nogil=True, boundscheck=False)(function)
    except (RuntimeError, OSError) as error:
        log.warning("numba cannot cache %s (%s): compiling it in each process",
                    function.__name__, error)
        return numba.njit(cache=False, nogil=True, boundscheck=False)(function)


_add = _compile(_add_lists)
_best = _compile(_take_best)
_above = _compile(_at_least)
_again = _compile(_sum_again)
_buffers = threading.local()


def _scores(size: int) -> np.ndarray:
    """This thread's array of every passage's score, all zero (kept between questions)."""
    scores = getattr(_buffers, "scores", None)
    if scores is None or len(scores) != size:
        scores = _buffers.scores = np.zeros(size, dtype=np.float32)
    return scores


def best_passages(indices: np.ndarray, data: np.ndarray, indptr: np.ndarray,
                  columns: list[int], size: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The `n` best passages of `size` and their BM25, best first (ties by passage number):
    columns `columns` of a CSC matrix (`indptr`, `indices`, `data`) summed in order, a
    repeated one again."""
    if not columns or size == 0 or n <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    distinct: dict[int, int] = {}
    sequence = np.fromiter((distinct.setdefault(c, len(distinct)) for c in columns),
                           dtype=np.int64, count=len(columns))
    read = np.fromiter(distinct, dtype=np.int64, count=len(distinct))
    starts, stops = np.asarray(indptr[read], np.int64), np.asarray(indptr[read + 1], np.int64)
    counts = np.bincount(sequence, minlength=len(read)).astype(np.float32)
    scores = _scores(size)
    n = min(n, size)
    passages, best = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float32)
    try:
        if len(read) == len(sequence):  # no word repeated: the sum is the exact one
            _add(scores, indices, data, starts, stops, sequence, counts)
            found = _best(scores, n, passages, best)
            scores.fill(0)
            passages, best = passages[:found], best[:found]
        else:
            passages, best = _folded(scores, indices, data, starts, stops, sequence, counts, n)
    except BaseException:
        scores.fill(0)  # the next question starts from zero whatever happened
        raise
    order = np.lexsort((passages, -best))
    return passages[order], best[order]


def _folded(scores: np.ndarray, indices: np.ndarray, data: np.ndarray, starts: np.ndarray,
            stops: np.ndarray, sequence: np.ndarray, counts: np.ndarray, n: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each list added once, times its word's count; then the passages that can be among the
    best summed again exactly. The best (unordered) and their scores."""
    _add(scores, indices, data, starts, stops, np.arange(len(starts)), counts)
    passages, best = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float32)
    found = _best(scores, n, passages, best)
    bar = float(best[:found].min()) if found == n else 0.0
    bar *= 1 - _ULPS_PER_WORD * (len(sequence) + 1) * float(np.finfo(np.float32).eps)
    near = np.empty(max(4 * n, 1024), dtype=np.int64)
    count = _above(scores, bar, near)
    scores.fill(0)
    if count > _MOST_RESCORED:  # a flat corpus: add every list in turn instead
        _add(scores, indices, data, starts, stops, sequence, np.ones_like(counts))
        found = _best(scores, n, passages, best)
        scores.fill(0)
        return passages[:found], best[:found]
    if count > len(near):
        near = np.empty(count, dtype=np.int64)
        _add(scores, indices, data, starts, stops, np.arange(len(starts)), counts)
        _above(scores, bar, near)
        scores.fill(0)
    near = near[:count]
    sums = np.empty(count, dtype=np.float32)
    _again(indices, data, starts, stops, sequence, near, sums)
    top = np.lexsort((near, -sums))[:n]
    top = top[sums[top] > 0]
    return near[top], sums[top]


def warm_up() -> None:
    """Compile (or load from the cache) the loops for the arrays a channel hands them, so the
    first question does not pay for it."""
    for writeable in (True, False):
        indices, data = np.array([0, 1], dtype=np.int32), np.ones(2, dtype=np.float32)
        indices.flags.writeable = data.flags.writeable = writeable
        for columns in ([0], [0, 0]):
            best_passages(indices, data, np.array([0, 2], dtype=np.int64), columns, 2, 1)
