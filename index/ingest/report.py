"""What adding articles reports: one result per staff input, the build, and progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from index.ingest.feed_state import FeedState
from index.search.index import BuildReport

Status = Literal["added", "updated", "unchanged", "removed", "failed"]
STATUSES: tuple[Status, ...] = ("added", "updated", "unchanged", "removed", "failed")
# (stage, done, total): stage is "fetch" (pages downloaded) or "embed" (passages embedded).
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class ItemResult:
    """What happened to one URL, file or article the caller named (`input`, as given)."""

    input: str
    status: Status
    reason: str | None = None
    article_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    path: Path | None = None
    passages: int = 0  # passages of the article in the index


@dataclass
class IngestReport:
    """Per-item outcome plus the build that indexed them."""

    items: list[ItemResult] = field(default_factory=list)
    build: BuildReport | None = None
    error: str | None = None  # the whole run failed (lock timeout, model mismatch...)
    notes: list[str] = field(default_factory=list)  # e.g. entries left for the next crawl
    feeds: list[FeedState] = field(default_factory=list)  # `crawl_all`: each feed's state

    def by_status(self, status: Status) -> list[ItemResult]:
        return [item for item in self.items if item.status == status]

    @property
    def added(self) -> list[ItemResult]:
        return self.by_status("added")

    @property
    def updated(self) -> list[ItemResult]:
        return self.by_status("updated")

    @property
    def unchanged(self) -> list[ItemResult]:
        return self.by_status("unchanged")

    @property
    def removed(self) -> list[ItemResult]:
        return self.by_status("removed")

    @property
    def failed(self) -> list[ItemResult]:
        return self.by_status("failed")

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def counts(self) -> dict[str, int]:
        return {status: len(self.by_status(status)) for status in STATUSES}

    def summary(self) -> str:
        """One line: `2 added, 0 updated, 1 unchanged, 1 failed`."""
        counts = self.counts()
        shown = [s for s in STATUSES if s != "removed" or counts[s]]
        return ", ".join(f"{counts[s]} {s}" for s in shown)

    def in_summary_order(self) -> Iterable[ItemResult]:
        """Items in the order a summary lists them: failures last, where they are seen."""
        order = {status: i for i, status in enumerate(STATUSES)}
        return sorted(self.items, key=lambda item: order[item.status])

    def fail(self, given: str, reason: str, url: str | None = None) -> None:
        """Record an input that could not be used; `reason` names it and says what to do."""
        self.items.append(ItemResult(given, "failed", reason=reason, url=url))

    def extend(self, other: IngestReport) -> None:
        """Merge another run (a second feed of `crawl --all`) into this report."""
        self.items.extend(other.items)
        self.build = other.build or self.build
        self.notes.extend(other.notes)
        self.feeds.extend(other.feeds)
        self.error = "; ".join(e for e in (self.error, other.error) if e) or None
