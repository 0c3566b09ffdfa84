"""Fusing the channels' rankings into one: by their scores (the default) or by rank.

Reciprocal-rank fusion throws the scores away: a passage far ahead in one channel counts as
much as one just ahead. Score fusion keeps how far ahead: each channel's scores are scaled to
0..1 over the candidates (BM25 by its best score; the cosine between the question's typical
cosine and the best, since e5 crowds every cosine near 0.8) and summed with the channel
weights. Measured on ViCoV19QA dev (300 questions): MRR@10 0.357 -> 0.376 as typed, 0.355 ->
0.362 without diacritics, R@10 unchanged (benchmarks/RESULTS.md).

The cosine's floor is the question's median cosine over a fixed sample of the index (its
`baseline`), not the candidates' median: the candidates are the ones most alike, so their
median sits just under the best and crushed a dense margin that a lexical hit then outweighed
(MRR@10 0.373 -> 0.380 as typed, ALQAC 0.943 -> 0.948; benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Ranked = dict[str, tuple[np.ndarray, np.ndarray]]


def rank_fusion(ranked: Ranked, weights: dict[str, float], k: int) -> dict[int, float]:
    """sum(weight / (k + rank)) over the channels that list a passage."""
    fused: dict[int, float] = {}
    for channel, (indices, _) in ranked.items():
        for rank, i in enumerate(indices.tolist(), start=1):
            fused[i] = fused.get(i, 0.0) + weights[channel] / (k + rank)
    return fused


def score_fusion(ranked: Ranked, weights: dict[str, float],
                 cosines: Callable[[list[int]], np.ndarray] | None,
                 baseline: float | None = None) -> dict[int, float]:
    """Each channel's scores scaled to 0..1 over the candidates, weighted and summed; the
    dense channel scores every candidate (`cosines`), not only the ones it listed, from
    `baseline` (the question's typical cosine; default: the candidates' median) to the best."""
    candidates = sorted({i for indices, _ in ranked.values() for i in indices.tolist()})
    fused = dict.fromkeys(candidates, 0.0)
    if not candidates:
        return fused
    for channel, (indices, scores) in ranked.items():
        if channel == "dense" or not len(indices) or scores.max() <= 0:
            continue
        top = float(scores.max())
        for i, score in zip(indices.tolist(), scores.tolist(), strict=True):
            fused[i] += weights[channel] * score / top
    if "dense" in ranked and cosines is not None:
        values = cosines(candidates)
        high = float(values.max())
        low = float(np.median(values)) if baseline is None else min(baseline, high)
        scaled = np.clip((values - low) / max(high - low, 1e-6), 0.0, 1.0)
        for i, value in zip(candidates, scaled.tolist(), strict=True):
            fused[i] += weights["dense"] * value
    return fused
