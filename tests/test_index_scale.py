"""Large corpora: FAISS_FACTORY=auto picks the index type by size, the approximate index
agrees with the exact one, and a question's median cosine is read on a fixed sample."""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import faiss
import numpy as np
import pytest

from index import Index, IndexSettings, SettingsError, load_settings
from index.search.dense import build_faiss, choose_factory, search_faiss, tune_search
from index.search.index import JOURNAL, _exact_order, median_sample_rows
from index.search.lexical import LexicalChannel
from index.search.store import VectorRows, load_generation
from tests.test_index import CountingEmbedder, write_articles

ROOT = Path(__file__).resolve().parent.parent

PLACES = ["Hoàn Kiếm", "Ba Đình", "Đống Đa", "Cầu Giấy", "Tây Hồ", "Long Biên", "Hà Đông"]
EVENTS = ["tiêm vắc xin sởi", "thu gom rác thải", "cấp đổi căn cước", "sửa đường ống nước",
          "tuyển sinh lớp một", "kiểm tra an toàn thực phẩm", "trồng cây xanh",
          "hiến máu tình nguyện", "diễn tập phòng cháy", "khám sức khỏe người cao tuổi"]
# 70 one-passage articles: past a threshold of 50 passages, `auto` must pick IVF.
ARTICLES = {
    f"tin-{p}-{e}": (f"{EVENTS[e].capitalize()} tại {PLACES[p]}",
                     f"Ủy ban phường {PLACES[p]} tổ chức {EVENTS[e]} cho người dân "
                     f"vào ngày {e + 1}/{p + 3} tại nhà văn hóa tổ dân phố số {p + e}.")
    for p in range(len(PLACES)) for e in range(len(EVENTS))
}


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    write_articles(tmp_path / "knowledge", ARTICLES)
    return IndexSettings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge",
                         faiss_flat_below=50, faiss_nprobe=4, _env_file=None)


def test_auto_is_exact_below_the_threshold_and_inverted_lists_above_it() -> None:
    assert choose_factory("auto", 99_999, flat_below=100_000) == "Flat"
    assert choose_factory("auto", 100_000, flat_below=100_000) == "IVF256,SQ8"
    assert choose_factory("auto", 1_000_000, flat_below=100_000) == "IVF1024,SQ8"
    assert choose_factory("auto", 63, flat_below=10) == "Flat"  # too few to train a list
    assert choose_factory("HNSW32,SQ8", 10, flat_below=100_000) == "HNSW32,SQ8"
    assert choose_factory("Flat", 10_000_000, flat_below=100_000) == "Flat"


def test_a_misspelt_faiss_factory_is_refused_at_start_up() -> None:
    with pytest.raises(SettingsError, match=r"FAISS_FACTORY.*IVF1024,SQ9"):
        load_settings(IndexSettings, faiss_factory="IVF1024,SQ9", _env_file=None)
    assert load_settings(IndexSettings, faiss_factory=" AUTO ", _env_file=None).faiss_factory \
        == "auto"


