"""Add articles from URLs and local files to the knowledge folder, then index them incrementally.

The knowledge folder stays the source of truth: every article lands there as a Markdown file
first (a stable name from date and title, the canonical URL in front matter), then one
incremental build embeds only what changed. Everything here runs in a worker thread and reports
progress through a callback, so the bot's staff commands can use it as is.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from index.corpus.article import (
    Article,
    BadFile,
    article_id,
    load_knowledge,
    read_article,
    slugify,
    write_article,
)
from index.errors import (
    ArticleError,
    EmbeddingError,
    ExtractError,
    FetchError,
    IndexCorruptError,
    IndexMismatchError,
    LockTimeoutError,
    UnsupportedContentError,
)
from index.search.chunking import chunk_article
from index.search.index import BuildReport, Index
from index.search.lock import writer_lock
from index.settings import IndexSettings
from index.web.extract import Extracted, extract_article, extract_text_file
from index.web.fetch import (
    Fetched,
    Fetcher,
    canonical_url,
    decode_html,
    is_url,
)

log = logging.getLogger(__name__)

Status = Literal["added", "updated", "unchanged", "removed", "failed"]
STATUSES: tuple[Status, ...] = ("added", "updated", "unchanged", "removed", "failed")
# (stage, done, total): stage is "fetch" (pages downloaded) or "embed" (passages embedded).
ProgressCallback = Callable[[str, int, int], None]
LOCAL_SUFFIXES = (".md", ".txt", ".html", ".htm")
FETCH_WORKERS = 4  # pages downloaded at once: polite to one site, and hides network latency
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# Knowledge-folder writes of two ingests in one process (two staff /add at once).
_WRITE_LOCK = threading.Lock()


@dataclass
class ItemResult:
    """What happened to one URL, file or article the caller named."""

    source: str
    status: Status
    reason: str | None = None
    article_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    path: Path | None = None
    passages: int = 0  # passages of the article in the index


@dataclass
class IngestReport:
    """Per-item outcome plus the build that indexed them."""

    items: list[ItemResult] = field(default_factory=list)
    build: BuildReport | None = None
    error: str | None = None  # the whole run failed (lock timeout, model mismatch...)
    notes: list[str] = field(default_factory=list)  # e.g. entries left for the next crawl

    def by_status(self, status: Status) -> list[ItemResult]:
        return [item for item in self.items if item.status == status]

    @property
    def added(self) -> list[ItemResult]:
        return self.by_status("added")

    @property
    def updated(self) -> list[ItemResult]:
        return self.by_status("updated")

    @property
    def unchanged(self) -> list[ItemResult]:
        return self.by_status("unchanged")

    @property
    def removed(self) -> list[ItemResult]:
        return self.by_status("removed")

    @property
    def failed(self) -> list[ItemResult]:
        return self.by_status("failed")

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def counts(self) -> dict[str, int]:
        return {status: len(self.by_status(status)) for status in STATUSES}

    def summary(self) -> str:
        """One line: `2 added, 0 updated, 1 unchanged, 1 failed`."""
        counts = self.counts()
        shown = [s for s in STATUSES if s != "removed" or counts[s]]
        return ", ".join(f"{counts[s]} {s}" for s in shown)

    def extend(self, other: IngestReport) -> None:
        """Merge another run (a second feed of `crawl --all`) into this report."""
        self.items.extend(other.items)
        self.build = other.build or self.build
        self.notes.extend(other.notes)
        self.error = "; ".join(e for e in (self.error, other.error) if e) or None


@dataclass
class _Candidate:
    """An article ready to be placed in the knowledge folder."""

    source: str
    title: str
    body: str
    url: str | None = None
    aliases: tuple[str, ...] = ()  # other URLs that name it (before redirects)
    published: dt.date | None = None
    publisher: str | None = None
    tags: tuple[str, ...] = ()
    in_place: Path | None = None  # a .md already inside the knowledge folder


# -- public verbs ----------------------------------------------------------------------------


def ingest(settings: IndexSettings, sources: Sequence[str | Path], *, index: Index | None = None,
           on_progress: ProgressCallback | None = None,
           on_wait: Callable[[str], None] | None = None, show_progress: bool | None = False,
           fetcher: Fetcher | None = None) -> IngestReport:
    """Add URLs, files and folders (`.md`, `.txt`, `.html`), then build the index once.

    Re-adding unchanged content writes and embeds nothing; a changed page updates the file
    that already has its URL. A bad item is reported and never stops the others.
    """
    report = IngestReport()
    urls = [str(s) for s in sources if isinstance(s, str) and is_url(s)]
    paths = [Path(s) for s in sources if not (isinstance(s, str) and is_url(s))]
    candidates = _local_candidates(settings, paths, report)
    if urls:
        own = fetcher is None
        fetcher = fetcher or Fetcher(settings)
        try:
            candidates += _url_candidates(settings, fetcher, urls, report, on_progress)
        finally:
            if own:
                fetcher.close()
    placed = _place_all(settings, candidates, report, on_wait)
    if placed:
        _build(settings, index, placed, report, on_progress, on_wait, show_progress)
    return report


def ingest_urls(settings: IndexSettings, urls: Sequence[str], *, index: Index | None = None,
                on_progress: ProgressCallback | None = None,
                on_wait: Callable[[str], None] | None = None, show_progress: bool | None = False,
                fetcher: Fetcher | None = None) -> IngestReport:
    """Fetch, extract, save and index web pages (the bot's /add); see `ingest`."""
    report = IngestReport()
    for url in urls:
        if not is_url(url):
            report.items.append(ItemResult(url, "failed", reason=(
                f"{url}: not a web address; it must start with http:// or https://")))
    good = [url for url in urls if is_url(url)]
    if good:
        report.extend(ingest(settings, good, index=index, on_progress=on_progress,
                             on_wait=on_wait, show_progress=show_progress, fetcher=fetcher))
    return report


def ingest_paths(settings: IndexSettings, paths: Sequence[Path], *, index: Index | None = None,
                 on_progress: ProgressCallback | None = None,
                 on_wait: Callable[[str], None] | None = None,
                 show_progress: bool | None = False) -> IngestReport:
    """Add local files or folders; see `ingest`."""
    return ingest(settings, list(paths), index=index, on_progress=on_progress, on_wait=on_wait,
                  show_progress=show_progress)


def remove_articles(settings: IndexSettings, refs: Sequence[str], *, index: Index | None = None,
                    on_progress: ProgressCallback | None = None,
                    on_wait: Callable[[str], None] | None = None,
                    show_progress: bool | None = False) -> IngestReport:
    """Delete articles named by URL, id (`samples/2023-...`) or file path, then rebuild."""
    report = IngestReport()
    root = settings.knowledge_dir
    doomed: list[tuple[ItemResult, Path]] = []
    with _WRITE_LOCK, writer_lock(settings.index_dir, settings.lock_timeout_s, on_wait):
        articles = load_knowledge(root).articles
        by_url = {canonical_url(a.url): a for a in articles if a.url}
        by_id = {a.id: a for a in articles}
        for ref in refs:
            article = _find(ref, by_url, by_id, root)
            if article is None or article.path is None:
                report.items.append(ItemResult(ref, "failed", reason=(
                    f"{ref}: no article with this URL or id; `python -m index list` shows them")))
                continue
            item = ItemResult(ref, "removed", article_id=article.id, title=article.title,
                              url=article.url, published=article.published, path=article.path)
            article.path.unlink(missing_ok=True)
            doomed.append((item, article.path))
            report.items.append(item)
    if doomed:
        _build(settings, index, [], report, on_progress, on_wait, show_progress)
        if report.error:
            for item, path in doomed:
                item.status = "failed"
                item.reason = (f"{path} was deleted but the index still has it: {report.error}; "
                               "run `python -m index build`")
    return report


@dataclass(frozen=True)
class ListedArticle:
    id: str
    title: str
    url: str | None
    published: dt.date | None
    source: str | None
    path: str
    indexed: bool  # the published index has an article with this id


def list_articles(settings: IndexSettings, index: Index | None = None,
                  ) -> tuple[list[ListedArticle], list[BadFile]]:
    """The knowledge folder's articles (newest first) and whether each is indexed."""
    loaded = load_knowledge(settings.knowledge_dir)
    if index is None:
        index = Index.open(settings)
    indexed = {ref.id: ref for ref in index.articles()}
    listed = [
        ListedArticle(
            id=a.id, title=a.title, url=a.url, published=a.published, source=a.publisher,
            path=str(a.path), indexed=a.id in indexed,
        )
        for a in loaded.articles
    ]
    listed.sort(key=lambda a: (a.published or dt.date.min, a.id), reverse=True)
    return listed, loaded.bad


def known_urls(settings: IndexSettings) -> dict[str, Article]:
    """Articles of the knowledge folder by canonical URL."""
    return {canonical_url(a.url): a for a in load_knowledge(settings.knowledge_dir).articles
            if a.url}


# -- gathering candidates --------------------------------------------------------------------


def _url_candidates(settings: IndexSettings, fetcher: Fetcher, urls: list[str],
                    report: IngestReport, on_progress: ProgressCallback | None,
                    ) -> list[_Candidate]:
    unique: dict[str, str] = {}
    for url in urls:
        key = canonical_url(url)
        if key in unique:
            report.items.append(ItemResult(url, "unchanged", url=key,
                                           reason=f"same page as {unique[key]}, listed twice"))
        else:
            unique[key] = url
    todo = list(unique.values())
    candidates: list[_Candidate] = []
    done = 0
    if on_progress:
        on_progress("fetch", 0, len(todo))
    with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, max(1, len(todo)))) as pool:
        results = pool.map(lambda u: _fetch_one(settings, fetcher, u), todo)
        for url, result in zip(todo, results, strict=True):
            done += 1
            if isinstance(result, _Candidate):
                candidates.append(result)
            else:
                report.items.append(ItemResult(url, "failed", url=canonical_url(url),
                                               reason=result))
            if on_progress:
                on_progress("fetch", done, len(todo))
    return candidates


