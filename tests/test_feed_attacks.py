"""Hostile feeds and sitemaps: a body feedparser would reinterpret as a URL or a file, links
to other schemes, dates outside the calendar. Named after the attack each test stops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.news_site import NewsSite, Page, site_settings
from index import Library
from index.errors import FeedError
from index.web.feeds import discover
from index.web.fetch import Fetcher

RSS = "application/rss+xml; charset=utf-8"
SECRET_FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>internal</title>'
               b"<item><title>secret</title><link>http://internal.example/secret</link></item>"
               b"</channel></rss>")


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


def test_feed_whose_body_is_an_internal_url_is_not_fetched_by_the_feed_parser(
        site: NewsSite, tmp_path: Path) -> None:
    site.pages["/internal-feed"] = Page(body=SECRET_FEED, content_type=RSS)
    site.pages["/feed"] = Page(body=site.url("/internal-feed").encode(), content_type=RSS)
    with Fetcher(site_settings(tmp_path)) as fetcher, pytest.raises(FeedError):
        discover(fetcher, site.url("/feed"))
    assert site.hits["/internal-feed"] == 0


def test_feed_whose_body_is_a_file_path_is_not_read_by_the_feed_parser(
        site: NewsSite, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(SECRET_FEED)
    site.pages["/feed"] = Page(body=str(secret).encode(), content_type=RSS)
    settings = site_settings(tmp_path)
    report = Library(settings).crawl(site.url("/feed"))
    assert report.counts().get("failed") == 1
    assert "internal.example" not in str(report.items)


def test_feed_links_to_other_schemes_are_never_listed(site: NewsSite, tmp_path: Path) -> None:
    site.pages["/feed"] = Page(content_type=RSS, body=(
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>file:///etc/passwd</link></item>"
        b"<item><title>b</title><link>ftp://example.org/x</link></item>"
        b"<item><title>c</title><link>http://[::1/broken</link></item>"
        b"<item><title>d</title><link>https://example.org/tin.html</link>"
        b"<pubDate>Fri, 31 Dec 9999 23:59:59 -2300</pubDate></item>"
        b"</channel></rss>"))
    with Fetcher(site_settings(tmp_path)) as fetcher:
        entries = discover(fetcher, site.url("/feed"))
    assert [e.url for e in entries] == ["https://example.org/tin.html"]


def test_sitemap_with_other_schemes_and_dates_beyond_the_calendar_lists_only_web_pages(
        site: NewsSite, tmp_path: Path) -> None:
    site.pages["/sitemap.xml"] = Page(content_type="application/xml", body=(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>file:///etc/passwd</loc></url>"
        b"<url><loc>http://[::1/broken</loc></url>"
        b"<url><loc>https://example.org/a.html</loc>"
        b"<lastmod>9999-12-31T23:59:59-23:00</lastmod></url></urlset>"))
    with Fetcher(site_settings(tmp_path)) as fetcher:
        entries = discover(fetcher, site.url("/sitemap.xml"))
    assert [(e.url, e.lastmod) for e in entries] == [("https://example.org/a.html", None)]
