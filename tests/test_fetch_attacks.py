"""Fetching hostile addresses and bodies: DNS rebinding, special-purpose addresses,
compression bombs. Each test is named after the attack it stops."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import index.web.fetch as fetch_module
from fakes.news_site import NewsSite, Page, site_settings
from index.errors import (
    ContentEncodingError,
    FetchConnectionError,
    FetchError,
    FetchTimeoutError,
    TooLargeError,
    UnsafeURLError,
)
from index.web.fetch import Fetcher, check_url

ARTICLE = (b"<html><head><title>Th\xc3\xb4ng b\xc3\xa1o</title></head><body><h1>Th\xc3\xb4ng "
           b"b\xc3\xa1o</h1><p>Ph\xc6\xb0\xe1\xbb\x9dng Ph\xc3\xbac T\xc3\xa2n.</p></body></html>")
PUBLIC = "93.184.216.34"  # example.org: a public address the sandbox cannot reach


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


def _resolver(monkeypatch: pytest.MonkeyPatch, name: str, answers: list[list[str]]) -> list[str]:
    """`name` resolves to each list of `answers` in turn (the last one repeats); other names
    resolve as usual. Returns the log of names asked."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host != name:
            return real(host, port, family, type, proto, flags)
        asked.append(host)
        addresses = answers[min(len(asked), len(answers)) - 1]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _strict(tmp_path: Path, **overrides: object) -> Fetcher:
    values: dict[str, object] = {"allow_private_urls": False, "fetch_timeout_s": 1.0,
                                 "fetch_connect_timeout_s": 0.5, "fetch_retries": 0}
    values.update(overrides)
    return Fetcher(site_settings(tmp_path, **values))


# -- DNS rebinding --------------------------------------------------------------------------

