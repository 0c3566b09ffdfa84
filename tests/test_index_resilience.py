"""The index under damage and load: a corrupt CURRENT pointer, reloads off the request path,
word tables stored by the build, never built by a reader, a changed FAISS_FACTORY."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import faiss
import pytest
from typer.testing import CliRunner

import index.search.index as index_module
from index import Index, IndexCorruptError, IndexSettings, Library
from index.cli import app
from index.search.store import load_generation
from tests.test_index import ARTICLES, CountingEmbedder, write_articles

NEW = {"moi": ("Lịch tiêm chủng", "Tiêm vắc xin sởi cho trẻ em ngày 5/3 tại trạm y tế.")}


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    write_articles(tmp_path / "knowledge", ARTICLES)
    return IndexSettings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge",
                         _env_file=None)


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def test_a_corrupt_current_pointer_keeps_the_last_good_generation_serving(
        settings: IndexSettings, embedder: CountingEmbedder,
        caplog: pytest.LogCaptureFixture) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    reader = Index.open(settings, embedder=embedder)
    before = [h.passage_id for h in reader.search("thu gom rác", k=2)]
    for garbage in (b"\x00\xff garbage", b"gen-999999", b"../../etc"):
        (settings.index_dir / "CURRENT").write_bytes(garbage)
        with caplog.at_level(logging.ERROR):
            reader.reload_if_changed(wait=True)
        assert [h.passage_id for h in reader.search("thu gom rác", k=2)] == before
        assert reader.generation == 1
    assert "python -m index build" in caplog.text


def test_build_recovers_from_a_garbage_current_pointer_without_re_embedding(
        settings: IndexSettings, embedder: CountingEmbedder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    (settings.index_dir / "CURRENT").write_bytes(b"\x00\xffnot a generation")
    with pytest.raises(IndexCorruptError, match="python -m index build"):
        Index.open(settings, embedder=embedder)
    embedder.embedded.clear()
    report = Index(settings, embedder=embedder).build(show_progress=False)
    assert report.recovered and "damaged" in report.recovered
    assert embedder.embedded == [] and report.generation == 2
    assert Index.open(settings, embedder=embedder).search("thu gom rác", k=1)


def test_index_build_command_repairs_a_garbage_current_pointer(
        settings: IndexSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(settings).build(show_progress=False)
    (settings.index_dir / "CURRENT").write_text("gen-abc", encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
    result = CliRunner().invoke(app, ["build"])
    assert result.exit_code == 0, result.output
    assert "repaired" in result.stderr
    assert Index.open(settings).generation == 2


def test_a_new_generation_loads_off_the_request_path(
        settings: IndexSettings, embedder: CountingEmbedder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    reader = Index.open(settings, embedder=embedder)
    reader.search("thu gom rác", k=1)  # this process searches
    write_articles(settings.knowledge_dir, NEW)
    Index.open(settings, embedder=embedder).build(show_progress=False)
    real = index_module.load_generation

    def slow_load(root):
        time.sleep(1.0)  # a slow disk, or a big generation
        return real(root)

    monkeypatch.setattr(index_module, "load_generation", slow_load)
    started = time.monotonic()
    assert reader.reload_if_changed()  # starts the load, returns at once
    assert time.monotonic() - started < 0.3
    assert reader.generation == 1 and reader.search("tiêm vắc xin sởi", k=3)  # old one serves
    assert reader.reload_if_changed(wait=True)
    assert reader.generation == 2
    assert reader.search("tiêm vắc xin sởi", k=1)[0].article.id == "moi"


def test_listing_stats_and_searching_never_build_search_structures(
        settings: IndexSettings, embedder: CountingEmbedder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    built: list[str] = []
    real = index_module.build_word_tables
    monkeypatch.setattr(index_module, "build_word_tables",
                        lambda texts: built.append("words") or real(texts))
    index = Index.open(settings, embedder=embedder)
    index.stats()
    Library(settings, index).list()
    write_articles(settings.knowledge_dir, NEW)
    index.build(show_progress=False)  # what `index add` does: the build stores them
    index.search("thu gom rác", k=1)
    assert built == []  # the serving process maps what the build stored


def test_a_changed_faiss_factory_is_applied_from_the_stored_vectors(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    embedder.embedded.clear()
    hnsw = settings.model_copy(update={"faiss_factory": "HNSW32"})
    index = Index.open(hnsw, embedder=embedder)
    report = index.build(show_progress=False)
    assert report.faiss_rebuilt == "HNSW32" and embedder.embedded == []
    assert index.stats().faiss_factory == "HNSW32"
    stored = load_generation(hnsw.index_dir)
    assert isinstance(stored.faiss_index, faiss.IndexHNSWFlat)
    assert index.search("Ai được tặng Huân chương Lao động hạng Ba?", k=1)[0].article.id == \
        "huan-chuong"
    assert Index.open(hnsw, embedder=embedder).build(show_progress=False).faiss_rebuilt is None
