"""One writer at a time: an advisory lock file beside the index.

The lock is re-entrant within a thread, so a long job (a scheduled crawl of every feed) can
hold it throughout while the saves and builds it runs take it again.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import LockTimeoutError

_held = threading.local()  # lock files this thread holds, and how deeply


@contextmanager
def writer_lock(root: Path, timeout_s: float,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's writer lock; wait up to `timeout_s` if another process (or thread)
    has it."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".lock"
    depth: dict[Path, int] = _held.__dict__.setdefault("depth", {})
    key = path.resolve()
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and on_wait is not None:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    on_wait(f"waiting for the index lock held by {holder}")
                    told = True
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"the index in {root} is being written by another build; "
                        f"gave up after {timeout_s:.0f} s (LOCK_TIMEOUT_S)"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
