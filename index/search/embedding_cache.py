"""Passage vectors on disk keyed by model and text hash, so re-runs skip the slow step."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class EmbeddingCache:
    """A SQLite file of vectors: nothing to start, one file to delete."""

    def __init__(self, folder: Path, model: str, dim: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._model = model
        self._dim = dim
        self._db = sqlite3.connect(folder / "embeddings.sqlite3")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, text_hash TEXT, vector BLOB, "
            "PRIMARY KEY (model, text_hash))"
        )

    def get_many(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        found: list[np.ndarray | None] = []
        for text in texts:
            row = self._db.execute(
                "SELECT vector FROM vectors WHERE model = ? AND text_hash = ?",
                (self._model, _hash(text)),
            ).fetchone()
            found.append(np.frombuffer(row[0], dtype=np.float32).copy() if row else None)
        return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(self._model, _hash(t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors,
                                                                                       strict=True)],
        )
        self._db.commit()

    def count(self) -> int:
        """Vectors stored for this cache's model."""
        return self._db.execute("SELECT count(*) FROM vectors WHERE model = ?",
                                (self._model,)).fetchone()[0]

    def clear(self) -> None:
        self._db.execute("DELETE FROM vectors")
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
