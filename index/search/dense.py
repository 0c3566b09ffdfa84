"""The dense channel: normalised embeddings in a FAISS index chosen by a factory string."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

AUTO = "auto"
# k-means learns each IVF centroid from this many vectors: FAISS asks for at least 39, more
# only lengthens training (minutes at a million passages on two cores) for no recall.
TRAIN_PER_LIST = 64
# The training sample is drawn with a fixed seed, so one corpus always gives one index.
TRAIN_SEED = 1234


def choose_factory(setting: str, passages: int, flat_below: int) -> str:
    """The factory string a corpus of `passages` is indexed with.

    `auto`: exact `Flat` while the corpus is small (its search is a few milliseconds and
    needs no training); beyond `flat_below`, an inverted file of about sqrt(N) lists over
    8-bit scalar-quantised vectors (a quarter of Flat's memory; recall tuned by nprobe).
    Any other string is a deployment's explicit choice and is used as written.
    """
    if setting.strip().lower() != AUTO:
        return setting
    if passages < max(flat_below, TRAIN_PER_LIST):  # too few to train even one list
        return "Flat"
    return f"IVF{_list_count(passages)},SQ8"


def _list_count(passages: int) -> int:
    """A power of two near sqrt(N) (stable as a corpus grows), with enough vectors to train."""
    lists = 2 ** max(0, round(math.log2(max(1.0, math.sqrt(passages)))))
    while lists > 1 and passages < 39 * lists:
        lists //= 2
    return lists


def build_faiss(vectors: np.ndarray, factory: str) -> faiss.Index:
    """Inner product on L2-normalised vectors is cosine similarity."""
    dim = vectors.shape[1]
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        if len(vectors) < 40:
            log.warning("only %d passages: %s cannot train, using Flat", len(vectors), factory)
            index = faiss.index_factory(dim, "Flat", faiss.METRIC_INNER_PRODUCT)
        else:
            index.train(_training_sample(vectors, index))
    if len(vectors):
        index.add(vectors)
    return index


def _training_sample(vectors: np.ndarray, index: faiss.Index) -> np.ndarray:
    """A fixed-seed sample big enough for the index's lists (all vectors for other types)."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None or len(vectors) <= TRAIN_PER_LIST * ivf.nlist:
        return np.ascontiguousarray(vectors, dtype=np.float32)
    rows = np.random.default_rng(TRAIN_SEED).choice(len(vectors), TRAIN_PER_LIST * ivf.nlist,
                                                    replace=False)
    return np.ascontiguousarray(vectors[np.sort(rows)], dtype=np.float32)


def tune_search(index: faiss.Index, nprobe: int, ef_search: int) -> faiss.Index:
    """Apply the search-time knobs of the index's type (set per process, not stored)."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.nprobe = min(nprobe, ivf.nlist)
    hnsw = _hnsw(index)
    if hnsw is not None:
        hnsw.hnsw.efSearch = ef_search
    return index


def _hnsw(index: faiss.Index) -> faiss.IndexHNSW | None:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexPreTransform) \
        else index
    return inner if isinstance(inner, faiss.IndexHNSW) else None


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


def check_factory(factory: str) -> str | None:
    """What FAISS says is wrong with a factory string; None when it builds an index."""
    try:  # a dimension most sub-quantizer counts divide, as a model's usually does
        faiss.index_factory(1536, factory, faiss.METRIC_INNER_PRODUCT)
    except RuntimeError as error:
        return str(error).strip().splitlines()[-1].rpartition(": ")[2][:200]
    return None
