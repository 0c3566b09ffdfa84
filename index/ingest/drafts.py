"""From what staff give (web addresses, local files and folders) to drafts of articles.

A bad input is recorded in the report with its reason and never stops the others.
"""

from __future__ import annotations

import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from index.corpus.article import read_article
from index.errors import ArticleError, ExtractError, FetchError, UnsupportedContentError
from index.ingest.report import IngestReport, ItemResult, ProgressCallback
from index.settings import IndexSettings
from index.web.extract import Draft, extract_article, extract_text_file
from index.web.fetch import Fetched, Fetcher, canonical_url, decode_html, is_url

log = logging.getLogger(__name__)

LOCAL_SUFFIXES = (".md", ".txt", ".html", ".htm")
FETCH_WORKERS = 4  # pages downloaded at once: polite to one site, and hides network latency
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


@dataclass(frozen=True)
class Incoming:
    """A draft on its way into the knowledge folder, with what only adding it needs."""

    input: str  # the URL or file staff named
    draft: Draft
    aliases: tuple[str, ...] = ()  # other URLs that name it (before redirects)
    in_place: Path | None = None  # a .md already inside the knowledge folder


def url_drafts(settings: IndexSettings, fetcher: Fetcher, urls: list[str],
               report: IngestReport, on_progress: ProgressCallback | None) -> list[Incoming]:
    """Fetch and extract each page once (a URL listed twice is reported as unchanged)."""
    unique: dict[str, str] = {}
    for url in urls:
        key = canonical_url(url)
        if key in unique:
            report.items.append(ItemResult(url, "unchanged", url=key,
                                           reason=f"same page as {unique[key]}, listed twice"))
        else:
            unique[key] = url
    todo = list(unique.values())
    drafts: list[Incoming] = []
    done = 0
    if on_progress:
        on_progress("fetch", 0, len(todo))
    with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, max(1, len(todo)))) as pool:
        results = pool.map(lambda u: _fetch_one(settings, fetcher, u), todo)
        for url, result in zip(todo, results, strict=True):
            done += 1
            if isinstance(result, Incoming):
                drafts.append(result)
            else:
                report.fail(url, result, url=canonical_url(url))
            if on_progress:
                on_progress("fetch", done, len(todo))
    return drafts


def local_drafts(settings: IndexSettings, paths: list[Path], report: IngestReport,
                 ) -> list[Incoming]:
    """Read `.md`, `.txt` and `.html` files; a folder gives every such file inside it."""
    drafts = []
    for given in paths:
        files = _expand(given)
        if files is None:
            report.fail(str(given), f"{given}: no such file or folder")
            continue
        if not files:
            report.fail(str(given), f"{given}: no .md, .txt or .html files in it")
        for path in files:
            try:
                drafts.append(_from_file(settings, path))
            except (ArticleError, ExtractError, OSError) as error:
                reason = str(error)
                if str(path) not in reason:
                    reason = f"{path}: {reason}"
                report.fail(str(path), reason)
    return drafts


def _fetch_one(settings: IndexSettings, fetcher: Fetcher, url: str) -> Incoming | str:
    """A draft, or the reason it failed (errors name the URL and what to do)."""
    try:
        fetched = fetcher.fetch(url)
        return _from_page(settings, fetched, url)
    except (FetchError, ExtractError) as error:
        return str(error)
    except Exception as error:  # one odd page must never stop a batch
        log.exception("unexpected error adding %s", url)
        return f"{url}: unexpected error ({type(error).__name__}: {error})"


def _from_page(settings: IndexSettings, fetched: Fetched, url: str) -> Incoming:
    head = fetched.text.lstrip()[:600].lower()
    if fetched.content_type in _FEED_TYPES or "<rss" in head or "<urlset" in head \
            or "<sitemapindex" in head or ("<feed" in head and "atom" in head):
        raise UnsupportedContentError(
            url, "this is a feed or sitemap, not an article; use `python -m index crawl` on it")
    draft = extract_article(fetched.text, fetched.url, settings.min_article_words)
    aliases = tuple({canonical_url(url), fetched.url} - {fetched.url})
    # Stored under the address it was fetched from, whatever canonical URL the page declares.
    return Incoming(url, dataclasses.replace(draft, url=fetched.url), aliases)


def _expand(path: Path) -> list[Path] | None:
    if path.is_file():
        return [path] if path.suffix.lower() in LOCAL_SUFFIXES else []
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in LOCAL_SUFFIXES
            and p.name.lower() != "readme.md"
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return None


def _from_file(settings: IndexSettings, path: Path) -> Incoming:
    suffix = path.suffix.lower()
    root = settings.knowledge_dir.resolve()
    if suffix == ".md":
        resolved = path.resolve()
        inside = resolved.is_relative_to(root)
        article = read_article(resolved, root if inside else resolved.parent)
        draft = Draft(title=article.title, body=article.body, url=_canonical(article.url) or
                      article.url, published=article.published, publisher=article.publisher,
                      tags=article.tags)
        return Incoming(str(path), draft, in_place=resolved if inside else None)
    text, _ = decode_html(path.read_bytes())
    if suffix == ".txt":
        return Incoming(str(path), extract_text_file(text, settings.min_article_words))
    draft = extract_article(text, None, settings.min_article_words)
    return Incoming(str(path), dataclasses.replace(draft, url=_canonical(draft.url)))


def _canonical(url: str | None) -> str | None:
    """The stored form of a web address; None for anything that is not one."""
    return canonical_url(url) if url and is_url(url) else None
