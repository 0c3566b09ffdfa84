"""BM25's compiled sum finds exactly what adding every posting list in numpy finds: the same
passages, the same float32 scores bit for bit, the same order (ties by passage number)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.corpus.article import load_knowledge
from index.search import lexical, postings_kernel
from index.search.lexical import LexicalChannel, Postings
from index.search.word_tables import WordTables, build_word_tables
from index.text import folded_tokens, lexical_tokens

SAMPLES = Path(__file__).resolve().parent.parent / "knowledge" / "samples"


def numpy_sum(postings: Postings, tokens: list[str], n: int) -> tuple[list, list]:
    """The reference: every list of the question's words added in turn (a repeated word
    again), as the index summed before the compiled loop; best first, ties by passage."""
    scores = np.zeros(postings.size, dtype=np.float32)
    for column in [c for c in map(postings.column, tokens) if c is not None]:
        np.add.at(scores, *postings.passages_with(column))
    found = np.flatnonzero(scores > 0)
    order = np.lexsort((found, -scores[found]))[:n]
    return found[order].tolist(), scores[found[order]].tolist()


def _sample_lines() -> list[str]:
    lines = []
    for article in load_knowledge(SAMPLES).articles:
        lines += [line for line in f"{article.title}\n{article.body}".splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    """Passages of the real sample articles, mixed with words dropped (seeded), with exact
    copies (ties) and an empty passage."""
    rng = np.random.default_rng(12)
    lines = _sample_lines()
    passages = []
    for _ in range(3000):
        words = " ".join(lines[i] for i in rng.integers(0, len(lines), 3)).split()
        passages.append(" ".join(w for w in words if rng.random() > 0.15))
    return [*passages, passages[7], passages[7], ""]


@pytest.fixture(scope="module")
def tables(corpus: list[str]) -> WordTables:
    return build_word_tables(corpus)


@pytest.fixture(scope="module")
def stored(tables: WordTables, corpus: list[str], tmp_path_factory: pytest.TempPathFactory
           ) -> WordTables:
    """The same channels written and mapped back, as a serving process reads them."""
    folder = tmp_path_factory.mktemp("words")
    tables.save(folder)
    return WordTables.load(folder, len(corpus))


def _questions() -> list[str]:
    """Real phrases of the samples, some run together so words repeat, and hostile ones."""
    lines = _sample_lines()
    rng = np.random.default_rng(3)
    questions = []
    for line in lines[:30]:
        words = line.split()
        start = int(rng.integers(0, max(1, len(words) - 8)))
        questions.append(" ".join(words[start:start + int(rng.integers(1, 14))]))
    long = " ".join(lines)
    return [*questions, "Ai được tặng Huân chương Lao động hạng Ba?",
            "ai duoc tang huan chuong lao dong hang ba",
            "đăng ký khai sinh ở đâu và khi nào, của ai, cho ai, tại phường nào, phường nào?",
            "", "   ", "?!", "zzqx khongcotu", "phường", "phường phường phường",
            "của và là có những các được của và là",  # only the commonest words, repeated
            " ".join(long.split()[:500])]  # 500 words


def _assert_same(channel: LexicalChannel, tokenize: Callable[[str], list[str]], question: str,
                 n: int) -> None:
    indices, scores = channel.search(question, n)
    assert (indices.tolist(), scores.tolist()) == numpy_sum(channel.postings, tokenize(question),
                                                           n), question
    assert indices.dtype == np.int64 and scores.dtype == np.float32


@pytest.mark.parametrize("n", [1, 10, 50, 5000])
def test_the_compiled_sum_equals_numpy_s_on_real_text_and_hostile_questions(
        tables: WordTables, stored: WordTables, n: int) -> None:
    for question in _questions():
        for words in (tables, stored):
            _assert_same(words.lexical, lexical_tokens, question, n)
            _assert_same(words.folded, folded_tokens, question, n)


def test_a_question_of_one_very_common_word_repeated(stored: WordTables, corpus: list[str]
                                                     ) -> None:
    postings = stored.folded.postings
    common = max(range(len(postings.vocab)), key=postings.document_frequency)
    assert postings.document_frequency(common) > len(corpus) / 2
    word = postings.vocab.restore_key(common)
    channel = LexicalChannel(postings, str.split)
    for question in (word, f"{word} {word}", f"{word} khai {word} {word}"):
        for n in (1, 50, len(corpus)):
            _assert_same(channel, str.split, question, n)


def test_tied_passages_are_ordered_by_their_number(stored: WordTables, corpus: list[str]
                                                   ) -> None:
    indices, scores = stored.lexical.search(corpus[7], 3)
    assert indices.tolist() == [7, len(corpus) - 3, len(corpus) - 2]  # passage 7 and its copies
    assert scores[0] == scores[1] == scores[2]


def test_thousands_of_tied_passages_with_a_repeated_word_are_summed_exactly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["thu gom rác thải", "rác thải sinh hoạt", "thu gom"] * 1500 + ["lá cây"]
    channel = LexicalChannel.from_texts(texts, str.split)
    for question in ("rác rác thu", "thu gom rác thải thu", "gom gom gom"):
        for n in (1, 60, len(texts)):
            _assert_same(channel, str.split, question, n)
    monkeypatch.setattr(postings_kernel, "_MOST_RESCORED", 10)  # every list added in turn
    for n in (1, 60):
        _assert_same(channel, str.split, "rác rác thu", n)


def test_nothing_matching_finds_nothing(stored: WordTables) -> None:
    for question in ("", "zzqx khongcotu", "!!!"):
        indices, scores = stored.lexical.search(question, 10)
        assert len(indices) == len(scores) == 0
    assert len(stored.lexical.search("phường", 0)[0]) == 0


def test_an_empty_channel_finds_nothing() -> None:
    channel = LexicalChannel.from_texts([], str.split)
    assert len(channel.search("rác", 5)[0]) == 0


def test_answer_workers_searching_at_once_each_get_their_own_sums(stored: WordTables) -> None:
    questions = [q for q in _questions() if q.strip()][:12]
    expected = {q: numpy_sum(stored.lexical.postings, lexical_tokens(q), 20) for q in questions}
    failures: list[str] = []

    def ask() -> None:
        for _ in range(5):
            for question in questions:
                indices, scores = stored.lexical.search(question, 20)
                if (indices.tolist(), scores.tolist()) != expected[question]:
                    failures.append(question)

    workers = [threading.Thread(target=ask) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []


def _resident_kb(path: Path) -> int:
    """How much of a file this process has mapped in (its mappings' Rss in smaps)."""
    resident, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
            inside = line.rstrip().endswith(str(path))
        elif inside and line.startswith("Rss:"):
            resident += int(line.split()[1])
    return resident


def test_lists_read_through_the_mapping_are_given_back_past_the_budget(
        tables: WordTables, corpus: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    tables.save(tmp_path)
    words = WordTables.load(tmp_path, len(corpus))
    data = tmp_path / "words-lexical.data.npy"
    question = "đăng ký khai sinh ở đâu và khi nào, của ai, cho ai, tại phường nào"
    expected = numpy_sum(words.lexical.postings, lexical_tokens(question), 50)
    found = words.lexical.search(question, 50)
    assert (found[0].tolist(), found[1].tolist()) == expected
    assert _resident_kb(data) > 0  # kept mapped for the next question
    monkeypatch.setattr(lexical, "MAPPED_BUDGET", 0)
    found = words.lexical.search(question, 50)
    assert (found[0].tolist(), found[1].tolist()) == expected
    assert _resident_kb(data) == 0  # given back, and read again alike
    found = words.lexical.search(question, 50)
    assert (found[0].tolist(), found[1].tolist()) == expected


def test_a_process_that_cannot_cache_compiled_code_compiles_it_anyway(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_njit = postings_kernel.numba.njit

    def njit(**options: object) -> Callable:
        if options.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real_njit(**options)

    monkeypatch.setattr(postings_kernel.numba, "njit", njit)
    add = postings_kernel._compile(postings_kernel._add_lists)
    scores = np.zeros(3, dtype=np.float32)
    add(scores, np.array([0, 2], dtype=np.int32), np.array([1.5, 2.5], dtype=np.float32),
        np.array([0]), np.array([2]), np.array([0, 0]), np.array([1.0], dtype=np.float32))
    assert scores.tolist() == [3.0, 0.0, 5.0]
