"""Pages built to make extraction slow: bounded by a DOM size and a deadline, reported as a
failed item with its reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import index.web.extract as extract_module
from fakes.news_site import NewsSite, Page, site_settings
from index import Library
from index.errors import ExtractError
from index.web.extract import extract_article


def _page_of_links(count: int) -> bytes:
    links = "".join(f'<li><a href="/tin/{i}.html">Tin số {i} về phường Phúc Tân</a></li>'
                    for i in range(count))
    return (f"<html><head><title>Tin</title></head><body><h1>Danh sách</h1><ul>{links}</ul>"
            "</body></html>").encode()


def test_page_of_sixteen_thousand_links_fails_fast_with_a_reason(tmp_path: Path) -> None:
    with NewsSite() as site:
        site.pages["/links.html"] = Page(body=_page_of_links(16_000))
        started = time.monotonic()
        report = Library(site_settings(tmp_path)).add_urls([site.url("/links.html")])
        seconds = time.monotonic() - started
    [item] = report.items
    assert item.status == "failed" and "HTML elements" in item.reason
    assert seconds < 5, f"took {seconds:.1f} s"


def test_slow_extraction_stops_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    real = extract_module.trafilatura.bare_extraction

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", slow)
    with pytest.raises(ExtractError, match=r"longer than 0\.1 s"):
        extract_article(_page_of_links(10).decode(), "http://x.example/", deadline_s=0.1)
