"""The overview's figures, kept for a minute: with a large log they take seconds to compute
(30 days grouped by day, the topics of thousands of questions), and the picture of a month does
not change in a minute. A stale copy is served while a fresh one is computed in a thread, so
the page never waits once the first copy exists."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FRESH_S = 60.0


class OverviewCache:
    def __init__(self, fresh_s: float = FRESH_S) -> None:
        self.fresh_s = fresh_s
        self._figures: dict | None = None
        self._computed = 0.0
        self._refreshing = False
        self._lock = threading.Lock()

    def get(self, compute: Callable[[], dict]) -> dict:
        """In a worker thread: the figures, computed now only when there are none yet."""
        with self._lock:
            figures, age = self._figures, time.monotonic() - self._computed
            stale = figures is not None and age > self.fresh_s and not self._refreshing
            if stale:
                self._refreshing = True
        if figures is None:
            return self._store(compute())
        if stale:
            threading.Thread(target=self._refresh, args=(compute,), daemon=True,
                             name="overview").start()
        return figures

    def forget(self) -> None:
        with self._lock:
            self._figures = None

    def _refresh(self, compute: Callable[[], dict]) -> None:
        try:
            self._store(compute())
        finally:
            with self._lock:
                self._refreshing = False

    def _store(self, figures: dict) -> dict:
        with self._lock:
            self._figures, self._computed = figures, time.monotonic()
        return figures
