"""A local news site on 127.0.0.1 for ingest tests and the ingest benchmark.

It serves realistic Vietnamese article pages (menus, sidebars, share buttons, photo captions,
a poll widget, `<meta>` publication dates), an RSS feed and a sitemap, and can misbehave on
purpose: error statuses, slow answers, huge bodies, wrong content types and charsets.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template

PAGES = Path(__file__).resolve().parent / "pages"
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


@dataclass
class Page:
    """What the site answers for one path."""

    body: bytes | Callable[[], Iterable[bytes]] = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True  # False: stream until the connection closes
    lastmod: dt.datetime | None = None  # for the sitemap and the feed
    title: str | None = None
    then: Page | None = None  # served from the next request on (a site that recovers)
    validators: bool = False  # send ETag and Last-Modified; answer 304 when they match


class NewsSite:
    """`with NewsSite() as site: site.url("/a")`; `site.pages` may change while it runs."""

    def __init__(self, name: str = "Cổng thông tin điện tử quận Hoàn Kiếm") -> None:
        self.name = name
        self.pages: dict[str, Page] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()  # 304 answers, by path
        self.requests: list[dict[str, str]] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- running ---------------------------------------------------------------------------

    def __enter__(self) -> NewsSite:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        site = self

        class Handler(_Handler):
            owner = site

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base(self) -> str:
        assert self._server is not None, "start the site first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    # -- content ---------------------------------------------------------------------------

    def add_article(self, path: str, title: str, paragraphs: list[str],
                    published: dt.date | dt.datetime, *, captions: Iterable[str] = (),
                    lead: str | None = None, encoding: str = "utf-8",
                    charset_header: str | None = None, meta_charset: str | None = None,
                    lastmod: dt.datetime | None = None) -> Page:
        """An article page in the portal's template; `encoding` may be `windows-1258`."""
        text = render_article(title, paragraphs, published, site_name=self.name,
                              captions=list(captions), lead=lead,
                              meta_charset=meta_charset or encoding)
        body = encode_windows_1258(text) if encoding == "windows-1258" else text.encode(encoding)
        header = charset_header if charset_header is not None else encoding
        page = Page(body=body, content_type=f"text/html; charset={header}", title=title,
                    lastmod=lastmod or _as_datetime(published))
        self.pages[path] = page
        return page

    def add_rss(self, path: str, article_paths: Iterable[str]) -> None:
        """An RSS 2.0 feed of the given articles (computed when requested)."""
        paths = list(article_paths)
        self.pages[path] = Page(body=lambda: [self._rss(paths)],
                                content_type="application/rss+xml; charset=utf-8",
                                validators=True)

    def add_sitemap(self, path: str, article_paths: Iterable[str]) -> None:
        """A sitemap.xml with `lastmod`, computed when requested."""
        paths = list(article_paths)
        self.pages[path] = Page(body=lambda: [self._sitemap(paths)],
                                content_type="application/xml", validators=True)

    def _rss(self, paths: list[str]) -> bytes:
        items = []
        for path in paths:
            page = self.pages[path]
            stamp = (page.lastmod or dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
            items.append(
                f"<item><title>{html.escape(page.title or path)}</title>"
                f"<link>{self.url(path)}?utm_source=rss&amp;utm_medium=feed</link>"
                f"<guid>{self.url(path)}</guid>"
                f"<pubDate>{stamp.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{html.escape(self.name)}</title><link>{self.base}/</link>"
            "<description>Tin tức - Sự kiện</description>" + "".join(items)
            + "</channel></rss>"
        ).encode("utf-8")

    def _sitemap(self, paths: list[str]) -> bytes:
        urls = []
        for path in paths:
            page = self.pages[path]
            lastmod = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
            urls.append(f"<url><loc>{self.url(path)}</loc>{lastmod}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(urls) + "</urlset>").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    owner: NewsSite
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def do_GET(self) -> None:
        site = self.owner
        path = self.path.split("?", 1)[0]
        site.hits[path] += 1
        site.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        page = site.pages.get(path)
        if page is None:
            page = Page(body="<h1>Không tìm thấy trang</h1>".encode(), status=404)
        elif page.then is not None:
            site.pages[path] = page.then
        if page.delay_s and site._stopping.wait(page.delay_s):
            return
        body = page.body
        if page.validators and page.status == 200:
            body = body if isinstance(body, bytes) else b"".join(body())
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                site.not_modified[path] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            page = Page(**{**page.__dict__, "headers": {
                **page.headers, "ETag": etag,
                "Last-Modified": email.utils.formatdate(usegmt=True)}})
        try:
            self.send_response(page.status)
            if page.content_type:
                self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            if isinstance(body, bytes) and page.content_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for chunk in [body] if isinstance(body, bytes) else body():
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a size cap): expected

    def log_message(self, format: str, *args: object) -> None:
        pass


def render_article(title: str, paragraphs: list[str], published: dt.date | dt.datetime, *,
                   site_name: str, captions: list[str] = (), lead: str | None = None,
                   meta_charset: str = "utf-8") -> str:
    """The portal's article template with all its furniture around the article."""
    stamp = _as_datetime(published)
    body: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        body.append(f"<p>{html.escape(paragraph)}</p>")
        if i < len(captions):  # a photo after each paragraph, its caption printed twice
            caption = html.escape(captions[i])
            body.append(
                f'<figure class="image"><img src="/images/anh-{i + 1}.jpg" '
                f'alt="{html.escape(title)} - Ảnh {i + 1}"><figcaption>{caption}</figcaption>'
                f'</figure>\n<p class="image-caption"><em>{caption}</em></p>')
    template = Template((PAGES / "article.html.tmpl").read_text(encoding="utf-8"))
    return template.substitute(
        charset=meta_charset, title=html.escape(title), site_name=html.escape(site_name),
        iso_date=stamp.isoformat(), shown_date=stamp.strftime("%d/%m/%Y | %H:%M"),
        lead=html.escape(lead or ""), body="\n".join(body),
    )


def encode_windows_1258(text: str) -> bytes:
    """Windows-1258 has the base letters (â, ơ, ư, đ...) but spells tones as combining marks,
    which Python's codec does not compose for us."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tones = "".join(c for c in decomposed if c in _TONES)
        out.append((base + tones).encode("cp1258", errors="xmlcharrefreplace"))
    return b"".join(out)


def big_body(megabytes: int) -> Callable[[], Iterable[bytes]]:
    """A page of `megabytes` MB, streamed in 64 KB chunks."""
    chunk = (b"<p>" + "Nội dung rất dài. ".encode() * 3000 + b"</p>")[:65536]

    def generate() -> Iterable[bytes]:
        yield b"<html><body>"
        for _ in range(megabytes * 1_000_000 // len(chunk)):
            yield chunk

    return generate


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return dt.datetime(value.year, value.month, value.day, 8, 30,
                       tzinfo=dt.timezone(dt.timedelta(hours=7)))


# -- helpers for the tests and the benchmark that use the site ------------------------------


class CountingEmbedder:
    """Wraps an embedder and counts the passages it embeds (re-embedding must be rare)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.passages = 0

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)


def site_settings(root: Path, **overrides: object):
    """Settings for a private DATA_DIR and KNOWLEDGE_DIR under `root`, trusting 127.0.0.1."""
    from index import IndexSettings

    values: dict[str, object] = {
        "data_dir": root / "data", "knowledge_dir": root / "knowledge",
        "allow_private_urls": True, "fetch_retries": 0, "fetch_backoff_s": 0.01,
        "fetch_timeout_s": 5.0, "lock_timeout_s": 30.0,
    }
    values.update(overrides)
    return IndexSettings(_env_file=None, **values)
