"""Fusing the channels: by scores, a passage far ahead in one channel keeps its lead."""

from __future__ import annotations

import numpy as np

from index.search.fusion import rank_fusion, score_fusion


def _ranked(**channels: list[tuple[int, float]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {name: (np.array([i for i, _ in hits]), np.array([s for _, s in hits], np.float32))
            for name, hits in channels.items()}


def test_a_passage_far_ahead_in_one_channel_wins_by_scores_not_by_rank() -> None:
    # Passage 1 is far ahead on words (12 vs 3); passage 2 barely ahead in meaning, among
    # candidates whose cosines crowd around 0.80 as e5's do.
    crowd = [(i, 0.80) for i in range(3, 9)]
    ranked = _ranked(lexical=[(1, 12.0), (2, 3.0)], dense=[(2, 0.86), (1, 0.85), *crowd])
    cosines = {1: 0.85, 2: 0.86, **dict(crowd)}
    weights = {"lexical": 1.0, "dense": 1.0}
    by_rank = rank_fusion(ranked, weights, k=60)
    assert by_rank[1] == by_rank[2]  # rank throws the margin away: a tie
    by_score = score_fusion(ranked, weights,
                            lambda rows: np.array([cosines[i] for i in rows], np.float32))
    assert by_score[1] > by_score[2]


def test_the_dense_channel_scores_candidates_it_did_not_list() -> None:
    crowd = {i: 0.80 for i in range(10, 16)}
    cosines = {3: 0.9, 7: 0.89, **crowd}
    ranked = _ranked(lexical=[(7, 5.0)], dense=[(3, 0.9), *crowd.items()])
    by_score = score_fusion(ranked, {"lexical": 1.0, "dense": 1.0},
                            lambda rows: np.array([cosines[i] for i in rows]))
    assert set(by_score) == {3, 7, *crowd}
    assert by_score[7] > 1.0  # its words, and nearly the best meaning


def test_the_cosine_is_scaled_from_the_questions_typical_cosine_not_the_candidates() -> None:
    # The candidates are the passages most alike the question: their cosines crowd just under
    # the best. Passage 1 leads on words; passage 2 is 0.02 closer in meaning.
    crowd = [(i, 0.845) for i in range(3, 9)]
    ranked = _ranked(lexical=[(1, 10.0), (2, 6.0)], dense=[(2, 0.86), *crowd, (1, 0.84)])
    cosines = {1: 0.84, 2: 0.86, **dict(crowd)}
    weights = {"lexical": 1.0, "dense": 1.0}

    def read(rows: list[int]) -> np.ndarray:
        return np.array([cosines[i] for i in rows], np.float32)

    among_candidates = score_fusion(ranked, weights, read)
    assert among_candidates[2] > among_candidates[1]  # 0.02 of cosine became a full point
    # Against the question's median cosine over the index (0.70), both passages are close
    # in meaning and the lead in words decides.
    from_baseline = score_fusion(ranked, weights, read, baseline=0.70)
    assert from_baseline[1] > from_baseline[2]
    assert max(from_baseline.values()) <= 2.0 + 1e-6


def test_a_baseline_above_every_candidate_leaves_the_dense_channel_out_not_negative() -> None:
    ranked = _ranked(lexical=[(1, 4.0)], dense=[(1, 0.5), (2, 0.4)])
    fused = score_fusion(ranked, {"lexical": 1.0, "dense": 1.0},
                         lambda rows: np.array([{1: 0.5, 2: 0.4}[i] for i in rows]),
                         baseline=0.9)
    assert fused == {1: 1.0, 2: 0.0}