def _fetch_one(settings: IndexSettings, fetcher: Fetcher, url: str) -> _Candidate | str:
    """A candidate, or the reason it failed (errors name the URL and what to do)."""
    try:
        fetched = fetcher.fetch(url)
        return _from_page(settings, fetched, url)
    except (FetchError, ExtractError) as error:
        return str(error)
    except Exception as error:  # one odd page must never stop a batch
        log.exception("unexpected error adding %s", url)
        return f"{url}: unexpected error ({type(error).__name__}: {error})"


def _from_page(settings: IndexSettings, fetched: Fetched, url: str) -> _Candidate:
    head = fetched.text.lstrip()[:600].lower()
    if fetched.content_type in _FEED_TYPES or "<rss" in head or "<urlset" in head \
            or "<sitemapindex" in head or ("<feed" in head and "atom" in head):
        raise UnsupportedContentError(
            url, "this is a feed or sitemap, not an article; use `python -m index crawl` on it")
    extracted = extract_article(fetched.text, fetched.url, settings.min_article_words)
    aliases = tuple({canonical_url(url), fetched.url} - {fetched.url})
    return _candidate(url, extracted, fetched.url, aliases)


def _candidate(source: str, extracted: Extracted, url: str | None,
               aliases: tuple[str, ...] = ()) -> _Candidate:
    return _Candidate(source=source, title=extracted.title, body=extracted.text, url=url,
                      aliases=aliases, published=extracted.published,
                      publisher=extracted.publisher)


