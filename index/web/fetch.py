"""Download one web page or feed safely: timeouts, a size cap, allowed types, honest charset.

Errors (`index.errors`) form a small hierarchy under `FetchError`; each names the URL and says
what to do.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit, urlunsplit

import charset_normalizer
import httpcore
import httpx

from index.errors import (
    ContentEncodingError,
    FetchConnectionError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UnsupportedContentError,
)
from index.settings import IndexSettings
from index.text import nfc

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
# HTML pages, and the XML of RSS/Atom feeds and sitemaps; nothing else is downloaded.
ALLOWED_TYPES = frozenset({
    "text/html", "application/xhtml+xml",
    "application/xml", "text/xml",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
})
# Query parameters that only track who clicked; they never select content.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "gidzl"})
# A site that trickles bytes can keep each read under the timeout forever; cap the whole download.
_TOTAL_TIME_FACTOR = 3
_RETRY_AFTER_CAP_S = 30.0
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Vietnamese sites that are not UTF-8 are almost always Windows-1258.
_VIETNAMESE_LEGACY = "cp1258"
# We unpack these ourselves, so that the size cap binds the unpacked bytes.
_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
              "deflate": zlib.MAX_WBITS}
_INFLATE_STEP = 64 * 1024  # bytes unpacked at a time: a bomb never grows past cap + one step


@dataclass(frozen=True)
class Fetched:
    """A downloaded page, decoded to NFC text."""

    url: str  # canonical form of the final URL, after redirects
    requested_url: str
    status: int
    content_type: str
    encoding: str
    text: str
    size: int
    seconds: float
    # Validators for a conditional request next time; `not_modified`: the site answered 304
    # to the validators we sent, so there is no text and nothing changed.
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def canonical_url(url: str) -> str:
    """The form we store and compare: no fragment, credentials, default port or tracking params."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} \
        else f"{host}:{port}"
    kept = [piece for piece in parts.query.split("&") if piece and not _is_tracking(piece)]
    return urlunsplit((scheme, netloc, parts.path or "/", "&".join(kept), ""))


def is_url(text: str) -> bool:
    """Does a command-line argument name a URL (rather than a local path)?"""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text.strip()))


def _is_tracking(piece: str) -> bool:
    key = piece.split("=", 1)[0].lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def check_url(url: str, allow_private: bool = False) -> None:
    """Refuse what we must never fetch: other schemes, and hosts inside our own network.

    A host name is resolved here only to fail early with a clear message; the connection
    itself resolves once more and connects only to an address it checked (`_CheckedBackend`),
    so a name that changes its answer in between (DNS rebinding) gains nothing.
    """
    parts = _check_form(url)
    if allow_private:
        return
    _checked_addresses(parts.hostname or "", parts.port or _default_port(parts.scheme), url)


def _check_form(url: str):
    """The URL's parts, when it is http(s) with a host and, if the host is an address
    literal, that address is public."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:
        raise UnsafeURLError(url, f"not a valid URL ({error})") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise UnsafeURLError(url, "only http:// and https:// URLs can be added")
    if not parts.hostname:
        raise UnsafeURLError(url, "the URL has no host name")
    return parts


def _default_port(scheme: str) -> int:
    return 443 if scheme.lower() == "https" else 80


def _checked_addresses(host: str, port: int, url: str) -> list[str]:
    """The addresses `host` resolves to, in resolver order, when every one is public."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as error:
            raise FetchConnectionError(
                url, f"cannot resolve host {host!r} ({error}); check the address") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FetchConnectionError(url, f"cannot resolve host {host!r}; check the address")
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURLError(
                url, f"host {host} resolves to the internal address {address}; only public "
                "internet addresses are fetched (set ALLOW_PRIVATE_URLS=true only on a "
                "trusted network)")
    return list(dict.fromkeys(str(address) for address in addresses))


