"""Writers are serialised by the lock file, and a killed writer never breaks the index."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from bot.domain.answer import Answerer
from bot.settings import BotSettings
from fakes.news_site import NewsSite, site_settings
from index import Article, Index, IndexSettings, Library, LockTimeoutError, write_article
from index.search.store import current_generation_name

ROOT = Path(__file__).resolve().parent.parent
DIM = 384  # multilingual-e5-small's, so the fake vectors fit the settings' model


class SlowFakeEmbedder:
    """Deterministic vectors; records when each build embeds, and can hold a build inside."""

    def __init__(self, label: str, log: list[tuple[str, str, float]],
                 hold: threading.Event | None = None, pause_s: float = 0.3) -> None:
        self.name, self.dim = "fake", DIM
        self.label, self.log, self.hold, self.pause_s = label, log, hold, pause_s
        self.embedding = threading.Event()

    def embed_queries(self, texts):
        return _vectors(texts)

    def embed_passages(self, texts):
        self.log.append((self.label, "start", time.monotonic()))
        self.embedding.set()
        if self.hold is not None:
            self.hold.wait(30)
        time.sleep(self.pause_s)
        self.log.append((self.label, "end", time.monotonic()))
        return _vectors(texts)


def _vectors(texts) -> np.ndarray:
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        row = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        rows.append(row / np.linalg.norm(row))
    return np.stack(rows)


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    settings = site_settings(tmp_path)
    for i, (title, body) in enumerate([
        ("Lịch tiếp công dân quận Hoàng Mai", "Chủ tịch UBND quận tiếp công dân ngày 15."),
        ("Thu gom rác phường Yên Hòa", "Xe thu gom rác hoạt động từ 18 giờ đến 22 giờ."),
    ]):
        write_article(Article(id=str(i), title=title, body=body, published=dt.date(2024, 1, i + 1)),
                      settings.knowledge_dir)
    return settings


def test_two_concurrent_builds_are_serialised(settings: IndexSettings) -> None:
    log: list[tuple[str, str, float]] = []
    first, second = SlowFakeEmbedder("first", log), SlowFakeEmbedder("second", log)
    waited: list[str] = []
    reports = {}

    def run(label: str, embedder: SlowFakeEmbedder, on_wait=None) -> None:
        reports[label] = Index(settings, embedder=embedder).build(
            full=True, show_progress=False, on_wait=on_wait)

    one = threading.Thread(target=run, args=("first", first))
    one.start()
    assert first.embedding.wait(10)
    two = threading.Thread(target=run, args=("second", second, waited.append))
    two.start()
    one.join(30)
    two.join(30)
    assert [(label, event) for label, event, _ in log] == [
        ("first", "start"), ("first", "end"), ("second", "start"), ("second", "end")]
    assert waited and waited[0].startswith("waiting for the index lock held by pid")
    assert (reports["first"].generation, reports["second"].generation) == (1, 2)
    reopened = Index.open(settings, embedder=first)
    assert reopened.generation == 2 and len(reopened.articles()) == 2


def test_a_second_writer_gives_up_clearly_after_the_lock_timeout(settings: IndexSettings) -> None:
    hold = threading.Event()
    holder = SlowFakeEmbedder("holder", [], hold=hold, pause_s=0)
    thread = threading.Thread(target=lambda: Index(settings, embedder=holder).build(
        show_progress=False))
    thread.start()
    try:
        assert holder.embedding.wait(10)
        impatient = settings.model_copy(update={"lock_timeout_s": 0.3})
        with pytest.raises(LockTimeoutError, match="LOCK_TIMEOUT_S"):
            Index(impatient, embedder=SlowFakeEmbedder("late", [])).build(show_progress=False)
    finally:
        hold.set()
        thread.join(30)
    assert Index.open(settings, embedder=holder).generation == 1


def test_add_during_a_long_build_waits_then_fails_clearly_and_writes_nothing(
        settings: IndexSettings) -> None:
    hold = threading.Event()
    holder = SlowFakeEmbedder("holder", [], hold=hold, pause_s=0)
    thread = threading.Thread(target=lambda: Index(settings, embedder=holder).build(
        show_progress=False))
    before = sorted(p.name for p in settings.knowledge_dir.glob("*.md"))
    with NewsSite() as site:
        site.add_article("/moi.html", "Phường Dịch Vọng lắp đèn chiếu sáng ngõ xóm",
                         ["UBND phường Dịch Vọng lắp mới 120 đèn chiếu sáng tại các ngõ xóm "
                          "trên địa bàn, hoàn thành trước ngày 30 tháng 6 theo kế hoạch "
                          "chỉnh trang đô thị của quận năm nay."], dt.date(2024, 6, 1))
        thread.start()
        try:
            assert holder.embedding.wait(10)
            impatient = settings.model_copy(update={"lock_timeout_s": 0.3})
            waited: list[str] = []
            report = Library(impatient, on_wait=waited.append).add_urls([site.url("/moi.html")])
        finally:
            hold.set()
            thread.join(30)
    [item] = report.items
    assert item.status == "failed" and "not saved" in item.reason
    assert "LOCK_TIMEOUT_S" in report.error and waited
    assert sorted(p.name for p in settings.knowledge_dir.glob("*.md")) == before


_KILLED_BUILD = """
import sys, time
from pathlib import Path
import numpy as np
import index.search.store
from index import Index, IndexSettings

