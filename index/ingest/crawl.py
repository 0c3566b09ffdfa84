"""Crawl planning: which pages of a feed or sitemap to fetch, and the crawl state file.

A known page (its URL is in the knowledge folder, or an earlier crawl fetched it) is fetched
again only when the feed or sitemap says it changed after we last looked: `lastmod` / `updated`
later than our last check, kept in DATA_DIR/crawl-state.json (or, for articles added by hand,
their file's time). So a page that redirects is not fetched on every run, and an article staff
removed is not brought back by the next crawl unless the site changes it.

Each feed of FEEDS also has a state (DATA_DIR/crawl-feeds.json): its ETag and Last-Modified
for a conditional request (an unchanged feed costs one small 304), its last outcome, and how
long a feed that keeps failing waits before the next attempt.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from index.corpus.article import Article
from index.ingest.report import IngestReport, ItemResult
from index.settings import IndexSettings
from index.web.feeds import Entry

STATE_FILE = "crawl-state.json"


def plan_crawl(source: str, entries: list[Entry], known: dict[str, Article],
               state: dict[str, str], limit: int | None, report: IngestReport) -> list[Entry]:
    """The entries to fetch, newest first; the skipped ones are reported as unchanged."""
    todo: list[Entry] = []
    seen: set[str] = set()
    for entry in sorted(entries, key=_newest_first):
        if entry.url in seen:
            continue
        seen.add(entry.url)
        article = known.get(entry.url)
        if article is None and entry.url not in state:
            todo.append(entry)
            continue
        last_check = _last_check(state, entry.url, article.path if article else None)
        if entry.lastmod is not None and (last_check is None or entry.lastmod > last_check):
            todo.append(entry)
        elif article is not None:
            report.items.append(ItemResult(
                entry.url, "unchanged", article_id=article.id, title=article.title,
                url=entry.url, published=article.published, path=article.path,
                reason="known and not modified since the last check; not fetched"))
        else:
            report.items.append(ItemResult(
                entry.url, "unchanged", url=entry.url, reason=(
                    "fetched by an earlier crawl (it redirects, or was removed) and not "
                    "modified since; not fetched")))
    if limit is not None and len(todo) > limit:
        report.notes.append(f"{source}: {len(todo) - limit} more new or changed entries left "
                            "for the next run (--limit)")
        todo = todo[:limit]
    return todo


def load_state(settings: IndexSettings) -> dict[str, str]:
    """When each URL was last checked (ISO time); empty when there is no readable state."""
    try:
        data = json.loads((settings.data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(settings: IndexSettings, state: dict[str, str], fetched: IngestReport,
               when: dt.datetime) -> None:
    """Remember the pages fetched at `when`, under the address asked and the one stored."""
    checked = {item.input for item in fetched.items if item.status != "failed"}
    checked |= {item.url for item in fetched.items if item.status != "failed" and item.url}
    if not checked:
        return
    for url in checked:
        state[url] = when.isoformat(timespec="seconds")
    path = settings.data_dir / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=0, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)


def _newest_first(entry: Entry) -> tuple[int, float]:
    return (0, -entry.lastmod.timestamp()) if entry.lastmod else (1, 0.0)


def _last_check(state: dict[str, str], url: str, path: Path | None) -> dt.datetime | None:
    if url in state:
        try:
            return dt.datetime.fromisoformat(state[url])
        except ValueError:
            pass
    if path is not None:  # added by hand: the file was written when it was fetched
        try:
            return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError:
            return None
    return None
