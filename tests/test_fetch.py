"""Fetching pages: timeouts, size cap, content types, charsets, redirects and URL safety."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakes.news_site import NewsSite, Page, big_body, encode_windows_1258, site_settings
from index.errors import (
    FetchConnectionError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UnsupportedContentError,
)
from index.web.fetch import (
    MAX_REDIRECTS,
    Fetcher,
    canonical_url,
    check_url,
    decode_html,
)

TITLE = "Phường Phúc Tân hướng dẫn người dân nộp hồ sơ trực tuyến"
PARAGRAPHS = ["Ủy ban nhân dân phường Phúc Tân tiếp nhận hồ sơ đăng ký thường trú qua "
              "Cổng dịch vụ công, trả kết quả trong năm ngày làm việc."]


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(site_settings(tmp_path, fetch_timeout_s=0.5, fetch_connect_timeout_s=0.5,
                               fetch_retries=1)) as running:
        yield running


def test_page_is_fetched_with_an_honest_user_agent(site: NewsSite, fetcher: Fetcher) -> None:
    site.add_article("/a.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1))
    page = fetcher.fetch(site.url("/a.html?utm_source=zalo&fbclid=abc"))
    assert TITLE in page.text
    assert page.url == site.url("/a.html")
    assert page.encoding == "utf-8"
    assert "hoidap-chinhquyen" in site.requests[-1]["user-agent"]


def test_windows_1258_page_is_decoded_to_vietnamese(site: NewsSite, fetcher: Fetcher) -> None:
    site.add_article("/cu.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1), encoding="windows-1258")
    page = fetcher.fetch(site.url("/cu.html"))
    assert page.encoding == "cp1258"
    assert TITLE in page.text and PARAGRAPHS[0] in page.text


def test_utf8_page_with_a_latin1_header_is_read_as_utf8(site: NewsSite, fetcher: Fetcher) -> None:
    site.add_article("/sai.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1),
                     charset_header="iso-8859-1")
    assert TITLE in fetcher.fetch(site.url("/sai.html")).text


def test_windows_1258_page_with_a_utf8_header_follows_its_meta_tag(
        site: NewsSite, fetcher: Fetcher) -> None:
    site.add_article("/sai-1258.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1),
                     encoding="windows-1258", charset_header="utf-8")
    page = fetcher.fetch(site.url("/sai-1258.html"))
    assert page.encoding == "cp1258"
    assert TITLE in page.text


def test_legacy_page_without_any_declared_charset_is_detected() -> None:
    raw = encode_windows_1258(f"<html><body><p>{PARAGRAPHS[0]}</p></body></html>")
    text, encoding = decode_html(raw, None)
    assert encoding == "cp1258" and PARAGRAPHS[0] in text


def test_missing_page_is_a_clear_error(site: NewsSite, fetcher: Fetcher) -> None:
    with pytest.raises(HTTPStatusError) as error:
        fetcher.fetch(site.url("/khong-co.html"))
    assert error.value.status == 404
    assert site.url("/khong-co.html") in str(error.value)
    assert "does not exist" in str(error.value)


def test_timeout_is_retried_then_reported(site: NewsSite, fetcher: Fetcher) -> None:
    site.pages["/cham.html"] = Page(body=b"<p>x</p>", delay_s=3)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="did not answer in time"):
        fetcher.fetch(site.url("/cham.html"))
    assert site.hits["/cham.html"] == 2  # one retry
    assert time.monotonic() - started < 2.5


def test_server_error_is_retried_with_backoff(site: NewsSite, fetcher: Fetcher) -> None:
    article = site.add_article("/a.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1))
    site.pages["/a.html"] = Page(body=b"busy", status=503, then=article)
    page = fetcher.fetch(site.url("/a.html"))
    assert TITLE in page.text
    assert site.hits["/a.html"] == 2


def test_persistent_server_error_is_reported(site: NewsSite, fetcher: Fetcher) -> None:
    site.pages["/loi.html"] = Page(body=b"oops", status=500)
    with pytest.raises(HTTPStatusError, match="HTTP 500"):
        fetcher.fetch(site.url("/loi.html"))
    assert site.hits["/loi.html"] == 2


def test_20_mb_page_is_cut_off_while_streaming(site: NewsSite, fetcher: Fetcher) -> None:
    site.pages["/lon.html"] = Page(body=big_body(20), content_length=False)
    with pytest.raises(TooLargeError, match="too large"):
        fetcher.fetch(site.url("/lon.html"))


def test_declared_20_mb_page_is_refused_before_reading(site: NewsSite, fetcher: Fetcher) -> None:
    body = b"<p>" + b"x" * 20_000_000 + b"</p>"
    site.pages["/lon.html"] = Page(body=body)
    with pytest.raises(TooLargeError, match=r"20\.0 MB"):
        fetcher.fetch(site.url("/lon.html"))


def test_pdf_is_refused_by_its_content_type(site: NewsSite, fetcher: Fetcher) -> None:
    site.pages["/van-ban.pdf"] = Page(body=b"%PDF-1.7 ...", content_type="application/pdf")
    with pytest.raises(UnsupportedContentError, match="application/pdf"):
        fetcher.fetch(site.url("/van-ban.pdf"))


def test_redirects_are_followed_up_to_five(site: NewsSite, fetcher: Fetcher) -> None:
    site.add_article("/cuoi.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1))
    for i in range(MAX_REDIRECTS):
        target = "/cuoi.html" if i == MAX_REDIRECTS - 1 else f"/r{i + 1}"
        site.pages[f"/r{i}"] = Page(status=301, headers={"Location": target})
    page = fetcher.fetch(site.url("/r0"))
    assert page.url == site.url("/cuoi.html") and page.requested_url == site.url("/r0")


def test_a_sixth_redirect_is_refused(site: NewsSite, fetcher: Fetcher) -> None:
    for i in range(MAX_REDIRECTS + 1):
        site.pages[f"/r{i}"] = Page(status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(TooManyRedirectsError):
        fetcher.fetch(site.url("/r0"))


def test_private_address_is_refused_by_default(site: NewsSite, tmp_path: Path) -> None:
    site.add_article("/a.html", TITLE, PARAGRAPHS, dt.date(2024, 3, 1))
    with Fetcher(site_settings(tmp_path, allow_private_urls=False)) as strict, \
            pytest.raises(UnsafeURLError, match="ALLOW_PRIVATE_URLS"):
        strict.fetch(site.url("/a.html"))
    assert site.hits["/a.html"] == 0  # never contacted


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8080/admin", "http://10.1.2.3/", "http://192.168.1.1/",
    "http://172.16.0.5/", "http://169.254.169.254/latest/meta-data/", "http://224.0.0.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://[fe80::1]/",
])
def test_internal_hosts_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/",
                                 "javascript:alert(1)", "http:///no-host"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url, allow_private=True)


def test_public_address_is_allowed() -> None:
    check_url("https://93.184.216.34/tin-tuc/bai-viet.html")


def test_redirect_to_an_internal_address_is_refused(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:2375/containers"})

    settings = site_settings(tmp_path, allow_private_urls=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as strict, \
            pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1"):
        strict.fetch("http://93.184.216.34/tin.html")


def test_unresolvable_host_is_a_clear_error(tmp_path: Path) -> None:
    with Fetcher(site_settings(tmp_path, allow_private_urls=False)) as strict, \
            pytest.raises(FetchConnectionError, match="cannot resolve"):
        strict.fetch("http://khong-ton-tai.invalid/tin.html")


def test_canonical_url_drops_tracking_parameters_and_fragments() -> None:
    url = ("HTTPS://HoanKiem.HaNoi.gov.vn:443/tin-tuc/bai-1.html?id=5&utm_source=zalo"
           "&UTM_campaign=x&fbclid=IwAR0&zarsrc=30&page=2#binh-luan")
    assert canonical_url(url) == "https://hoankiem.hanoi.gov.vn/tin-tuc/bai-1.html?id=5&page=2"
    assert canonical_url("http://user:pw@site.vn:8080") == "http://site.vn:8080/"
