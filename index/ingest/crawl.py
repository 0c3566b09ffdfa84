"""Follow RSS/Atom feeds and sitemaps: add what is new, skip known pages that did not change.

A known page (its URL is in the knowledge folder, or an earlier crawl fetched it) is fetched
again only when the feed or sitemap says it changed after we last looked: `lastmod` / `updated`
later than our last check, kept in DATA_DIR/crawl-state.json (or, for articles added by hand,
their file's time). So a page that redirects is not fetched on every run, and an article staff
removed is not brought back by the next crawl unless the site changes it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import feedparser
from lxml import etree

from index.errors import FeedError, FetchError
from index.ingest.library import IngestReport, ItemResult, ProgressCallback, ingest, known_urls
from index.search.index import Index
from index.settings import IndexSettings
from index.web.fetch import Fetcher, canonical_url, is_url, strip_xml_prolog

log = logging.getLogger(__name__)

STATE_FILE = "crawl-state.json"
MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index
_SITEMAP_ROOT = re.compile(r"<(?:\w+:)?(urlset|sitemapindex)\b")


@dataclass(frozen=True)
class Entry:
    """A page a feed or sitemap lists."""

    url: str  # canonical
    lastmod: dt.datetime | None  # aware, UTC
    title: str | None = None


def crawl(settings: IndexSettings, source: str, *, limit: int | None = None,
          index: Index | None = None, on_progress: ProgressCallback | None = None,
          on_wait: Callable[[str], None] | None = None, show_progress: bool | None = False,
          fetcher: Fetcher | None = None) -> IngestReport:
    """Add the new (and changed) pages a feed or sitemap lists; at most `limit` are fetched."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        return _crawl(settings, source, limit, index, on_progress, on_wait, show_progress,
                      fetcher)
    finally:
        if own:
            fetcher.close()


def crawl_all(settings: IndexSettings, *, limit: int | None = None, index: Index | None = None,
              on_progress: ProgressCallback | None = None,
              on_wait: Callable[[str], None] | None = None,
              show_progress: bool | None = False) -> IngestReport:
    """Crawl every feed and sitemap of the FEEDS setting (a scheduled job); one bad feed is
    reported and the others still run."""
    report = IngestReport()
    if not settings.feeds:
        report.error = "FEEDS is empty: list RSS/Atom feeds or sitemaps, separated by commas"
        return report
    with Fetcher(settings) as fetcher:
        for source in settings.feeds:
            report.extend(crawl(settings, source, limit=limit, index=index,
                                on_progress=on_progress, on_wait=on_wait,
                                show_progress=show_progress, fetcher=fetcher))
    return report


def discover(fetcher: Fetcher, source: str) -> list[Entry]:
    """The entries of a feed or sitemap (a sitemap index is followed one level down)."""
    fetched = fetcher.fetch(source)
    head = fetched.text[:2000]
    match = _SITEMAP_ROOT.search(head)
    if match is None:
        return _feed_entries(source, fetched.text)
    entries, children = _sitemap(source, fetched.text)
    for child in children[:MAX_SITEMAPS]:
        try:
            child_entries, _ = _sitemap(child, fetcher.fetch(child).text)
        except FetchError as error:
            log.warning("skipping sitemap %s: %s", child, error)
            continue
        entries.extend(child_entries)
    if len(children) > MAX_SITEMAPS:
        log.warning("%s lists %d sitemaps; read the first %d", source, len(children),
                    MAX_SITEMAPS)
    return entries


def _crawl(settings: IndexSettings, source: str, limit: int | None, index: Index | None,
           on_progress: ProgressCallback | None, on_wait: Callable[[str], None] | None,
           show_progress: bool | None, fetcher: Fetcher) -> IngestReport:
    report = IngestReport()
    if not is_url(source):
        report.items.append(ItemResult(source, "failed", reason=(
            f"{source}: a feed or sitemap must be an http:// or https:// address")))
        return report
    try:
        entries = discover(fetcher, source)
    except FetchError as error:
        report.items.append(ItemResult(source, "failed", reason=str(error)))
        return report
    state = _load_state(settings)
    known = known_urls(settings)
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
    if todo:
        started = dt.datetime.now(dt.UTC)
        result = ingest(settings, [e.url for e in todo], index=index, on_progress=on_progress,
                        on_wait=on_wait, show_progress=show_progress, fetcher=fetcher)
        report.extend(result)
        checked = {item.source for item in result.items if item.status != "failed"}
        checked |= {item.url for item in result.items if item.status != "failed" and item.url}
        _save_state(settings, state, checked, started)
    return report


def _feed_entries(source: str, text: str) -> list[Entry]:
    parsed = feedparser.parse(text)
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise FeedError(source, "not an RSS/Atom feed or a sitemap, or it lists no entries"
                        f"{problem}; check the address")
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link or not is_url(link):
            continue
        # dict.get: feedparser's own get() maps a missing `updated` to `published`, warning.
        stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
        lastmod = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC) if stamp else None
        entries.append(Entry(canonical_url(link), lastmod, item.get("title")))
    return entries


def _sitemap(source: str, text: str) -> tuple[list[Entry], list[str]]:
    """Page entries and child sitemaps. Entities and network access are off: XML from the
    web is untrusted."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    body = strip_xml_prolog(text).encode("utf-8")
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise FeedError(source, f"the sitemap is not valid XML ({error})") from None
    if root is None:
        raise FeedError(source, "the sitemap is empty")
    entries, children = [], []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        fields = {etree.QName(child).localname: (child.text or "").strip()
                  for child in node if isinstance(child.tag, str)}
        loc = fields.get("loc", "")
        if not is_url(loc):
            continue
        kind = etree.QName(node).localname
        if kind == "sitemap":
            children.append(loc)
        elif kind == "url":
            entries.append(Entry(canonical_url(loc), _parse_lastmod(fields.get("lastmod"))))
    return entries, children


def _parse_lastmod(value: str | None) -> dt.datetime | None:
    """W3C datetime: `2024-03-18`, `2024-03-18T08:00:00+07:00`, `...Z`; naive means UTC."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


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


def _load_state(settings: IndexSettings) -> dict[str, str]:
    try:
        data = json.loads((settings.data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(settings: IndexSettings, state: dict[str, str], checked: set[str],
                when: dt.datetime) -> None:
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

