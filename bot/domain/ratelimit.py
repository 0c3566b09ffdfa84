"""Per-user token buckets: a few questions at once, then one notice, then silence until refill.

The buckets live in the question log's database (`QuestionLog.spend_token`), so every bot
process on one database holds a user to one limit, whichever replica their messages reach.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Hashable
from typing import Protocol


class Verdict(enum.Enum):
    ALLOWED = "allowed"
    NOTIFY = "notify"  # the first refusal since the last allowed message: say so once
    SILENT = "silent"


class Buckets(Protocol):
    """Where the buckets are kept (the question log)."""

    def spend_token(self, who: Hashable, capacity: int, per_second: float,
                    now: float) -> int: ...

    def forget_full_buckets(self, before: float) -> int: ...


class RateLimiter:
    """`capacity` messages per `window_s` seconds per user, refilled continuously. The clock is
    wall time (seconds since the epoch), the one replicas share."""

    def __init__(self, buckets: Buckets, capacity: int, window_s: float,
                 clock: Callable[[], float] = time.time) -> None:
        if capacity < 1 or window_s <= 0:
            raise ValueError("a rate limit needs capacity >= 1 and a positive window")
        self.capacity = capacity
        self.rate = capacity / window_s  # tokens per second
        self._buckets = buckets
        self._clock = clock
        self._last_prune = clock()

    def take(self, who: Hashable) -> Verdict:
        """Spend one token of `who`'s (a Telegram user id, or a web chat's browser) if there
        is one."""
        now = self._clock()
        self._prune(now)
        refused = self._buckets.spend_token(who, self.capacity, self.rate, now)
        if refused == 0:
            return Verdict.ALLOWED
        return Verdict.NOTIFY if refused == 1 else Verdict.SILENT

    def _prune(self, now: float) -> None:
        """Forget users whose bucket has refilled: they are indistinguishable from new ones."""
        full_after = self.capacity / self.rate
        if now - self._last_prune < full_after:
            return
        self._last_prune = now
        self._buckets.forget_full_buckets(now - full_after)