def _local_candidates(settings: IndexSettings, paths: list[Path], report: IngestReport,
                      ) -> list[_Candidate]:
    candidates = []
    for given in paths:
        files = _expand(given)
        if files is None:
            report.items.append(ItemResult(str(given), "failed", reason=(
                f"{given}: no such file or folder")))
            continue
        if not files:
            report.items.append(ItemResult(str(given), "failed", reason=(
                f"{given}: no .md, .txt or .html files in it")))
        for path in files:
            try:
                candidates.append(_from_file(settings, path))
            except (ArticleError, ExtractError, OSError) as error:
                reason = str(error)
                if str(path) not in reason:
                    reason = f"{path}: {reason}"
                report.items.append(ItemResult(str(path), "failed", reason=reason))
    return candidates


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


def _from_file(settings: IndexSettings, path: Path) -> _Candidate:
    suffix = path.suffix.lower()
    root = settings.knowledge_dir.resolve()
    if suffix == ".md":
        resolved = path.resolve()
        inside = resolved.is_relative_to(root)
        article = read_article(resolved, root if inside else resolved.parent)
        return _Candidate(
            source=str(path), title=article.title, body=article.body,
            url=canonical_url(article.url) if article.url and is_url(article.url) else article.url,
            published=article.published, publisher=article.publisher, tags=article.tags,
            in_place=resolved if inside else None,
        )
    raw = path.read_bytes()
    if suffix == ".txt":
        text, _ = decode_html(raw)
        return _candidate(str(path), extract_text_file(text, settings.min_article_words), None)
    text, _ = decode_html(raw)
    extracted = extract_article(text, None, settings.min_article_words)
    url = canonical_url(extracted.url) if extracted.url and is_url(extracted.url) else None
    return _candidate(str(path), extracted, url)


# -- placing them in the knowledge folder ----------------------------------------------------


@dataclass
class _Placed:
    item: ItemResult
    article: Article
    written: bool


def _place_all(settings: IndexSettings, candidates: list[_Candidate], report: IngestReport,
               on_wait: Callable[[str], None] | None) -> list[_Placed]:
    """Write each candidate to its file (the one with its URL, else a new stable name)."""
    if not candidates:
        return []
    root = settings.knowledge_dir
    placed: list[_Placed] = []
    try:
        # The writer lock also orders our file writes against another process's `add`.
        with _WRITE_LOCK, writer_lock(settings.index_dir, settings.lock_timeout_s, on_wait):
            loaded = load_knowledge(root) if root.is_dir() else None
            articles = loaded.articles if loaded else []
            by_url = {canonical_url(a.url): a for a in articles if a.url}
            by_path = {a.path.resolve(): a for a in articles if a.path}
            claimed: set[Path] = set()
            for candidate in candidates:
                try:
                    placed.append(_place(candidate, root, by_url, by_path, claimed))
                except (OSError, ArticleError) as error:
                    report.items.append(ItemResult(candidate.source, "failed", url=candidate.url,
                                                   reason=f"{candidate.source}: cannot save the "
                                                   f"article in {root}: {error}"))
    except LockTimeoutError as error:
        for candidate in candidates:
            report.items.append(ItemResult(candidate.source, "failed", url=candidate.url,
                                           reason=f"{candidate.source}: not saved: {error}"))
        report.error = str(error)
        return []
    report.items.extend(p.item for p in placed)
    return placed


