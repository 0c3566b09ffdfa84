"""A long question reads at most BM25_POSTINGS_BUDGET postings per passage: it leaves out its
commonest words first, never its rarest, and a question under the budget is searched exactly
as without one."""

from __future__ import annotations

import numpy as np
import pytest

from index import IndexSettings
from index.errors import SettingsError
from index.search import postings_kernel
from index.search.lexical import LexicalChannel, within_budget
from index.search.word_tables import WordTables, build_word_tables
from index.settings import load_settings
from tests.test_bm25_kernel import _sample_lines, numpy_sum

BUDGET = 3.0  # postings per passage


@pytest.fixture(scope="module")
def tables() -> WordTables:
    """Passages of the real sample articles, three lines each (seeded)."""
    rng = np.random.default_rng(5)
    lines = _sample_lines()
    return build_word_tables(" ".join(lines[i] for i in rng.integers(0, len(lines), 3))
                             for _ in range(2000))


def _read(channel: LexicalChannel, question: str, budget: float,
          monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], np.ndarray, np.ndarray]:
    """What the channel finds, and the lists it handed the kernel (its sum runs as is)."""
    handed: list[list[int]] = []
    real = postings_kernel.best_passages

    def spy(indices: np.ndarray, data: np.ndarray, indptr: np.ndarray, columns: list[int],
            size: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        handed.append(list(columns))
        return real(indices, data, indptr, columns, size, n)

    monkeypatch.setattr(postings_kernel, "best_passages", spy)
    found, scores = channel.search(question, 50, budget)
    monkeypatch.undo()
    return handed[0], found, scores


def _postings(channel: LexicalChannel, columns: list[int]) -> int:
    return sum(channel.postings.document_frequency(c) for c in set(columns))


def test_the_budget_leaves_out_the_commonest_lists_first() -> None:
    frequency = {10: 900, 11: 50, 12: 700, 13: 5, 14: 300}.__getitem__
    # 1,955 postings; a budget of 1,000 leaves out 900 then 700, and stops there.
    assert within_budget([10, 11, 12, 13, 14, 10], frequency, 1000) == [11, 13, 14]
    assert within_budget([10, 11, 12, 13, 14], frequency, 1255) == [11, 12, 13, 14]
    assert within_budget([10, 11, 12, 13, 14], frequency, 1955) == [10, 11, 12, 13, 14]


def test_the_budget_never_leaves_out_the_rarest_word() -> None:
    frequency = {1: 800, 2: 700, 3: 600}.__getitem__
    assert within_budget([1, 2, 3, 3], frequency, 10) == [3, 3]  # over it alone, still kept
    assert within_budget([], frequency, 10) == []


def test_a_long_question_reads_its_rare_words_whole_and_sums_them_exactly(
        tables: WordTables, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = tables.folded
    question = " ".join(" ".join(_sample_lines()).split()[:120])
    full, _, _ = _read(channel, question, 0.0, monkeypatch)
    kept, found, scores = _read(channel, question, BUDGET, monkeypatch)
    size = channel.postings.size
    assert _postings(channel, full) > BUDGET * size >= _postings(channel, kept)
    frequency = channel.postings.document_frequency
    left_out = set(full) - set(kept)
    assert left_out and min(map(frequency, left_out)) >= max(map(frequency, kept))
    assert kept == [c for c in full if c in set(kept)]  # order and repeats kept
    words = [channel.postings.vocab.restore_key(c) for c in kept]
    assert (found.tolist(), scores.tolist()) == numpy_sum(channel.postings, words, 50)


def test_a_question_under_the_budget_is_searched_bit_for_bit_as_without_one(
        tables: WordTables, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = ["Ai được tặng Huân chương Lao động hạng Ba?",
                 "ai duoc tang huan chuong lao dong hang ba",
                 "đăng ký khai sinh ở đâu", "giờ thu gom rác của quận", "phường phường"]
    tight = 0
    for channel in (tables.lexical, tables.folded):
        size = channel.postings.size
        for question in questions:
            full, exact, exact_scores = _read(channel, question, 0.0, monkeypatch)
            read = _postings(channel, full)
            columns, found, scores = _read(channel, question, max((read + 0.5) / size, 1.0),
                                           monkeypatch)
            assert columns == full and len(found)
            assert found.tolist() == exact.tolist() and scores.tobytes() == exact_scores.tobytes()
            if read > size:  # one posting fewer leaves a word out
                tight += 1
                assert _read(channel, question, (read - 1) / size, monkeypatch)[0] != full
    assert tight >= 2


def test_a_hostile_question_of_500_common_words_stays_under_the_budget_and_finds_passages(
        tables: WordTables, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = tables.lexical
    postings = channel.postings
    common = sorted(range(len(postings.vocab)), key=postings.document_frequency)[-25:]
    words = [postings.vocab.restore_key(c) for c in common]
    question = " ".join(words[i % len(words)] for i in range(500))
    full, _, _ = _read(channel, question, 0.0, monkeypatch)
    assert _postings(channel, full) > 5 * BUDGET * postings.size
    kept, found, scores = _read(channel, question, BUDGET, monkeypatch)
    assert _postings(channel, kept) <= BUDGET * postings.size
    assert len(found) == 50 and (scores > 0).all()
    assert min(common, key=postings.document_frequency) in kept  # its rarest word


@pytest.mark.parametrize("value", ["0.5", "-1", "many"])
def test_a_budget_under_one_posting_a_passage_is_refused(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BM25_POSTINGS_BUDGET", value)
    with pytest.raises(SettingsError, match="BM25_POSTINGS_BUDGET"):
        load_settings(IndexSettings)


def test_the_budget_setting_reads_zero_as_off_and_any_value_from_one() -> None:
    assert IndexSettings(_env_file=None, bm25_postings_budget=0).bm25_postings_budget == 0
    assert IndexSettings(_env_file=None, bm25_postings_budget=1).bm25_postings_budget == 1