# Special-purpose blocks that Python 3.11's `is_global` still calls global.
_NOT_GLOBAL = tuple(ipaddress.ip_network(block) for block in (
    "192.0.0.0/24",  # IETF protocol assignments
    "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast only. An IPv6 address that carries an IPv4 one (mapped,
    NAT64, 6to4, Teredo) is judged by the IPv4 address it leads to."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None and not is_public_address(address.sixtofour):
            return False
        if address.teredo is not None and not all(map(is_public_address, address.teredo)):
            return False
    return (address.is_global and not address.is_multicast and not address.is_reserved
            and not any(address in block for block in _NOT_GLOBAL
                        if block.version == address.version))


def decode_html(raw: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: a BOM, else UTF-8 when the bytes are valid UTF-8, else the
    declared charsets (header, `<meta>`, XML prolog) judged by charset_normalizer.

    Valid UTF-8 wins over a declared legacy charset: a wrong header is common, and real
    legacy-encoded Vietnamese is practically never valid UTF-8. The text is NFC: Windows-1258
    spells tones as combining marks, and everything downstream compares NFC.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return nfc(raw[len(bom):].decode(encoding, errors="replace")), encoding
    try:
        return nfc(raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    head = raw[:4096]
    declared = [_codec(header_charset)]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        declared.append(_codec(match.group(1).decode("ascii")) if match else None)
    candidates = [c for c in dict.fromkeys(declared) if c and c != "utf-8"]
    if _VIETNAMESE_LEGACY not in candidates:
        candidates.append(_VIETNAMESE_LEGACY)
    best = charset_normalizer.from_bytes(raw, cp_isolation=candidates).best()
    if best is None:
        best = charset_normalizer.from_bytes(raw).best()
    encoding = _codec(best.encoding) if best is not None else None
    if encoding is None:
        return nfc(raw.decode("utf-8", errors="replace")), "utf-8"
    return nfc(raw.decode(encoding, errors="replace")), encoding


def _codec(name: str | None) -> str | None:
    """Python's codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


def strip_xml_prolog(text: str) -> str:
    """Decoded text without its `<?xml ... encoding=...?>` line: lxml refuses a str that
    declares an encoding, and the declaration no longer applies once the bytes are decoded."""
    return _XML_PROLOG.sub("", text)


class Fetcher:
    """One HTTP client (connections reused across a crawl), configured from the settings.

    Connections go only to addresses checked when they are opened (`_CheckedBackend`);
    a `transport` given by a test replaces that, and URLs are then checked up front.
    """

    def __init__(self, settings: IndexSettings, transport: httpx.BaseTransport | None = None,
                 ) -> None:
        self.settings = settings
        self._checks_connections = transport is None
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout_s,
                                  connect=settings.fetch_connect_timeout_s),
            follow_redirects=False,  # each hop is checked for safety below
            headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                          "application/rss+xml;q=0.9,application/atom+xml;q=0.9",
                "Accept-Language": "vi,en;q=0.5",
                "Accept-Encoding": ", ".join(name for name in _ENCODINGS if name != "x-gzip"),
            },
            # A proxy from the environment would resolve names itself, after our check.
            trust_env=False,
            transport=transport or _checked_transport(settings.allow_private_urls),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
        """Download `url`, retrying timeouts and server errors with exponential backoff.

        With `etag` / `last_modified` (from an earlier Fetched) the request is conditional: an
        unchanged page comes back as a Fetched with `not_modified` set and no text."""
        started = time.monotonic()
        attempts = self.settings.fetch_retries + 1
        conditions = {name: value for name, value in (("If-None-Match", etag),
                                                       ("If-Modified-Since", last_modified))
                      if value}
        for attempt in range(attempts):
            try:
                return self._follow(url, started, time.monotonic(), conditions or None)
            except _Retryable as retry:
                if attempt + 1 >= attempts:
                    raise retry.error from None
                delay = retry.after if retry.after is not None else \
                    self.settings.fetch_backoff_s * 2 ** attempt
                log.info("retrying %s in %.1f s: %s", url, delay, retry.error)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _follow(self, url: str, started: float, attempt_started: float,
                conditions: dict[str, str] | None = None) -> Fetched:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if self._checks_connections:
                _check_form(current)  # the address is checked as the connection opens
            else:
                check_url(current, self.settings.allow_private_urls)
            result = self._get(current, url, started, attempt_started, conditions)
            if isinstance(result, Fetched):
                return result
            current = result
        raise TooManyRedirectsError(
            url, f"more than {MAX_REDIRECTS} redirects; open it in a browser and add the final "
            "address instead")

    def _get(self, url: str, requested: str, started: float,
             attempt_started: float, conditions: dict[str, str] | None = None,
             ) -> Fetched | str:
        """The page, or the next URL when the site redirects."""
        read_timeout = self.settings.fetch_timeout_s
        try:
            with self._client.stream("GET", url, headers=conditions) as response:
                if response.status_code in _REDIRECT_CODES and "location" in response.headers:
                    return urljoin(url, response.headers["location"])
                if response.status_code == 304 and conditions:
                    return _not_modified(response, url, requested, conditions, started)
                _check_status(response, url)
                content_type, charset = _content_type(response)
                if content_type and content_type not in ALLOWED_TYPES:
                    raise UnsupportedContentError(
                        url, f"the address serves {content_type}, not a web page or feed; "
                        "only HTML pages and RSS/Atom/sitemap XML can be added (for a PDF, "
                        "save its text as a .txt file and add that)")
                raw = self._read_capped(response, url, deadline=attempt_started
                                        + _TOTAL_TIME_FACTOR * read_timeout
                                        + self.settings.fetch_connect_timeout_s)
        except _Unreachable as refused:
            raise type(refused.error)(url, refused.error.reason) from None
        except httpx.TimeoutException as error:
            kind = "connect" if isinstance(error, httpx.ConnectTimeout) else "read"
            raise _Retryable(FetchTimeoutError(
                url, f"the site did not answer in time ({kind} timeout; FETCH_TIMEOUT_S="
                f"{read_timeout:g}); try again later")) from None
        except (httpx.ReadError, httpx.RemoteProtocolError) as error:
            raise _Retryable(FetchConnectionError(
                url, f"the connection broke ({error or type(error).__name__}); try again later"
            )) from None
        except httpx.ConnectError as error:
            raise FetchConnectionError(
                url, f"cannot connect ({error}); check the address and that the site is up"
            ) from None
        except httpx.HTTPError as error:
            raise FetchConnectionError(url, f"request failed: {error}") from None
        if not content_type and not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise UnsupportedContentError(
                url, "the site sent no content type and the body is not HTML or XML")
        text, encoding = decode_html(raw, charset)
        return Fetched(
            url=canonical_url(url), requested_url=requested, status=response.status_code,
            content_type=content_type or "text/html", encoding=encoding, text=text,
            size=len(raw), seconds=time.monotonic() - started,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        """The body, unpacked; the cap binds the unpacked size, checked step by step."""
        cap = self.settings.fetch_max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise TooLargeError(url, _too_large(int(declared), cap))
        chunks: list[bytes] = []
        size = 0
        for chunk in _unpacked(response.iter_raw(), _content_encoding(response, url), url):
            size += len(chunk)
            if size > cap:
                raise TooLargeError(url, _too_large(None, cap))
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("download took too long")
            chunks.append(chunk)
        return b"".join(chunks)


def _not_modified(response: httpx.Response, url: str, requested: str,
                  conditions: dict[str, str], started: float) -> Fetched:
    """A 304: nothing downloaded; the validators are the new ones if sent, else ours."""
    return Fetched(
        url=canonical_url(url), requested_url=requested, status=304, content_type="",
        encoding="", text="", size=0, seconds=time.monotonic() - started,
        etag=response.headers.get("etag") or conditions.get("If-None-Match"),
        last_modified=response.headers.get("last-modified")
        or conditions.get("If-Modified-Since"),
        not_modified=True,
    )


def _content_encoding(response: httpx.Response, url: str) -> str | None:
    """The one compression of the body, or None; stacked or unknown ones are refused."""
    names = [name.strip().lower() for name in
             response.headers.get("content-encoding", "").split(",")]
    names = [name for name in names if name and name != "identity"]
    if len(names) > 1:
        raise ContentEncodingError(
            url, f"the body is compressed {len(names)} times over ({', '.join(names)}); "
            "refused, as a compression bomb would be")
    if names and names[0] not in _ENCODINGS:
        raise ContentEncodingError(
            url, f"the body is compressed with {names[0]!r}, which we do not unpack; only "
            "gzip and deflate are accepted")
    return names[0] if names else None


def _unpacked(raw: Iterable[bytes], encoding: str | None, url: str) -> Iterator[bytes]:
    """Decompress step by step, never more than `_INFLATE_STEP` bytes per call."""
    if encoding is None:
        yield from raw
        return
    wbits = _ENCODINGS[encoding]
    inflater = zlib.decompressobj(wbits)
    first = True
    try:
        for data in raw:
            if first and encoding == "deflate" and not _zlib_header(data):
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as IIS sends
            first = False
            while data:
                out = inflater.decompress(data, _INFLATE_STEP)
                data = inflater.unconsumed_tail
                if inflater.eof and inflater.unused_data:  # gzip allows several members
                    data = inflater.unused_data + data
                    inflater = zlib.decompressobj(wbits)
                if out:
                    yield out
                elif not data:
                    break
        tail = inflater.flush()
        if tail:
            yield tail
    except zlib.error as error:
        raise ContentEncodingError(
            url, f"the {encoding} body is corrupt ({error}); try again later") from None


def _zlib_header(data: bytes) -> bool:
    """RFC 1950: method 8 in the low nibble, and the two bytes a multiple of 31."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _checked_transport(allow_private: bool) -> httpx.HTTPTransport:
    """httpx's transport, whose connections resolve a host once and connect to the address
    that was checked (the URL, Host header and TLS name stay the host name)."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # httpx offers no other way to set a backend
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0,
        network_backend=_CheckedBackend(allow_private),
    )
    return transport


class _Unreachable(Exception):
    """Raised inside a connection attempt; `Fetcher._get` reports it against the URL."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(str(error))
        self.error = error


class _CheckedBackend(httpcore.SyncBackend):
    """Resolve once, refuse internal addresses, connect to the checked address itself."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[tuple] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = [host] if self.allow_private else _checked_addresses(host, port, host)
        except FetchError as error:
            raise _Unreachable(error) from None
        failure: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address,
                                           socket_options)
            except httpcore.ConnectError as error:  # try the next address, like a browser
                failure = error
        assert failure is not None
        raise failure


class _Retryable(Exception):
    def __init__(self, error: FetchError, after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.after = after


def _check_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 400:
        return
    if status >= 500 or status == 429:
        error = HTTPStatusError(url, f"the site answered HTTP {status} (a server problem); "
                                "try again later", status)
        raise _Retryable(error, _retry_after(response))
    hint = {404: "the page does not exist; check the address",
            410: "the page was removed",
            401: "the page needs a login; only public pages can be added",
            403: "the site refused access; only public pages can be added"}
    raise HTTPStatusError(url, f"the site answered HTTP {status}: "
                          f"{hint.get(status, 'check the address')}", status)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return min(float(value), _RETRY_AFTER_CAP_S) if value.isdigit() else None


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    header = response.headers.get("content-type", "")
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("'\"") or None
    return media.strip().lower(), charset


def _too_large(size: int | None, cap: int) -> str:
    what = f"{size / 1e6:.1f} MB" if size is not None else "more than that"
    return (f"the page is too large ({what}; FETCH_MAX_BYTES={cap / 1e6:g} MB); "
            "it is probably not an article")
