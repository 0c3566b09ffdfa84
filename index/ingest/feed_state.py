"""Each feed's state across crawls (DATA_DIR/crawl-feeds.json): the validators for
conditional requests, the last outcome, and the backoff of a feed that keeps failing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Literal, get_args

from index.settings import IndexSettings

FEEDS_FILE = "crawl-feeds.json"
# A feed that keeps failing waits the interval doubled after each failure in a row, never
# longer than this: a site down for a day is retried daily, not every few minutes.
MAX_BACKOFF_S = 24 * 3600.0
# Scheduled runs fire on a grid of intervals; a feed whose next attempt falls within half an
# interval of a run is taken on that run, not one interval later.
DUE_SLACK = 0.5

Outcome = Literal["changed", "unchanged", "not-modified", "failed"]


@dataclass
class FeedState:
    """What we know of one feed or sitemap of FEEDS (kept in DATA_DIR/crawl-feeds.json)."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = None
    outcome: Outcome | None = None
    counts: dict[str, int] = field(default_factory=dict)  # of the last attempt's items
    error: str | None = None  # why the last attempt failed
    failures: int = 0  # in a row
    next_attempt: dt.datetime | None = None  # None: no schedule (CRAWL_INTERVAL empty)
    checked: bool = False  # attempted by the run that reported it (not kept on disk)

    @property
    def backing_off(self) -> bool:
        return self.failures > 0 and self.next_attempt is not None

    def due(self, now: dt.datetime, interval_s: float | None) -> bool:
        """Not backing off, or its wait is (about) over."""
        if self.failures == 0 or self.next_attempt is None or interval_s is None:
            return True
        return now + dt.timedelta(seconds=interval_s * DUE_SLACK) >= self.next_attempt

    def succeeded(self, now: dt.datetime, outcome: Outcome, counts: dict[str, int],
                  interval_s: float | None) -> None:
        self.last_attempt = self.last_success = now
        self.outcome, self.counts, self.error, self.failures = outcome, counts, None, 0
        self.next_attempt = now + dt.timedelta(seconds=interval_s) if interval_s else None
        self.checked = True

    def failed(self, now: dt.datetime, error: str, counts: dict[str, int],
               interval_s: float | None) -> None:
        """One more failure in a row: the wait doubles (interval × 2^failures), capped."""
        self.last_attempt, self.outcome, self.counts, self.error = now, "failed", counts, error
        self.failures += 1
        self.etag = self.last_modified = None  # ask for the whole feed next time
        if interval_s:
            wait = min(interval_s * 2 ** self.failures, max(MAX_BACKOFF_S, interval_s))
            self.next_attempt = now + dt.timedelta(seconds=wait)
        else:
            self.next_attempt = None
        self.checked = True


def load_feed_states(settings: IndexSettings) -> dict[str, FeedState]:
    """Each feed of FEEDS with its state (a feed never crawled has an empty one)."""
    try:
        data = json.loads((settings.data_dir / FEEDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    states = {}
    for source in settings.feeds:
        raw = data.get(source) if isinstance(data, dict) else None
        states[source] = _feed_from_json(source, raw) if isinstance(raw, dict) else \
            FeedState(source)
    return states


def save_feed_states(settings: IndexSettings, states: dict[str, FeedState]) -> None:
    path = settings.data_dir / FEEDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {source: _feed_to_json(state) for source, state in states.items()}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)


_TIMES = ("last_attempt", "last_success", "next_attempt")


def _feed_to_json(state: FeedState) -> dict:
    data = asdict(state)
    data.pop("checked")
    for name in _TIMES:
        data[name] = data[name].isoformat(timespec="seconds") if data[name] else None
    return data


def _feed_from_json(source: str, raw: dict) -> FeedState:
    state = FeedState(source)
    for name in ("etag", "last_modified", "error"):
        value = raw.get(name)
        setattr(state, name, value if isinstance(value, str) else None)
    if raw.get("outcome") in get_args(Outcome):
        state.outcome = raw["outcome"]
    if isinstance(raw.get("counts"), dict):
        state.counts = {k: v for k, v in raw["counts"].items() if isinstance(v, int)}
    if isinstance(raw.get("failures"), int):
        state.failures = max(0, raw["failures"])
    for name in _TIMES:
        with contextlib.suppress(TypeError, ValueError):
            setattr(state, name, dt.datetime.fromisoformat(raw[name]) if raw.get(name) else None)
    return state
