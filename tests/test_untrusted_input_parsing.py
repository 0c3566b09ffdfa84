"""Property-based: whatever the bytes, parsers of untrusted input end in a result or an
index.Error, never another exception or a hang."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import index
from index.corpus.article import read_article
from index.web.extract import extract_article, extract_text_file
from index.web.feeds import _feed_entries, _sitemap

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SECONDS = 5.0  # any one input: far above what a sane parser needs for these small inputs

yaml_scalar = st.one_of(
    st.text(max_size=20), st.integers(), st.floats(allow_nan=False), st.booleans(),
    st.sampled_from(["2023-02-30", "2023-13-01 10:00:00", "9999-12-31", "~", "null", "[]",
                     "{}", "&a [*a]", "!!python/object:os.system", "!!binary AAAA",
                     "!!timestamp 2023-02-30", "2023-02-16T25:00:00", ".inf", "0o777"]))
field = st.sampled_from(["title", "published", "url", "source", "tags", "sample", "x"])
front_matter = st.lists(st.tuples(field, st.one_of(yaml_scalar, st.lists(yaml_scalar,
                                                                           max_size=3))),
                        max_size=6)


def _yaml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return str(value) if not isinstance(value, str) else value.replace("\n", " ")


@FAST
@given(fields=front_matter, body=st.text(max_size=200), junk=st.binary(max_size=64))
def test_any_front_matter_is_an_article_or_an_article_error(
        tmp_path: Path, fields: list[tuple[str, object]], body: str, junk: bytes) -> None:
    header = "\n".join(f"{name}: {_yaml_value(value)}" for name, value in fields)
    path = tmp_path / "a.md"
    for data in (f"---\n{header}\n---\n{body}".encode(errors="surrogatepass"),
                 b"---\n" + junk + b"\n---\nbody", junk):
        try:
            path.write_bytes(data)
        except UnicodeEncodeError:
            continue
        started = time.monotonic()
        with contextlib.suppress(index.Error):
            read_article(path, tmp_path)
        assert time.monotonic() - started < SECONDS


html_tags = st.sampled_from(["div", "p", "a", "h1", "table", "tr", "td", "li", "ul", "span",
                             "article", "script", "form", "input", "em", "img", "nav"])
attrs = st.sampled_from(["", ' class="share"', ' class="sapo"', ' id="content"',
                         ' class="caption"', ' type="radio"', ' href="/x"'])


@st.composite
def html_pages(draw) -> str:
    parts = ["<html><head><title>", draw(st.text(max_size=30)), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(html_tags)
        parts.append(f"<{tag}{draw(attrs)}>{draw(st.text(max_size=40))}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    parts.append(draw(st.text(max_size=50)))
    return "".join(parts)


@FAST
@given(page=st.one_of(html_pages(), st.text(max_size=300)))
def test_any_html_is_an_article_or_an_extract_error(page: str) -> None:
    started = time.monotonic()
    for run in (lambda: extract_article(page, "http://x.example/a", 5, max_elements=500,
                                        deadline_s=SECONDS),
                lambda: extract_text_file(page)):
        with contextlib.suppress(index.Error):
            run()
    assert time.monotonic() - started < 2 * SECONDS


xml_bits = st.sampled_from([
    "<rss version='2.0'>", "<channel>", "<item>", "</item>", "<link>", "</link>", "<title>",
    "</title>", "<pubDate>Fri, 31 Dec 9999 23:59:59 -2300</pubDate>", "<feed xmlns="
    "'http://www.w3.org/2005/Atom'>", "<entry>", "<updated>9999-12-31T23:59:59-23:00</updated>",
    "<urlset>", "<url>", "<loc>", "</loc>", "<lastmod>", "</lastmod>", "<sitemapindex>",
    "<sitemap>", "http://[::1", "file:///etc/passwd", "http://127.0.0.1:1/",
    "https://example.org/a", "/etc/passwd", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/"
    "passwd'>]>", "&e;", "<![CDATA[", "]]>", "<?xml version='1.0' encoding='latin-1'?>"])
xml_documents = st.lists(st.one_of(xml_bits, st.text(max_size=15)), max_size=30).map("".join)


@FAST
@given(document=xml_documents)
def test_any_feed_or_sitemap_is_entries_or_a_feed_error(document: str) -> None:
    started = time.monotonic()
    for parse in (_feed_entries, _sitemap):
        try:
            result = parse("http://x.example/feed", document)
        except index.Error:
            continue
        entries = result[0] if isinstance(result, tuple) else result
        assert all(e.url.startswith(("http://", "https://")) for e in entries)
        assert "passwd" not in " ".join(e.title or "" for e in entries if hasattr(e, "title"))
    assert time.monotonic() - started < SECONDS


@pytest.mark.parametrize("body", ["/etc/passwd", "http://127.0.0.1:1/feed", "file:///etc/passwd"])
def test_a_feed_body_naming_a_resource_is_not_opened(body: str) -> None:
    with pytest.raises(index.FeedError):
        _feed_entries("http://x.example/feed", body)
