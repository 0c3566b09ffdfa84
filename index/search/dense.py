"""The dense channel: normalised embeddings in a FAISS index chosen by a factory string."""

from __future__ import annotations

import logging
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)


def build_faiss(vectors: np.ndarray, factory: str) -> faiss.Index:
    """Inner product on L2-normalised vectors is cosine similarity."""
    dim = vectors.shape[1]
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        if len(vectors) < 40:
            log.warning("only %d passages: %s cannot train, using Flat", len(vectors), factory)
            index = faiss.index_factory(dim, "Flat", faiss.METRIC_INNER_PRODUCT)
        else:
            index.train(vectors)
    if len(vectors):
        index.add(vectors)
    return index


def write_faiss(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def read_faiss(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def search_faiss(index: faiss.Index, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine scores of the nearest `n` passages, best first."""
    if index.ntotal == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    scores, ids = index.search(query.reshape(1, -1).astype(np.float32), min(n, index.ntotal))
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]