def test_dns_rebinding_to_loopback_never_reaches_the_internal_service(
        site: NewsSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site.pages["/admin"] = Page(body=ARTICLE)
    port = site.url("/").rsplit(":", 1)[1].rstrip("/")
    _resolver(monkeypatch, "rebind.example", [[PUBLIC], ["127.0.0.1"]])
    with _strict(tmp_path) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(f"http://rebind.example:{port}/admin")
    assert site.hits["/admin"] == 0


def test_dns_rebinding_on_a_redirect_hop_never_reaches_the_internal_service(
        site: NewsSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first hop is served (its name checks out); the next host rebinds."""
    port = site.url("/").rsplit(":", 1)[1].rstrip("/")
    site.pages["/start"] = Page(status=302, headers={
        "Location": f"http://rebind.example:{port}/admin"})
    site.pages["/admin"] = Page(body=ARTICLE)
    _resolver(monkeypatch, "rebind.example", [[PUBLIC], ["127.0.0.1"]])
    monkeypatch.setattr(fetch_module, "is_public_address",
                        _public_or(port_host="127.0.0.1", first_only=True))
    with _strict(tmp_path) as fetcher, pytest.raises(FetchError):
        fetcher.fetch(site.url("/start"))
    assert site.hits["/start"] == 1 and site.hits["/admin"] == 0


def _public_or(port_host: str, first_only: bool = False):
    """`is_public_address` that also trusts `port_host` (our local site), at most once."""
    real = fetch_module.is_public_address
    trusted = [True]

    def judge(address) -> bool:
        if str(address) == port_host and trusted[0]:
            if first_only:
                trusted[0] = False
            return True
        return real(address)

    return judge


def test_fetch_connects_to_the_address_it_checked_with_the_original_host_name(
        site: NewsSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name checked once is connected to at that address, even if it changes its answer."""
    site.pages["/a.html"] = Page(body=ARTICLE)
    port = site.url("/").rsplit(":", 1)[1].rstrip("/")
    asked = _resolver(monkeypatch, "hoankiem.example", [["127.0.0.1"], ["10.255.255.1"]])
    monkeypatch.setattr(fetch_module, "is_public_address", _public_or("127.0.0.1"))
    with _strict(tmp_path) as fetcher:
        page = fetcher.fetch(f"http://hoankiem.example:{port}/a.html")
    assert "Phúc Tân" in page.text
    assert page.url == f"http://hoankiem.example:{port}/a.html"
    assert site.requests[-1]["host"] == f"hoankiem.example:{port}"
    assert asked == ["hoankiem.example"]  # resolved once


def test_name_answering_a_public_and_a_loopback_address_is_refused(
        site: NewsSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = site.url("/").rsplit(":", 1)[1].rstrip("/")
    _resolver(monkeypatch, "mixed.example", [[PUBLIC, "127.0.0.1"]])
    with _strict(tmp_path) as fetcher, pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1"):
        fetcher.fetch(f"http://mixed.example:{port}/admin")
    assert site.hits["/admin"] == 0


def test_unresolvable_host_is_still_a_clear_error_through_the_checked_connection(
        tmp_path: Path) -> None:
    with _strict(tmp_path) as fetcher, pytest.raises(FetchConnectionError,
                                                     match="cannot resolve"):
        fetcher.fetch("http://khong-ton-tai.invalid/tin.html")


# -- addresses that are neither private nor public -----------------------------------------

@pytest.mark.parametrize("url", [
    "http://100.100.100.200/latest/meta-data/",  # carrier-grade NAT: a cloud metadata service
    "http://100.64.0.1/",
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[2002:a9fe:a9fe::]/",  # 6to4 wrapping 169.254.169.254
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
    "http://[::ffff:100.100.100.200]/",  # IPv4-mapped
    "http://[::7f00:1]/",  # IPv4-compatible 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "http://192.0.0.8/", "http://198.18.0.1/", "http://240.0.0.1/",
    "http://255.255.255.255/", "http://233.252.0.1/", "http://[ff0e::1]/",
    "http://[2001:db8::1]/", "http://[fc00::1]/",
])
def test_special_purpose_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url)


@pytest.mark.parametrize("url", ["http://8.8.8.8/", "http://[2606:4700::1111]/",
                                 "http://[2002:808:808::1]/", "http://[64:ff9b::808:808]/"])
def test_globally_routable_addresses_are_allowed(url: str) -> None:
    check_url(url)


def test_hostname_resolving_to_carrier_grade_nat_is_refused_before_connecting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _resolver(monkeypatch, "metadata.example", [["100.100.100.200"]])
    with _strict(tmp_path) as fetcher, pytest.raises(UnsafeURLError, match=r"100\.100\.100\.200"):
        fetcher.fetch("http://metadata.example/latest/meta-data/")


# -- compression bombs ----------------------------------------------------------------------

def _gzip_of_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def test_stacked_gzip_bomb_is_refused_without_unpacking(site: NewsSite, tmp_path: Path) -> None:
    bomb = gzip.compress(_gzip_of_zeros(64), 9)
    site.pages["/bomb"] = Page(body=bomb, headers={"Content-Encoding": "gzip, gzip"})
    with Fetcher(site_settings(tmp_path)) as fetcher, \
            pytest.raises(ContentEncodingError, match="compressed 2 times"):
        fetcher.fetch(site.url("/bomb"))


def test_unknown_content_encoding_is_refused(site: NewsSite, tmp_path: Path) -> None:
    site.pages["/odd"] = Page(body=ARTICLE, headers={"Content-Encoding": "compress"})
    with Fetcher(site_settings(tmp_path)) as fetcher, \
            pytest.raises(ContentEncodingError, match="compress"):
        fetcher.fetch(site.url("/odd"))


def test_gzip_bomb_is_cut_off_at_the_unpacked_size_cap(site: NewsSite, tmp_path: Path) -> None:
    bomb = _gzip_of_zeros(100)  # ~100 kB on the wire, 100 MB unpacked
    site.pages["/bomb"] = Page(body=bomb, headers={"Content-Encoding": "gzip"})
    cap = 1_000_000
    with Fetcher(site_settings(tmp_path, fetch_max_bytes=cap)) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(TooLargeError):
                fetcher.fetch(site.url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * cap, f"unpacking peaked at {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw deflate", "identity"])
def test_honestly_compressed_page_is_unpacked(site: NewsSite, tmp_path: Path,
                                              encoding: str) -> None:
    body = {"gzip": gzip.compress(ARTICLE), "deflate": zlib.compress(ARTICLE),
            "raw deflate": zlib.compress(ARTICLE)[2:-4], "identity": ARTICLE}[encoding]
    header = encoding.removeprefix("raw ")
    site.pages["/a.html"] = Page(body=body, headers={"Content-Encoding": header},
                                 content_type="text/html; charset=utf-8")
    with Fetcher(site_settings(tmp_path)) as fetcher:
        page = fetcher.fetch(site.url("/a.html"))
    assert "Phúc Tân" in page.text and page.size == len(ARTICLE)


def test_corrupt_gzip_body_is_a_clear_error(site: NewsSite, tmp_path: Path) -> None:
    site.pages["/bad"] = Page(body=b"\x1f\x8b\x08\x00garbage" * 10,
                              headers={"Content-Encoding": "gzip"})
    with Fetcher(site_settings(tmp_path)) as fetcher, \
            pytest.raises(ContentEncodingError, match="corrupt"):
        fetcher.fetch(site.url("/bad"))


def test_timeouts_still_surface_as_fetch_timeouts(site: NewsSite, tmp_path: Path) -> None:
    site.pages["/slow"] = Page(body=ARTICLE, delay_s=2)
    with Fetcher(site_settings(tmp_path, fetch_timeout_s=0.3)) as fetcher, \
            pytest.raises(FetchTimeoutError):
        fetcher.fetch(site.url("/slow"))