def test_a_corpus_past_the_threshold_gets_an_approximate_index_that_agrees_with_flat(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    index = Index.open(settings, embedder=embedder)
    index.build(show_progress=False)
    stored = load_generation(settings.index_dir)
    assert stored.manifest.faiss_factory == "IVF1,SQ8" == index.stats().faiss_factory
    assert faiss.try_extract_index_ivf(stored.faiss_index) is not None
    questions = [f"Khi nào {PLACES[p]} {EVENTS[e]}?" for p, e in [(0, 0), (3, 5), (6, 9)]]
    approximate = [index.search(q, k=5, mode="dense") for q in questions]

    embedder.embedded.clear()
    exact = Index.open(settings.model_copy(update={"faiss_factory": "Flat"}), embedder=embedder)
    assert exact.build(show_progress=False).faiss_rebuilt == "Flat"
    assert embedder.embedded == []  # the stored vectors were reused
    for question, hits in zip(questions, approximate, strict=True):
        flat = exact.search(question, k=5, mode="dense")
        assert [h.passage_id for h in hits] == [h.passage_id for h in flat]
        assert [h.cosine for h in hits] == pytest.approx([h.cosine for h in flat], abs=1e-5)


def test_search_knobs_are_applied_to_the_loaded_index(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    settings = settings.model_copy(update={"faiss_flat_below": 1})
    Index.open(settings, embedder=embedder).build(show_progress=False)
    index = Index.open(settings.model_copy(update={"faiss_nprobe": 1}), embedder=embedder)
    assert index.stats().faiss_factory == "IVF1,SQ8"
    ivf = faiss.try_extract_index_ivf(index._snapshot.generation.faiss_index)
    assert ivf.nprobe == 1


def test_inverted_lists_over_8_bit_vectors_find_what_flat_finds() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(40, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 40, 8000)] + 0.6 * rng.normal(size=(8000, 64))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    queries = vectors[rng.integers(0, 8000, 50)] + 0.1 * rng.normal(size=(50, 64))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    factory = choose_factory("auto", len(vectors), flat_below=1000)
    approximate = tune_search(build_faiss(vectors, factory), nprobe=16, ef_search=64)
    flat = build_faiss(vectors, "Flat")
    found = 0
    for query in queries:
        truth = set(search_faiss(flat, query, 10)[0].tolist())
        ids, _ = _exact_order(*search_faiss(approximate, query, 50), vectors.__getitem__,
                              query)
        found += len(truth & set(ids[:10].tolist()))
    assert found / (10 * len(queries)) >= 0.95


def test_the_median_sample_is_fixed_evenly_spread_and_bounded() -> None:
    rows = median_sample_rows(10_000, 100)
    assert len(rows) == 100 == len(set(rows.tolist()))
    assert rows[0] == 0 and rows[-1] == 9_999 and (np.diff(rows) >= 100).all()
    assert np.array_equal(rows, median_sample_rows(10_000, 100))
    assert np.array_equal(median_sample_rows(50, 100), np.arange(50))


def test_rows_read_from_a_generation_s_file_are_the_stored_rows(tmp_path: Path) -> None:
    vectors = np.random.default_rng(3).normal(size=(1000, 8)).astype(np.float32)
    np.save(tmp_path / "vectors.npy", vectors)
    mapped = np.load(tmp_path / "vectors.npy", mmap_mode="r")
    assert np.array_equal(VectorRows(mapped).read([999, 0, 512]), vectors[[999, 0, 512]])
    assert VectorRows(mapped).read([]).shape == (0, 8)


def test_a_question_s_median_cosine_is_read_on_the_fixed_sample(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    sampled = settings.model_copy(update={"median_sample": 16})
    Index.open(sampled, embedder=embedder).build(show_progress=False)
    index = Index.open(sampled, embedder=embedder)
    question = "Khi nào Tây Hồ trồng cây xanh?"
    hit = index.search(question, k=1)[0]
    query = embedder.embed_queries([index.understand(question).readable])[0]
    vectors = load_generation(settings.index_dir).vectors
    rows = np.linspace(0, len(vectors) - 1, 16).round().astype(int)
    assert hit.baseline == pytest.approx(float(np.median(vectors[rows] @ query)), abs=1e-6)
    assert hit.baseline != pytest.approx(float(np.median(vectors @ query)), abs=1e-6)


def test_a_build_killed_while_embedding_resumes_without_embedding_again(
        settings: IndexSettings, embedder: CountingEmbedder, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(settings.data_dir),
           "KNOWLEDGE_DIR": str(settings.knowledge_dir), "EMBED_BATCH_SIZE": "2",
           "OMP_NUM_THREADS": "1"}
    build = subprocess.Popen([sys.executable, "-m", "index", "build"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = settings.index_dir / JOURNAL / "embeddings.sqlite3"
    try:
        while _journaled(journal) < 10:
            assert build.poll() is None, "the build ended before it could be interrupted"
            time.sleep(0.05)
    finally:
        build.kill()
        build.wait()
    interrupted = _journaled(journal)
    assert load_generation(settings.index_dir) is None  # nothing was published

    embedder.embedded.clear()
    report = Index(settings, embedder=embedder).build(show_progress=False)
    assert report.resumed_passages == interrupted
    assert report.embedded_passages == len(ARTICLES) - interrupted
    # ...and then the passages' sentences (SENTENCE_VECTORS), which no passage was mistaken for.
    assert report.embedded_passages + report.embedded_sentences == len(embedder.embedded)
    assert _journaled(journal) == 0  # published: the journal is emptied
    hit = Index.open(settings, embedder=embedder).search("Khi nào Ba Đình hiến máu?", k=1)[0]
    assert hit.article.id == "tin-1-7"


def _journaled(path: Path) -> int:
    """Vectors the build has committed to its journal so far."""
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
        try:
            return db.execute("SELECT count(*) FROM vectors").fetchone()[0]
        except sqlite3.OperationalError:  # the table is not created yet
            return 0


def test_idf_counts_the_passages_that_hold_a_word_once_each() -> None:
    channel = LexicalChannel.from_texts(["thu gom rác", "rác rác thải", "gom lá", "rác"], str.split)
    assert channel.idf("rác") == pytest.approx(math.log(1 + (4 - 3 + 0.5) / (3 + 0.5)))
    assert channel.idf("lá") == pytest.approx(math.log(1 + (4 - 1 + 0.5) / (1 + 0.5)))
    assert channel.idf("cây") == pytest.approx(math.log(1 + 4.5 / 0.5))
    assert LexicalChannel.from_texts([], str.split).idf("rác") == pytest.approx(math.log(2))


def test_a_generation_pruned_from_disk_still_answers_the_process_that_serves_it(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    serving = Index.open(settings, embedder=embedder)
    question = "Khi nào Hoàn Kiếm tiêm vắc xin sởi?"
    before = [(h.passage_id, h.cosine, h.baseline) for h in serving.search(question, k=3)]
    for number in range(2):  # two newer generations: the first one is pruned
        write_articles(settings.knowledge_dir, {f"moi-{number}": (
            f"Thông báo số {number}", f"Phường thông báo lịch họp tổ dân phố lần {number}.")})
        Index.open(settings, embedder=embedder).build(show_progress=False)
    assert not (settings.index_dir / "gen-000001").exists()
    after = [(h.passage_id, h.cosine, h.baseline) for h in serving.search(question, k=3)]
    assert after == before


def test_an_index_whose_articles_were_all_removed_still_opens(
        settings: IndexSettings, embedder: CountingEmbedder) -> None:
    Index.open(settings, embedder=embedder).build(show_progress=False)
    for path in settings.knowledge_dir.glob("*.md"):
        path.unlink()
    Index.open(settings, embedder=embedder).build(show_progress=False)
    emptied = Index.open(settings, embedder=embedder)
    assert emptied.stats().passages == 0 and emptied.search("rác", k=3) == []
