"""What each chat asked last, so a follow-up can be read with its subject.

Kept in memory only (a restart forgets it), per chat, for CONVERSATION_TTL_S after the last
question; /start forgets it at once. Nothing here is written to disk.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

# Chats remembered at once; the oldest go first (a bound on memory, not a policy).
MAX_CHATS = 10_000


class Conversations:
    """The last question of each chat, forgotten after `ttl_s` seconds."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._last: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def previous(self, chat: Hashable) -> str | None:
        """The chat's last question, if it was asked less than `ttl_s` ago."""
        with self._lock:
            entry = self._last.get(chat)
            if entry is None:
                return None
            if self._clock() - entry[0] > self._ttl_s:
                del self._last[chat]
                return None
            return entry[1]

    def remember(self, chat: Hashable, question: str) -> None:
        with self._lock:
            self._last[chat] = (self._clock(), question)
            self._last.move_to_end(chat)
            while len(self._last) > MAX_CHATS:
                self._last.popitem(last=False)

    def forget(self, chat: Hashable) -> None:
        with self._lock:
            self._last.pop(chat, None)
