"""Sentence vectors stored at build: answering reads them instead of running the model, and
gets exactly the vectors the model gives for those sentences one by one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import Index, IndexSettings, split_sentences
from tests.test_index import ARTICLES, CountingEmbedder, write_articles

QUESTION = "Ai được tặng Huân chương Lao động hạng Ba?"


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    write_articles(tmp_path / "knowledge", ARTICLES)
    return IndexSettings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge",
                         _env_file=None)


def sentences_of(index: Index) -> list[str]:
    return [s for hit in index.search(QUESTION, k=3) for s in split_sentences(hit.text)]


def test_answering_reads_the_sentences_the_build_embedded(settings: IndexSettings) -> None:
    embedder = CountingEmbedder()
    index = Index.open(settings, embedder=embedder)
    report = index.build(show_progress=False)
    assert report.embedded_sentences > 0 and index.stats().sentences > 0
    sentences = sentences_of(index)
    built = len(embedder.embedded)

    cosines = index.similarity(QUESTION, sentences)

    assert len(embedder.embedded) == built  # no sentence went through the model again
    one_by_one = np.stack([embedder.embed_passages([s])[0] for s in sentences])
    query = embedder.embed_queries([QUESTION])[0]
    assert np.array_equal(cosines, one_by_one @ query)


def test_a_sentence_the_index_does_not_hold_is_embedded_when_asked(
        settings: IndexSettings) -> None:
    embedder = CountingEmbedder()
    index = Index.open(settings, embedder=embedder)
    index.build(show_progress=False)
    stranger = "Câu này không có trong bài viết nào của chỉ mục."
    built = len(embedder.embedded)

    [cosine] = index.similarity(QUESTION, [stranger])

    assert embedder.embedded[built:] == [stranger]
    query = embedder.embed_queries([QUESTION])[0]
    assert cosine == pytest.approx(float(embedder.embed_passages([stranger])[0] @ query))


def test_an_index_built_without_them_gets_them_and_keeps_its_passage_vectors(
        settings: IndexSettings) -> None:
    embedder = CountingEmbedder()
    without = settings.model_copy(update={"sentence_vectors": False})
    Index.open(without, embedder=embedder).build(show_progress=False)
    assert Index.open(without).stats().sentences == 0

    index = Index.open(settings, embedder=embedder)
    report = index.build(show_progress=False)

    assert report.changed and report.sentences_added
    assert report.embedded_passages == 0 and report.embedded_sentences > 0
    assert index.stats().sentences == report.embedded_sentences
    assert not index.build(show_progress=False).changed  # and then it is up to date


def test_a_new_generation_embeds_only_new_sentences_and_forgets_removed_ones(
        settings: IndexSettings) -> None:
    embedder = CountingEmbedder()
    index = Index.open(settings, embedder=embedder)
    index.build(show_progress=False)
    old = ARTICLES["rac-thai"][1]
    new = "Rác được thu gom từ 19h00 đến 23h00."
    write_articles(settings.knowledge_dir, {"rac-thai": (ARTICLES["rac-thai"][0], new)})
    built = len(embedder.embedded)

    report = index.build(show_progress=False)

    assert report.embedded_sentences == 1 and embedder.embedded[built:].count(new) == 1
    stored = Index.open(settings).similarity  # a reader of the new generation
    before = len(embedder.embedded)
    stored(QUESTION, [new])
    assert len(embedder.embedded) == before  # the new sentence is stored...
    index.similarity(QUESTION, [old])
    assert embedder.embedded[before:] == [old]  # ...the removed one is not


def test_without_sentence_vectors_the_cosines_are_the_same(settings: IndexSettings,
                                                             tmp_path: Path) -> None:
    with_them = Index.open(settings)
    with_them.build(show_progress=False)
    without = Index.open(settings.model_copy(update={"sentence_vectors": False,
                                                     "data_dir": tmp_path / "without"}))
    without.build(show_progress=False)
    assert without.stats().sentences == 0
    sentences = sentences_of(with_them)
    assert np.array_equal(with_them.similarity(QUESTION, sentences),
                          without.similarity(QUESTION, sentences))
