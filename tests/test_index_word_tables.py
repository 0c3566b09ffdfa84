"""The word channels and the diacritics restorer are built by `index build`, stored in the
generation, and mapped by a serving process: same answers, no rebuilding on load."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import bm25s
import numpy as np
import pytest

import index.search.index as index_module
from index import Index, IndexCorruptError, IndexSettings
from index.search.lexical import LexicalChannel
from index.search.passage_file import OFFSETS
from index.search.store import load_generation
from index.search.word_tables import build_word_tables
from index.text import fold, folded_tokens, lexical_tokens
from tests.test_index import ARTICLES, CountingEmbedder, write_articles

SAMPLES = Path(__file__).resolve().parent.parent / "knowledge" / "samples"
NEW = {"moi": ("Lịch tiêm chủng", "Tiêm vắc xin sởi cho trẻ em ngày 5/3 tại trạm y tế phường.")}
QUESTIONS = [
    "Ai được tặng Huân chương Lao động hạng Ba?",
    "ai duoc tang huan chuong lao dong hang ba",
    "Rác được thu gom lúc mấy giờ?",
    "rac thai thu gom may gio",
    "đăng ký khai sinh ở đâu",
    "dang ky khai sinh truc tuyen",
    "tiếp công dân",
    "tiep cong dan o dau",
]


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SAMPLES, knowledge / "samples")
    write_articles(knowledge, ARTICLES)
    return IndexSettings(data_dir=tmp_path / "data", knowledge_dir=knowledge, _env_file=None)


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def _rankings(index: Index) -> list:
    """What a reader sees for each question, in every mode, and what it understood."""
    out = []
    for question in QUESTIONS:
        query = index.understand(question)
        out.append((query.readable, query.unmarked))
        for mode in ("hybrid", "lexical"):
            out.append([(h.passage_id, round(h.score, 5)) for h in
                        index.search(question, k=5, mode=mode)])
    return out


def _in_memory(settings: IndexSettings, embedder: CountingEmbedder) -> Index:
    """The same generation with its word tables built in this process, as before they were
    stored."""
    index = Index.open(settings, embedder=embedder)
    index._snapshot._search = None
    return index


def _current(settings: IndexSettings) -> Path:
    return settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()


def test_a_built_generation_carries_its_word_channels_and_restorer(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    manifest = json.loads((_current(settings) / "manifest.json").read_text(encoding="utf-8"))
    names = set(manifest["word_files"])
    assert {"words-lexical.vocab.marisa", "words-folded.data.npy",
            "restore-bigrams.marisa"} <= names
    for name, size in manifest["word_files"].items():
        assert (_current(settings) / name).stat().st_size == size
    assert load_generation(settings.index_dir).words is not None


def test_a_served_index_answers_as_one_that_builds_its_word_tables_in_memory(
        settings: IndexSettings, embedder: CountingEmbedder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    built: list[int] = []
    real = index_module.build_word_tables
    monkeypatch.setattr(index_module, "build_word_tables",
                        lambda texts: built.append(1) or real(texts))
    served = Index.open(settings, embedder=embedder)
    answers = _rankings(served)
    assert built == []  # mapped, not built
    assert answers == _rankings(_in_memory(settings, embedder))
    assert built == [1]
    assert served.understand("huan chuong lao dong").readable == "huân chương lao động"


def test_an_incremental_build_updates_the_word_channels(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    index = Index.open(settings, embedder=embedder)
    index.build(show_progress=False)
    assert index.understand("tiem vac xin soi").readable != "tiêm vắc xin sởi"
    write_articles(settings.knowledge_dir, NEW)
    embedder.embedded.clear()
    report = index.build(show_progress=False)
    # The new article's passage (and its sentence, SENTENCE_VECTORS): nothing else.
    assert report.added == ["moi"] and embedder.embedded
    assert all("vắc xin sởi" in text or text == "Lịch tiêm chủng" for text in embedder.embedded)
    assert index.understand("tiem vac xin soi").readable == "tiêm vắc xin sởi"
    assert index.search("vắc xin sởi", k=1, mode="lexical")[0].article.id == "moi"
    assert index.search("vac xin soi", k=1, mode="lexical")[0].article.id == "moi"
    assert _rankings(Index.open(settings, embedder=embedder)) == \
        _rankings(_in_memory(settings, embedder))


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_word_table_is_refused_and_the_last_good_generation_keeps_serving(
        settings: IndexSettings, embedder: CountingEmbedder,
        caplog: pytest.LogCaptureFixture, damage: str) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    reader = Index.open(settings, embedder=embedder)
    before = [h.passage_id for h in reader.search("thu gom rác", k=3)]
    write_articles(settings.knowledge_dir, NEW)
    Index.open(settings, embedder=embedder).build(show_progress=False)
    table = _current(settings) / "words-folded.indices.npy"
    if damage == "truncate":  # a copy cut short, as by a full disk
        table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    else:
        table.unlink()
    with caplog.at_level(logging.ERROR):
        assert not reader.reload_if_changed(wait=True)
    assert reader.generation == 1
    assert [h.passage_id for h in reader.search("thu gom rác", k=3)] == before
    assert "words-folded.indices.npy" in caplog.text and "rebuild" in caplog.text
    with pytest.raises(IndexCorruptError, match=r"words-folded\.indices\.npy"):
        Index.open(settings, embedder=embedder)


def test_a_generation_without_stored_word_tables_still_answers_and_a_build_stores_them(
        settings: IndexSettings, embedder: CountingEmbedder,
        caplog: pytest.LogCaptureFixture) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    expected = _rankings(Index.open(settings, embedder=embedder))
    folder = _current(settings)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest.pop("word_files"):
        (folder / name).unlink()
    (folder / OFFSETS).unlink()  # nor the passages' offset table
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old = Index.open(settings, embedder=embedder)
    with caplog.at_level(logging.WARNING):
        assert _rankings(old) == expected
    assert "python -m index build" in caplog.text
    embedder.embedded.clear()
    report = old.build(show_progress=False)
    assert report.words_stored and report.changed and embedder.embedded == []
    assert load_generation(settings.index_dir).words is not None
    assert _rankings(Index.open(settings, embedder=embedder)) == expected


def test_the_word_channels_score_as_bm25s_does() -> None:
    texts = [f"{title}\n{body}" for title, body in ARTICLES.values()] + [
        "Rác rác thải thu gom, thu gom rác đúng giờ.", "", "Huân chương Lao động hạng Nhì"]
    tables = build_word_tables(texts)
    for tokenize, channel in ((lexical_tokens, tables.lexical), (folded_tokens, tables.folded)):
        reference = bm25s.BM25()
        reference.index([tokenize(t) or [""] for t in texts], show_progress=False)
        alone = LexicalChannel.from_texts(texts, tokenize)
        for question in ("thu gom rác rác", "huân chương lao động hạng ba", "rac thai"):
            expected = reference.get_scores(tokenize(question)) \
                if reference.get_tokens_ids(tokenize(question)) else np.zeros(len(texts))
            for searched in (channel, alone):
                indices, scores = searched.search(question, len(texts))
                assert indices.tolist() == [i for i in np.argsort(-expected, kind="stable")
                                            if expected[i] > 0]
                assert scores == pytest.approx(expected[indices], rel=1e-5)


def test_the_restorer_prefers_the_spelling_the_corpus_uses_most() -> None:
    tables = build_word_tables(["Ba Đình có mười bốn phường.", "Ba Đình, ba đình.",
                                "bà đến ba lần", "bà ba"])
    assert tables.restorer.restore(fold("ba dinh")) == "ba đình"
    assert tables.restorer.restore("ba den") == "bà đến"
    assert tables.restorer.restore("muoi bon phuong xa") == "mười bốn phường xa"


def test_the_restorer_reads_each_syllable_with_the_one_after_it() -> None:
    # "nói những" is the commoner pair, but "những không" is never written: the whole
    # question is spelled as the corpus would write it, not one pair at a time.
    tables = build_word_tables(["Ông ấy nói những điều hay."] * 3
                               + ["Ông ấy nói nhưng không làm."])
    assert tables.restorer.restore("noi nhung khong lam") == "nói nhưng không làm"
    assert tables.restorer.restore("noi nhung dieu hay") == "nói những điều hay"


def test_a_restorer_stored_before_counts_were_kept_still_restores(tmp_path: Path) -> None:
    import marisa_trie

    from index.search.restore import BIGRAMS, UNIGRAMS, DiacriticRestorer

    marisa_trie.BytesTrie([("ba", b"ba"), ("dinh", "đình".encode())]).save(
        str(tmp_path / UNIGRAMS))
    marisa_trie.BytesTrie([("ba dinh", "ba đình 4".encode())]).save(str(tmp_path / BIGRAMS))
    restorer = DiacriticRestorer.load(tmp_path)
    assert restorer.restore("phuong ba dinh") == "phuong ba đình"


def test_a_restorer_stored_before_counts_were_kept_reads_spellings_from_its_pairs(
        tmp_path: Path) -> None:
    # Such a generation knows only each syllable's commonest spelling ("kỳ"); its pairs
    # remember that "dang ky" is written "đăng ký".
    import marisa_trie

    from index.search.restore import BIGRAMS, UNIGRAMS, DiacriticRestorer

    marisa_trie.BytesTrie([("dang", "đăng".encode()), ("ky", "kỳ".encode())]).save(
        str(tmp_path / UNIGRAMS))
    marisa_trie.BytesTrie([("dang ky", "đăng ký 15".encode())]).save(str(tmp_path / BIGRAMS))
    assert DiacriticRestorer.load(tmp_path).restore("dang ky") == "đăng ký"


def test_a_syllable_is_restored_alike_whatever_else_the_question_holds() -> None:
    # The model backs off to how often a spelling is written in the whole corpus, so words
    # added elsewhere in the question do not tip "muối cà" over.
    tables = build_word_tables(["cá"] * 100 + ["muối cà"] + ["người dân"] * 3000)
    alone = tables.restorer.restore("muoi ca")
    assert alone == "muối cà"
    assert tables.restorer.restore("muoi ca nguoi dan") == f"{alone} người dân"
