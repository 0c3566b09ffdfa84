"""On-disk generations of the index: written aside, fsynced, then published by one rename."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError
from index.search.chunking import Passage
from index.search.dense import build_faiss, read_faiss, write_faiss
from index.search.passage_file import PassageFile, write_passages
from index.search.sentences import SentenceVectors
from index.search.word_tables import WordTables, write_word_tables

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
KEEP_GENERATIONS = 2
GENERATION_PREFIX = "gen-"
_GENERATION_NAME = re.compile(rf"^{GENERATION_PREFIX}\d{{6,}}$")
# The passages' sentences, embedded at build (optional: a generation without them still loads,
# and answering embeds the few sentences it needs).
SENTENCE_KEYS, SENTENCE_VECTORS = "sentence-keys.npy", "sentence-vectors.npy"


@dataclass
class ArticleEntry:
    """What the manifest remembers of an article: enough to cite it and to skip re-embedding."""

    content_hash: str
    title: str
    url: str | None
    published: str | None
    publisher: str | None
    first_passage: int
    passage_count: int


@dataclass
class Manifest:
    generation: int
    embedding_model: str
    dim: int
    chunking: dict[str, int]
    faiss_factory: str
    built_at: str
    passage_count: int
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    # The stored word channels and restorer: file name -> size in bytes (empty in generations
    # built before they were stored; those build them in memory when loaded).
    word_files: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        data["articles"] = {k: _article_entry(v) for k, v in data["articles"].items()}
        return cls(**data)


def _article_entry(data: dict) -> ArticleEntry:
    """Manifests written before `source` was renamed `publisher` still open, without a rebuild."""
    if "source" in data:
        data = {**data}
        data["publisher"] = data.pop("source")
    return ArticleEntry(**data)


class VectorRows:
    """Reads a few rows of a generation's vectors.npy by pread.

    A search reads a few dozen rows at random. Through the mapping, each one would also map its
    neighbours (the kernel's fault-around), and a serving process would soon count most of the
    file in its resident memory; read with pread they stay in the shared page cache. The file
    is opened once, so a generation pruned from disk while a process still serves it stays
    readable until the process lets it go.
    """

    def __init__(self, vectors: np.memmap) -> None:
        self._fd = os.open(vectors.filename, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._offset, self._dim, self._dtype = vectors.offset, vectors.shape[1], vectors.dtype

    def read(self, rows: np.ndarray) -> np.ndarray:
        width = self._dim * self._dtype.itemsize
        out = np.empty((len(rows), self._dim), dtype=self._dtype)
        for i, row in enumerate(np.asarray(rows, dtype=np.int64).tolist()):
            out[i] = np.frombuffer(os.pread(self._fd, width, self._offset + row * width),
                                   dtype=self._dtype)
        return out.astype(np.float32, copy=False)


@dataclass
class Generation:
    """One complete, immutable build: passages, their vectors, the FAISS index over them and
    the word tables (None in a generation built before they were stored)."""

    manifest: Manifest
    passages: Sequence[Passage]  # read from disk when asked for
    vectors: np.ndarray  # mapped from vectors.npy: for bulk reads (a build reusing them)
    faiss_index: object
    vector_rows: VectorRows | None = None
    words: WordTables | None = None
    sentences: SentenceVectors | None = None

    def rows(self, rows: np.ndarray | list[int]) -> np.ndarray:
        """Some rows of the vectors, as float32 (what a search re-scores)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.empty((0, self.vectors.shape[1]), dtype=np.float32)
        if self.vector_rows is None:
            return np.asarray(self.vectors[rows], dtype=np.float32)
        return self.vector_rows.read(rows)


def generation_name(number: int) -> str:
    """The folder of generation `number`: `gen-000042` (zero-padded so names sort by number)."""
    return f"{GENERATION_PREFIX}{number:06d}"


def generation_number(name: str) -> int:
    """The number in a generation folder's name (`gen-000042` -> 42)."""
    return int(name.removeprefix(GENERATION_PREFIX))


def current_generation_name(root: Path) -> str | None:
    """The published generation's folder name, or None when nothing was built yet;
    IndexCorruptError when CURRENT holds anything but a generation name."""
    try:
        raw = (root / CURRENT).read_bytes()[:64]
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexCorruptError(f"{root / CURRENT} cannot be read ({error.strerror}); run "
                                "`python -m index build` to repair it") from None
    name = raw.decode("ascii", errors="replace").strip()
    if not name:
        return None
    if not _GENERATION_NAME.match(name):
        raise IndexCorruptError(
            f"{root / CURRENT} is damaged (it holds {name[:20]!r}, not a generation name); "
            "run `python -m index build` to repair it")
    return name


def load_generation(root: Path) -> Generation | None:
    """The published generation, None before the first build; IndexCorruptError when the
    pointer or the folder it names cannot be read."""
    name = current_generation_name(root)
    if name is None:
        return None
    return _load_folder(root / name)


def newest_readable_generation(root: Path) -> Generation | None:
    """The newest generation folder that loads, whatever CURRENT says (to recover from a
    damaged pointer); None when there is none."""
    for folder in sorted(generation_folders(root), reverse=True):
        try:
            return _load_folder(folder)
        except IndexCorruptError as error:
            log.warning("skipping %s: %s", folder, error)
    return None


def generation_folders(root: Path) -> list[Path]:
    """Every complete generation folder, oldest first."""
    return sorted((p for p in root.glob(f"{GENERATION_PREFIX}*")
                   if p.is_dir() and _GENERATION_NAME.match(p.name)),
                  key=lambda p: generation_number(p.name))


def _load_folder(folder: Path) -> Generation:
    try:
        manifest = Manifest.from_json((folder / "manifest.json").read_text(encoding="utf-8"))
        passages = PassageFile(folder)
        # Mapped, not read: only the rows a search re-scores are paged in, so a million
        # passages do not cost their 1.5 GB of float32 in every serving process.
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        faiss_index = read_faiss(folder / "vectors.faiss")
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorruptError(
            f"the index in {folder} cannot be read ({error}); run `python -m index rebuild`"
        ) from error
    if not (len(passages) == len(vectors) == faiss_index.ntotal == manifest.passage_count):
        raise IndexCorruptError(
            f"the index in {folder} is inconsistent; run `python -m index rebuild`"
        )
    return Generation(manifest, passages, vectors, faiss_index, VectorRows(vectors),
                      _load_words(folder, manifest), _load_sentences(folder))


def _load_words(folder: Path, manifest: Manifest) -> WordTables | None:
    """The stored word tables, checked against the sizes the manifest recorded."""
    if not manifest.word_files:
        return None
    for name, size in manifest.word_files.items():
        try:
            found = (folder / name).stat().st_size
        except OSError as error:
            raise IndexCorruptError(f"the word table {folder / name} cannot be read "
                                    f"({error.strerror}); run `python -m index rebuild`") from None
        if found != size:
            raise IndexCorruptError(
                f"the word table {folder / name} is damaged ({found} bytes, the manifest says "
                f"{size}); run `python -m index rebuild`")
    try:
        return WordTables.load(folder, manifest.passage_count)
    except (OSError, ValueError, RuntimeError) as error:
        raise IndexCorruptError(f"the word tables in {folder} cannot be read ({error}); run "
                                "`python -m index rebuild`") from error


def _load_sentences(folder: Path) -> SentenceVectors | None:
    """The stored sentence vectors, None when the build made none."""
    if not (folder / SENTENCE_KEYS).exists():
        return None
    try:
        keys = np.load(folder / SENTENCE_KEYS)
        if not len(keys):  # an index of title-only articles: nothing to map
            empty = np.load(folder / SENTENCE_VECTORS)
            return SentenceVectors(keys, empty, lambda rows: empty[rows])
        vectors = np.load(folder / SENTENCE_VECTORS, mmap_mode="r")
        return SentenceVectors(keys, vectors, VectorRows(vectors).read)
    except (OSError, ValueError) as error:
        raise IndexCorruptError(
            f"the sentence vectors in {folder} cannot be read ({error}); run "
            "`python -m index rebuild`") from error


def save_generation(root: Path, manifest: Manifest, passages: Sequence[Passage],
                    vectors: np.ndarray, search_texts: Iterable[str],
                    sentences: tuple[np.ndarray, np.ndarray] | None = None) -> Generation:
    """Write a new generation beside the old one and publish it atomically; the word tables
    are built here from `search_texts` (one per passage, what the word channels read);
    `sentences` are the sorted keys and vectors of the passages' sentences, when the build
    embedded them."""
    root.mkdir(parents=True, exist_ok=True)
    name = generation_name(manifest.generation)
    staging = root / f".{name}.tmp"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    faiss_index = build_faiss(vectors, manifest.faiss_factory)
    write_passages(staging, passages)
    with open(staging / "vectors.npy", "wb") as handle:
        np.save(handle, vectors)
        _sync(handle)
    if sentences is not None:
        for file, array in zip((SENTENCE_KEYS, SENTENCE_VECTORS), sentences, strict=True):
            with open(staging / file, "wb") as handle:
                np.save(handle, array)
                _sync(handle)
    write_faiss(faiss_index, staging / "vectors.faiss")
    _fsync_path(staging / "vectors.faiss")
    written = write_word_tables(search_texts, staging)
    for file in written:
        _fsync_path(staging / file)
    manifest.word_files = {file: (staging / file).stat().st_size for file in written}
    _write_bytes(staging / "manifest.json", manifest.to_json().encode("utf-8"))
    _fsync_path(staging)
    final = root / name
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    _write_bytes(root / f".{CURRENT}.tmp", name.encode("utf-8"))
    os.replace(root / f".{CURRENT}.tmp", root / CURRENT)
    _fsync_path(root)
    _prune(root, keep=name)
    # The published file, mapped as a reader maps it: the build's copy is freed.
    mapped = np.load(final / "vectors.npy", mmap_mode="r")
    return Generation(manifest, PassageFile(final), mapped, faiss_index, VectorRows(mapped),
                      _load_words(final, manifest), _load_sentences(final))


def disk_size(root: Path) -> int:
    """Bytes used by the published generation (0 when the pointer is missing or damaged)."""
    try:
        name = current_generation_name(root)
        if name is None:
            return 0
        return sum(p.stat().st_size for p in (root / name).iterdir() if p.is_file())
    except (IndexCorruptError, OSError):
        return 0


def _prune(root: Path, keep: str) -> None:
    """Keep the newest generations (a reader may still be loading the previous one)."""
    generations = generation_folders(root)
    for old in generations[:-KEEP_GENERATIONS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in root.glob(f".{GENERATION_PREFIX}*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        _sync(handle)


def _sync(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