def _place(candidate: _Candidate, root: Path, by_url: dict[str, Article],
           by_path: dict[Path, Article], claimed: set[Path]) -> _Placed:
    old: Article | None = None
    if candidate.in_place is not None:
        path = candidate.in_place
        old = by_path.get(path)
    else:
        for url in (candidate.url, *candidate.aliases):
            if url and url in by_url:
                old = by_url[url]
                break
        path = old.path.resolve() if old is not None and old.path else \
            _new_path(candidate, root, by_path, claimed)
    claimed.add(path)
    article = Article(
        id=article_id(path, root.resolve()),
        title=candidate.title,
        body=candidate.body,
        url=candidate.url,
        published=candidate.published or (old.published if old else None),
        publisher=candidate.publisher or (old.publisher if old else None),
        tags=candidate.tags or (old.tags if old else ()),
        sample=old.sample if old else False,
        path=path,
    )
    item = ItemResult(candidate.source, "unchanged", article_id=article.id, title=article.title,
                      url=article.url, published=article.published, path=path)
    written = False
    if candidate.in_place is None and (old is None or old.content_hash != article.content_hash
                                       or old.tags != article.tags):
        write_article(article, path.parent, path.name)
        written = True
    return _Placed(item, article, written)


def _new_path(candidate: _Candidate, root: Path, by_path: dict[Path, Article],
              claimed: set[Path]) -> Path:
    """`2024-03-18-slug.md`; the same date and title without a URL is the same article (a
    re-added file); a different URL under that name gets `-2`, `-3`..."""
    date = candidate.published.isoformat() if candidate.published else "undated"
    stem = f"{date}-{slugify(candidate.title)}"
    root = root.resolve()
    for n in range(1, 1000):
        path = root / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        if path in claimed:
            continue
        if not path.exists():
            return path
        existing = by_path.get(path)
        if existing is not None and (existing.url or None) == (candidate.url or None):
            return path
    raise OSError(f"too many articles named {stem}")


# -- indexing --------------------------------------------------------------------------------


def _build(settings: IndexSettings, index: Index | None, placed: list[_Placed],
           report: IngestReport, on_progress: ProgressCallback | None,
           on_wait: Callable[[str], None] | None, show_progress: bool | None) -> None:
    """One incremental build; then each item's status is what the index did with it."""
    try:
        if index is None:
            index = Index.open(settings)
        build = index.build(
            on_wait=on_wait, show_progress=show_progress,
            on_progress=(lambda done, total: on_progress("embed", done, total))
            if on_progress else None,
        )
    except (LockTimeoutError, IndexMismatchError, IndexCorruptError, EmbeddingError,
            OSError) as error:
        report.error = str(error)
        for p in placed:
            p.item.status = "failed"
            saved = f"saved as {p.article.path}" if p.written else "already saved"
            p.item.reason = (f"{p.item.source}: {saved} but not indexed: {error}; "
                             "run `python -m index build` once the problem is fixed")
        return
    report.build = build
    for p in placed:
        item = p.item
        if item.article_id in build.added:
            item.status = "added"
        elif item.article_id in build.updated:
            item.status = "updated"
        elif item.article_id in build.unchanged:
            item.status = "unchanged"
        else:
            bad = next((b for b in build.bad if b.path.resolve() == p.article.path), None)
            item.status = "failed"
            item.reason = f"{item.source}: {bad.reason if bad else 'not found by the build'}"
            continue
        item.passages = len(chunk_article(p.article, settings.chunk_words,
                                          settings.chunk_overlap_words))


def _find(ref: str, by_url: dict[str, Article], by_id: dict[str, Article],
          root: Path) -> Article | None:
    if is_url(ref):
        return by_url.get(canonical_url(ref))
    key = ref.strip().removesuffix(".md")
    if key in by_id:
        return by_id[key]
    path = Path(ref).resolve()
    if path.is_relative_to(root.resolve()):
        return by_id.get(article_id(path, root.resolve()))
    return None


def iter_items(report: IngestReport) -> Iterable[ItemResult]:
    """Items in the order a summary lists them: failures last, where they are seen."""
    order = {status: i for i, status in enumerate(STATUSES)}
    return sorted(report.items, key=lambda item: order[item.status])