data_dir, knowledge_dir, marker, stage = sys.argv[1:5]

class Embedder:
    name, dim = "fake", 384
    def embed_queries(self, texts):
        return np.ones((len(texts), 384), dtype=np.float32) / 384 ** 0.5
    def embed_passages(self, texts):
        if stage == "embedding":
            Path(marker).write_text("embedding")
            time.sleep(600)
        return self.embed_queries(texts)

write_faiss = index.search.store.write_faiss
def slow_write_faiss(faiss_index, path):
    write_faiss(faiss_index, path)  # half of the new generation is on disk
    Path(marker).write_text("publishing")
    time.sleep(600)
index.search.store.write_faiss = slow_write_faiss

settings = IndexSettings(data_dir=data_dir, knowledge_dir=knowledge_dir, _env_file=None)
Index(settings, embedder=Embedder()).build(full=True, show_progress=False)
"""


@pytest.mark.parametrize("stage", ["embedding", "publishing"])
def test_kill_9_during_a_rebuild_leaves_the_previous_index_loadable_and_answering(
        sample_data_dir: Path, tmp_path: Path, stage: str) -> None:
    data_dir, knowledge_dir = tmp_path / "data", tmp_path / "knowledge"
    shutil.copytree(sample_data_dir, data_dir)
    shutil.copytree(ROOT / "knowledge", knowledge_dir)
    published = current_generation_name(data_dir / "index")
    marker = tmp_path / "marker"
    script = tmp_path / "killed_build.py"
    script.write_text(_KILLED_BUILD, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(data_dir), str(knowledge_dir), str(marker), stage],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, "the build never reached the kill point"
            time.sleep(0.05)
        assert marker.read_text() == stage
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    assert process.returncode == -signal.SIGKILL
    assert current_generation_name(data_dir / "index") == published
    half_written = list((data_dir / "index").glob(".gen-*.tmp"))
    assert bool(half_written) == (stage == "publishing")
    settings = BotSettings(data_dir=data_dir, knowledge_dir=knowledge_dir, _env_file=None,
                           lock_timeout_s=5)
    index = Index.open(settings)
    answer = Answerer(index, settings).answer(
        "Năm 2022 tổng thu ngân sách trên địa bàn quận Hoàn Kiếm là bao nhiêu?")
    assert answer.answered and "14.732 tỷ đồng" in answer.text
    # The dead writer's lock went with it: the next build runs at once and finds no change.
    report = index.build(show_progress=False)
    assert not report.changed and report.embedded_passages == 0
