"""Where a draft lands in the knowledge folder: the file that has its URL, else a new stable
name from date and title. Unchanged content is not written again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.corpus.article import Article, article_id, load_knowledge, slugify, write_article
from index.errors import ArticleError, LockTimeoutError
from index.ingest.drafts import Incoming
from index.ingest.report import IngestReport, ItemResult
from index.search.lock import writer_lock
from index.settings import IndexSettings
from index.web.fetch import canonical_url

# Knowledge-folder writes of two ingests in one process (two staff /add at once). Re-entrant:
# a crawl of every feed holds it throughout, and the saves it runs take it again.
WRITE_LOCK = threading.RLock()
MAX_SAME_NAME = 1000  # `-2`, `-3`... suffixes tried for one date and title


@dataclass
class Placed:
    """An article saved (or found unchanged) in the knowledge folder, awaiting the build."""

    item: ItemResult
    article: Article
    written: bool


def by_canonical_url(articles: Iterable[Article]) -> dict[str, Article]:
    """Articles by the canonical form of their URL (articles without one are left out)."""
    return {canonical_url(a.url): a for a in articles if a.url}


def place_all(settings: IndexSettings, drafts: list[Incoming], report: IngestReport,
              on_wait: Callable[[str], None] | None) -> list[Placed]:
    """Write each draft to its file (the one with its URL, else a new stable name)."""
    if not drafts:
        return []
    root = settings.knowledge_dir
    placed: list[Placed] = []
    try:
        # The writer lock also orders our file writes against another process's `add`.
        with WRITE_LOCK, writer_lock(settings.index_dir, settings.lock_timeout_s, on_wait):
            articles = load_knowledge(root).articles if root.is_dir() else []
            by_url = by_canonical_url(articles)
            by_path = {a.path.resolve(): a for a in articles if a.path}
            claimed: set[Path] = set()
            for incoming in drafts:
                try:
                    placed.append(_place(incoming, root, by_url, by_path, claimed))
                except (OSError, ArticleError) as error:
                    report.fail(incoming.input, f"{incoming.input}: cannot save the article in "
                                f"{root}: {error}", url=incoming.draft.url)
    except LockTimeoutError as error:
        for incoming in drafts:
            report.fail(incoming.input, f"{incoming.input}: not saved: {error}",
                        url=incoming.draft.url)
        report.error = str(error)
        return []
    report.items.extend(p.item for p in placed)
    return placed


def _place(incoming: Incoming, root: Path, by_url: dict[str, Article],
           by_path: dict[Path, Article], claimed: set[Path]) -> Placed:
    draft = incoming.draft
    old: Article | None = None
    if incoming.in_place is not None:
        path = incoming.in_place
        old = by_path.get(path)
    else:
        for url in (draft.url, *incoming.aliases):
            if url and url in by_url:
                old = by_url[url]
                break
        path = old.path.resolve() if old is not None and old.path else \
            _new_path(incoming, root, by_path, claimed)
    claimed.add(path)
    article = Article(
        id=article_id(path, root.resolve()),
        title=draft.title,
        body=draft.body,
        url=draft.url,
        published=draft.published or (old.published if old else None),
        publisher=draft.publisher or (old.publisher if old else None),
        tags=draft.tags or (old.tags if old else ()),
        sample=old.sample if old else False,
        path=path,
    )
    item = ItemResult(incoming.input, "unchanged", article_id=article.id, title=article.title,
                      url=article.url, published=article.published, path=path)
    written = False
    if incoming.in_place is None and (old is None or old.content_hash != article.content_hash
                                      or old.tags != article.tags):
        write_article(article, path.parent, path.name)
        written = True
    return Placed(item, article, written)


def _new_path(incoming: Incoming, root: Path, by_path: dict[Path, Article],
              claimed: set[Path]) -> Path:
    """`2024-03-18-slug.md`; the same date and title without a URL is the same article (a
    re-added file); a different URL under that name gets `-2`, `-3`..."""
    draft = incoming.draft
    date = draft.published.isoformat() if draft.published else "undated"
    stem = f"{date}-{slugify(draft.title)}"
    root = root.resolve()
    for n in range(1, MAX_SAME_NAME):
        path = root / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        if path in claimed:
            continue
        if not path.exists():
            return path
        existing = by_path.get(path)
        if existing is not None and (existing.url or None) == (draft.url or None):
            return path
    raise OSError(f"too many articles named {stem}")
