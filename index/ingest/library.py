"""Adding articles is one object with verbs: a `Library` you `add`, `add_urls`, `remove`,
`list` and `crawl`.

The knowledge folder stays the source of truth: every article lands there as a Markdown file
first, then one incremental build embeds only what changed and gives each item its status.
Every verb can run in a worker thread and reports progress through the callbacks given to
the constructor, so the bot's staff commands use it as is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.corpus.article import Article, BadFile, article_id, load_knowledge
from index.errors import (
    EmbeddingError,
    FetchError,
    IndexCorruptError,
    IndexMismatchError,
    LockTimeoutError,
)
from index.ingest.crawl import load_state, plan_crawl, save_state
from index.ingest.drafts import local_drafts, url_drafts
from index.ingest.feed_state import FeedState, load_feed_states, save_feed_states
from index.ingest.placement import WRITE_LOCK, Placed, by_canonical_url, place_all
from index.ingest.report import IngestReport, ItemResult, ProgressCallback
from index.search.chunking import chunk_article
from index.search.index import Index
from index.search.lock import writer_lock
from index.settings import IndexSettings
from index.web.feeds import Entry, discover
from index.web.fetch import Fetcher, canonical_url, is_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListedArticle:
    """An article of the knowledge folder, and whether the published index has it."""

    article: Article
    indexed: bool


class Library:
    """The knowledge folder and its index, seen as the staff's collection of articles.

    `index`: the index to build (default: the published one, opened for each build);
    `fetcher`: a shared HTTP client (default: one per verb). `on_progress` hears
    ("fetch" | "embed", done, total), `on_wait` hears that another writer holds the lock,
    `show_progress` draws the embedding bar (None: only on a terminal).
    """

    def __init__(self, settings: IndexSettings, index: Index | None = None,
                 fetcher: Fetcher | None = None, *,
                 on_progress: ProgressCallback | None = None,
                 on_wait: Callable[[str], None] | None = None,
                 show_progress: bool | None = False) -> None:
        self.settings = settings
        self.index = index
        self.fetcher = fetcher
        self.on_progress = on_progress
        self.on_wait = on_wait
        self.show_progress = show_progress

    # -- the verbs -------------------------------------------------------------------------

    def add(self, inputs: Sequence[str | Path]) -> IngestReport:
        """Add URLs, files and folders (`.md`, `.txt`, `.html`), then build the index once.

        Re-adding unchanged content writes and embeds nothing; a changed page updates the file
        that already has its URL. A bad item is reported and never stops the others.
        """
        with self._fetching() as fetcher:
            return self._add(inputs, fetcher)

    def add_urls(self, urls: Sequence[str]) -> IngestReport:
        """Fetch, extract, save and index web pages (the bot's /add); see `add`."""
        report = IngestReport()
        for url in urls:
            if not is_url(url):
                report.fail(url, f"{url}: not a web address; it must start with http:// or "
                            "https://")
        good = [url for url in urls if is_url(url)]
        if good:
            report.extend(self.add(good))
        return report

    def remove(self, refs: Sequence[str]) -> IngestReport:
        """Delete articles named by URL, id (`samples/2023-...`) or file path, then rebuild."""
        report = IngestReport()
        root = self.settings.knowledge_dir
        doomed: list[tuple[ItemResult, Path]] = []
        with WRITE_LOCK, writer_lock(self.settings.index_dir, self.settings.lock_timeout_s,
                                     self.on_wait):
            articles = load_knowledge(root).articles
            by_url = by_canonical_url(articles)
            by_id = {a.id: a for a in articles}
            for ref in refs:
                article = _find(ref, by_url, by_id, root)
                if article is None or article.path is None:
                    report.fail(ref, f"{ref}: no article with this URL or id; "
                                "`python -m index list` shows them")
                    continue
                item = ItemResult(ref, "removed", article_id=article.id, title=article.title,
                                  url=article.url, published=article.published,
                                  path=article.path)
                article.path.unlink(missing_ok=True)
                doomed.append((item, article.path))
                report.items.append(item)
        if doomed:
            self._build([], report)
            if report.error:
                for item, path in doomed:
                    item.status = "failed"
                    item.reason = (f"{path} was deleted but the index still has it: "
                                   f"{report.error}; run `python -m index build`")
        return report

    def list(self) -> tuple[list[ListedArticle], list[BadFile]]:
        """The knowledge folder's articles (newest first) and whether each is indexed."""
        loaded = load_knowledge(self.settings.knowledge_dir)
        index = self.index if self.index is not None else Index.open(self.settings)
        indexed = {citation.id for citation in index.articles()}
        listed = [ListedArticle(a, a.id in indexed) for a in loaded.articles]
        listed.sort(key=lambda item: (item.article.published or dt.date.min, item.article.id),
                    reverse=True)
        return listed, loaded.bad

    def crawl(self, feed_or_sitemap: str, limit: int | None = None) -> IngestReport:
        """Add the new (and changed) pages a feed or sitemap lists; at most `limit` are
        fetched."""
        with self._fetching() as fetcher:
            return self._crawl(feed_or_sitemap, limit, fetcher)

    def crawl_all(self, limit: int | None = None, *, scheduled: bool = False) -> IngestReport:
        """Crawl every feed and sitemap of FEEDS; one bad feed is reported and the others
        still run. Each feed is asked conditionally (an unchanged one answers 304) and keeps
        its state (`report.feeds`, DATA_DIR/crawl-feeds.json).

        One crawl at a time: the index writer lock is held throughout, so a crawl never
        overlaps another one, an /add or a /reindex. `scheduled` (the bot's job): a feed that
        keeps failing is skipped until its backoff is over, and a busy index is not waited
        for: LockTimeoutError says this round is skipped.
        """
        report = IngestReport()
        if not self.settings.feeds:
            report.error = "FEEDS is empty: list RSS/Atom feeds or sitemaps, separated by commas"
            return report
        timeout = 0.0 if scheduled else self.settings.lock_timeout_s
        try:
            with self._one_writer(timeout):
                self._crawl_feeds(limit, scheduled, report)
        except LockTimeoutError as error:
            if scheduled:
                raise
            report.error = str(error)
        return report

    # -- how they work ---------------------------------------------------------------------

    @contextmanager
    def _fetching(self) -> Iterator[Fetcher]:
        """The shared fetcher, or one of our own for this verb (closed after it)."""
        if self.fetcher is not None:
            yield self.fetcher
            return
        with Fetcher(self.settings) as fetcher:
            yield fetcher

    @contextmanager
    def _one_writer(self, timeout_s: float) -> Iterator[None]:
        """This process's ingest lock, then the index writer lock (the order `add` takes
        them in); LockTimeoutError when either stays busy for `timeout_s`."""
        if not WRITE_LOCK.acquire(timeout=timeout_s):
            raise LockTimeoutError("another /add or crawl of this bot is writing the index")
        try:
            with writer_lock(self.settings.index_dir, timeout_s, self.on_wait):
                yield
        finally:
            WRITE_LOCK.release()

    def _crawl_feeds(self, limit: int | None, scheduled: bool, report: IngestReport) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        interval = self.settings.crawl_every_s
        states = load_feed_states(self.settings)
        with self._fetching() as fetcher:
            for feed in states.values():
                if scheduled and not feed.due(now, interval):
                    assert feed.next_attempt is not None
                    report.notes.append(
                        f"{feed.source}: skipped, backing off after {feed.failures} failures "
                        f"in a row until {feed.next_attempt:%Y-%m-%d %H:%M:%S} UTC")
                    continue
                report.extend(self._crawl_feed(feed, limit, fetcher, now, interval))
        save_feed_states(self.settings, states)
        report.feeds = list(states.values())

    def _crawl_feed(self, feed: FeedState, limit: int | None, fetcher: Fetcher,
                    now: dt.datetime, interval: float | None) -> IngestReport:
        """One feed of FEEDS, asked with its validators; its state records the outcome."""
        source = feed.source
        report = IngestReport()
        try:
            if not is_url(source):
                raise FetchError(source, "a feed or sitemap must be an http:// or https:// "
                                 "address; fix FEEDS")
            fetched = fetcher.fetch(source, etag=feed.etag, last_modified=feed.last_modified)
            if fetched.not_modified:
                feed.succeeded(now, "not-modified", {}, interval)
                log.info("feed %s: not modified since the last crawl (304)", source)
                return report
            entries = discover(fetcher, source, fetched)
        except FetchError as error:
            report.fail(source, str(error))
            feed.failed(now, str(error), report.counts(), interval)
            later = f"next attempt {feed.next_attempt:%Y-%m-%d %H:%M:%S} UTC" \
                if feed.next_attempt else "no schedule"
            log.warning("feed %s failed (%d in a row; %s): %s", source, feed.failures, later,
                        error)
            return report
        self._crawl_entries(source, entries, limit, fetcher, report)
        counts = report.counts()
        changed = counts["added"] or counts["updated"]
        feed.succeeded(now, "changed" if changed else "unchanged", counts, interval)
        # A 304 next time must not hide entries this run left over or could not add.
        complete = not (report.failed or report.notes or report.error)
        feed.etag = fetched.etag if complete else None
        feed.last_modified = fetched.last_modified if complete else None
        return report

    def _add(self, inputs: Sequence[str | Path], fetcher: Fetcher) -> IngestReport:
        report = IngestReport()
        urls = [str(s) for s in inputs if isinstance(s, str) and is_url(s)]
        paths = [Path(s) for s in inputs if not (isinstance(s, str) and is_url(s))]
        drafts = local_drafts(self.settings, paths, report)
        if urls:
            drafts += url_drafts(self.settings, fetcher, urls, report, self.on_progress)
        placed = place_all(self.settings, drafts, report, self.on_wait)
        if placed:
            self._build(placed, report)
        return report

    def _crawl(self, source: str, limit: int | None, fetcher: Fetcher) -> IngestReport:
        report = IngestReport()
        if not is_url(source):
            report.fail(source, f"{source}: a feed or sitemap must be an http:// or https:// "
                        "address")
            return report
        try:
            entries = discover(fetcher, source)
        except FetchError as error:
            report.fail(source, str(error))
            return report
        self._crawl_entries(source, entries, limit, fetcher, report)
        return report

    def _crawl_entries(self, source: str, entries: list[Entry], limit: int | None,
                       fetcher: Fetcher, report: IngestReport) -> None:
        """Fetch and add the entries that are new or changed since the last check."""
        state = load_state(self.settings)
        known = by_canonical_url(load_knowledge(self.settings.knowledge_dir).articles)
        todo = plan_crawl(source, entries, known, state, limit, report)
        if todo:
            started = dt.datetime.now(dt.UTC)
            fetched = self._add([entry.url for entry in todo], fetcher)
            report.extend(fetched)
            save_state(self.settings, state, fetched, started)

    def _build(self, placed: list[Placed], report: IngestReport) -> None:
        """One incremental build; then each item's status is what the index did with it."""
        on_progress = self.on_progress
        try:
            index = self.index if self.index is not None else Index.open(self.settings)
            build = index.build(
                on_wait=self.on_wait, show_progress=self.show_progress,
                on_progress=(lambda done, total: on_progress("embed", done, total))
                if on_progress else None,
            )
        except (LockTimeoutError, IndexMismatchError, IndexCorruptError, EmbeddingError,
                OSError) as error:
            report.error = str(error)
            for p in placed:
                p.item.status = "failed"
                saved = f"saved as {p.article.path}" if p.written else "already saved"
                p.item.reason = (f"{p.item.input}: {saved} but not indexed: {error}; "
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
                item.reason = f"{item.input}: {bad.reason if bad else 'not found by the build'}"
                continue
            item.passages = len(chunk_article(p.article, self.settings.chunk_words,
                                              self.settings.chunk_overlap_words))


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
