"""Per-user token buckets: a few questions at once, then one notice, then silence until refill."""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


class Verdict(enum.Enum):
    ALLOWED = "allowed"
    NOTIFY = "notify"  # the first refusal since the last allowed message: say so once
    SILENT = "silent"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    notified: bool = False


class RateLimiter:
    """`capacity` messages per `window_s` seconds per key, refilled continuously."""

    def __init__(self, capacity: int, window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1 or window_s <= 0:
            raise ValueError("a rate limit needs capacity >= 1 and a positive window")
        self.capacity = capacity
        self.rate = capacity / window_s  # tokens per second
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}
        self._lock = threading.Lock()
        self._last_prune = clock()

    def take(self, key: Hashable) -> Verdict:
        """Spend one token for `key` if there is one."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                bucket.notified = False
                return Verdict.ALLOWED
            if bucket.notified:
                return Verdict.SILENT
            bucket.notified = True
            return Verdict.NOTIFY

    def _prune(self, now: float) -> None:
        """Forget users whose bucket has refilled: they are indistinguishable from new ones."""
        full_after = self.capacity / self.rate
        if now - self._last_prune < full_after:
            return
        self._last_prune = now
        for key in [k for k, b in self._buckets.items() if now - b.updated >= full_after]:
            del self._buckets[key]
