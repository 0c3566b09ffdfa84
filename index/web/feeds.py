"""What a feed or sitemap lists: RSS/Atom via feedparser, sitemaps via lxml (untrusted XML)."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass

import feedparser
from lxml import etree

from index.errors import FeedError, FetchError
from index.web.fetch import Fetched, Fetcher, canonical_url, is_url, strip_xml_prolog

log = logging.getLogger(__name__)

MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index
_SITEMAP_ROOT = re.compile(r"<(?:\w+:)?(urlset|sitemapindex)\b")


@dataclass(frozen=True)
class Entry:
    """A page a feed or sitemap lists."""

    url: str  # canonical
    lastmod: dt.datetime | None  # aware, UTC
    title: str | None = None


def discover(fetcher: Fetcher, source: str, fetched: Fetched | None = None) -> list[Entry]:
    """The entries of a feed or sitemap (a sitemap index is followed one level down);
    `fetched`: the source already downloaded (a conditional request that found it changed)."""
    fetched = fetched if fetched is not None else fetcher.fetch(source)
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


def _feed_entries(source: str, text: str) -> list[Entry]:
    # A stream, never a str: feedparser fetches a str that looks like a URL and opens one
    # that names a file, so a "feed" whose body is `http://127.0.0.1/...` or `/etc/passwd`
    # would make it read either. The text is already decoded: its prolog no longer applies.
    parsed = feedparser.parse(io.BytesIO(strip_xml_prolog(text).encode("utf-8")))
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise FeedError(source, "not an RSS/Atom feed or a sitemap, or it lists no entries"
                        f"{problem}; check the address")
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not isinstance(link, str) or not _is_web_url(link):
            continue
        # dict.get: feedparser's own get() maps a missing `updated` to `published`, warning.
        stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
        url = _canonical(link)
        if url is not None:
            title = item.get("title")
            entries.append(Entry(url, _from_struct_time(stamp),
                                 title if isinstance(title, str) else None))
    return entries


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None


def _from_struct_time(stamp: object) -> dt.datetime | None:
    """A feed's date, or None when it is missing or out of any calendar we can hold."""
    if not stamp:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None


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
        if not _is_web_url(loc):
            continue
        kind = etree.QName(node).localname
        if kind == "sitemap":
            children.append(loc)
        elif kind == "url" and (url := _canonical(loc)) is not None:
            entries.append(Entry(url, _parse_lastmod(fields.get("lastmod"))))
    return entries, children


def _is_web_url(text: str) -> bool:
    """Only http(s) entries are kept: a `file:` or `ftp:` link is never ours to follow."""
    return is_url(text) and text.strip().lower().startswith(("http://", "https://"))


def _parse_lastmod(value: str | None) -> dt.datetime | None:
    """W3C datetime: `2024-03-18`, `2024-03-18T08:00:00+07:00`, `...Z`; naive means UTC."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone(dt.UTC)
    except (ValueError, OverflowError):  # `9999-12-31T23:00:00-05:00` leaves the calendar
        return None
