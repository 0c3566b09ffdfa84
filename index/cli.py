"""Staff command line: `python -m index add|crawl|remove|list|build|rebuild|search|stats|eval`."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from index.errors import (
    EmbeddingError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotBuiltError,
    LockTimeoutError,
    SettingsError,
)
from index.evaluation import run_eval
from index.ingest.feed_state import FeedState
from index.ingest.library import Library, ListedArticle
from index.ingest.report import IngestReport, ItemResult, ProgressCallback
from index.search.index import BuildReport, Citation, Index, Mode
from index.settings import IndexSettings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build and query the article index.")

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def settings_or_exit(**overrides: object) -> IndexSettings:
    """Settings from the environment; a bad one is named on stderr, and the exit code is 2."""
    try:
        return load_settings(IndexSettings, **overrides)
    except SettingsError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def open_index(settings: IndexSettings) -> Index:
    try:
        return Index.open(settings)
    except (IndexMismatchError, IndexCorruptError, EmbeddingError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None


def print_report(report: BuildReport) -> None:
    typer.echo(
        f"generation {report.generation}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.bad)} bad; "
        f"{report.embedded_passages} passages and {report.embedded_sentences} of their sentences "
        f"embedded in {report.seconds:.1f} s"
    )
    if report.resumed_passages:
        typer.echo(f"  {report.resumed_passages} passages' vectors were already embedded (an "
                   "interrupted build, or the cache): not embedded again")
    if report.recovered:
        typer.echo(f"  repaired: {report.recovered}", err=True)
    if report.sentences_added:
        typer.echo("  sentence vectors added to an index built without them (SENTENCE_VECTORS)")
    if report.faiss_rebuilt:
        typer.echo(f"  FAISS index rebuilt as {report.faiss_rebuilt} from the stored vectors")
    if report.words_stored:
        typer.echo("  word channels and diacritics tables stored in the generation (it had none)")
    for bad in report.bad:
        typer.echo(f"  bad: {bad}", err=True)


def _build(settings: IndexSettings, full: bool) -> None:
    index = Index(settings)  # not opened: a build repairs a damaged published index
    try:
        report = index.build(full=full, on_wait=lambda m: typer.echo(m + " ...", err=True))
    except (IndexMismatchError, IndexCorruptError, LockTimeoutError, EmbeddingError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    print_report(report)
    if report.bad:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def build(knowledge: Annotated[Path | None, typer.Option(help="Knowledge folder.")] = None) -> None:
    """Build or update the index from the knowledge folder (only changed articles are embedded)."""
    _build(settings_or_exit(knowledge_dir=knowledge), full=False)


@app.command()
def rebuild(knowledge: Annotated[Path | None, typer.Option(help="Knowledge folder.")] = None
            ) -> None:
    """Build the index from scratch (after changing EMBEDDING_MODEL or chunking)."""
    _build(settings_or_exit(knowledge_dir=knowledge), full=True)


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option("-k", help="Number of passages.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the passages a question retrieves, with each channel's rank."""
    settings = settings_or_exit()
    index = open_index(settings)
    try:
        hits = index.search(query, k=k, mode=_mode(mode))
    except IndexNotBuiltError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        typer.echo(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        typer.echo("no passage matches")
    for rank, hit in enumerate(hits, start=1):
        channels = ", ".join(f"{name} #{c.rank or '-'} {c.score:.3f}"
                             for name, c in hit.channels.items())
        typer.echo(f"{rank}. [{hit.score:.4f}] {hit.article.title} ({hit.passage_id}; {channels})")
        typer.echo("   " + hit.text.replace("\n", " ")[:300])


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Articles, passages, newest article, size on disk, model, generation."""
    index = open_index(settings_or_exit())
    info = index.stats()
    data = asdict(info)
    if info.newest:
        data["newest"] = _citation_json(info.newest)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    if not index.is_built:
        typer.echo("no index yet: run `python -m index build`")
        return
    newest = f"{info.newest.title} ({info.newest.published})" if info.newest else "-"
    for label, value in [
        ("generation", info.generation), ("articles", info.articles),
        ("passages", info.passages), ("newest", newest),
        ("publishers", ", ".join(info.publishers) or "-"),
        ("size on disk", f"{info.size_bytes / 1e6:.1f} MB"),
        ("embedding model", f"{info.embedding_model} ({info.dim}-d)"),
        ("faiss", info.faiss_factory),
        ("sentence vectors", info.sentences or "none: answering embeds sentences (run `index "
         "build` with SENTENCE_VECTORS=true to store them)"),
        ("built at", info.built_at),
    ]:
        typer.echo(f"{label:>16}: {value}")


@app.command()
def add(
    inputs: Annotated[list[str], typer.Argument(
        help="Web addresses, or .md/.txt/.html files and folders.", metavar="URL|PATH...")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Fetch or read articles, save them in the knowledge folder and index them."""
    settings = settings_or_exit()
    with _Progress() as progress:
        report = _library(settings, on_progress=progress).add(inputs)
    _finish(report, as_json)


@app.command()
def crawl(
    feed_or_sitemap: Annotated[str | None, typer.Argument(
        help="An RSS/Atom feed or a sitemap.xml.", metavar="FEED_OR_SITEMAP_URL")] = None,
    limit: Annotated[int | None, typer.Option(
        min=1, help="Fetch at most N new or changed pages (per feed).")] = None,
    all_feeds: Annotated[bool, typer.Option("--all", help="Every feed in FEEDS.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Add the new pages a feed or sitemap lists; known unchanged pages are not fetched."""
    if (feed_or_sitemap is None) == (not all_feeds):
        typer.echo("error: give a feed or sitemap URL, or --all for every feed in FEEDS",
                   err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    settings = settings_or_exit()
    if all_feeds and not settings.feeds:
        typer.echo("error: FEEDS is empty; list feeds and sitemaps separated by commas", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    with _Progress() as progress:
        library = _library(settings, on_progress=progress)
        report = library.crawl_all(limit) if all_feeds else \
            library.crawl(feed_or_sitemap or "", limit)
    _finish(report, as_json)


@app.command()
def remove(
    refs: Annotated[list[str], typer.Argument(
        help="Article URLs or ids (as `list` shows them).", metavar="URL|ID...")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Delete articles from the knowledge folder and the index."""
    report = _library(settings_or_exit()).remove(refs)
    _finish(report, as_json)


@app.command(name="list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The articles in the knowledge folder, newest first, and whether each is indexed."""
    settings = settings_or_exit()
    try:
        listed, bad = Library(settings, open_index(settings)).list()
    except OSError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        typer.echo(json.dumps([_listed_json(item) for item in listed],
                              ensure_ascii=False, indent=1))
    else:
        for item in listed:
            a = item.article
            mark = " " if item.indexed else "*"
            typer.echo(f"{mark} {a.published or '-'!s:<10}  {a.id}  {a.title}"
                       + (f"  <{a.url}>" if a.url else ""))
        unindexed = sum(not item.indexed for item in listed)
        typer.echo(f"{len(listed)} articles" + (
            f"; {unindexed} not indexed yet (*): run `python -m index build`"
            if unindexed else ""))
    for problem in bad:
        typer.echo(f"  bad: {problem}", err=True)


def _library(settings: IndexSettings, on_progress: ProgressCallback | None = None) -> Library:
    """The staff's library: waits and downloads are shown on stderr, embedding on a terminal."""
    return Library(settings, on_progress=on_progress, on_wait=_waiting, show_progress=None)


def _listed_json(item: ListedArticle) -> dict:
    """`source` repeats `publisher` for scripts written before the rename."""
    a = item.article
    return {"id": a.id, "title": a.title, "url": a.url,
            "published": a.published and a.published.isoformat(), "source": a.publisher,
            "publisher": a.publisher, "path": str(a.path), "indexed": item.indexed}


class _Progress:
    """A progress bar for page downloads on a terminal (the index draws its own for
    embedding); silent when the output is not a terminal."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != "fetch":
            return
        if self._bar is None:
            self._bar = tqdm(total=total, desc="fetching", unit="page", disable=None)
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()
        if done >= total:
            self._bar.close()
            self._bar = None


def _waiting(message: str) -> None:
    typer.echo(message + " ...", err=True)


def _finish(report: IngestReport, as_json: bool) -> None:
    """The summary: one line per item that changed or failed, then the counts; exit 1 when
    anything failed."""
    if as_json:
        typer.echo(json.dumps(_report_json(report), ensure_ascii=False, indent=1))
    else:
        unchanged = report.unchanged
        for item in report.in_summary_order():
            if item.status == "unchanged" and len(unchanged) > 20:
                continue
            if item.status == "failed":
                typer.echo(f"{'failed':<10} {item.reason}", err=True)
                continue
            detail = f"{item.article_id}, {_plural(item.passages, 'passage')}" \
                if item.passages else item.article_id or item.reason or ""
            typer.echo(f"{item.status:<10} {item.title or item.input} ({detail})")
        for note in report.notes:
            typer.echo(f"note: {note}")
        if report.build is not None and report.build.changed:
            typer.echo(f"index generation {report.build.generation}: "
                       f"{_plural(report.build.embedded_passages, 'passage')} embedded")
        elif report.build is not None:
            typer.echo(f"index unchanged (generation {report.build.generation})")
            for bad in report.build.bad:
                typer.echo(f"  bad file (not indexed): {bad}", err=True)
        if report.error:
            typer.echo(f"error: {report.error}", err=True)
        for feed in report.feeds:
            typer.echo(feed_line(feed))
        typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def feed_line(feed: FeedState) -> str:
    """One feed's state as `crawl --all` prints it: last crawl and outcome, next, backoff."""
    def when(stamp) -> str:
        return f"{stamp:%Y-%m-%d %H:%M:%S} UTC"

    if feed.last_attempt is None:
        return f"feed {feed.source}: never crawled"
    counts = ", ".join(f"{feed.counts.get(s, 0)} {s}"
                       for s in ("added", "updated", "unchanged", "failed"))
    outcome = {"changed": counts, "unchanged": f"nothing new ({counts})",
               "not-modified": "not modified (304)",
               "failed": f"failed ({feed.failures} in a row): {feed.error}",
               }.get(feed.outcome or "", "?")
    line = f"feed {feed.source}: last crawl {when(feed.last_attempt)}, {outcome}"
    if not feed.checked:
        line += " (not attempted this run)"
    if feed.backing_off:
        line += f"; backing off, next attempt {when(feed.next_attempt)}"
    elif feed.next_attempt is not None:
        line += f"; next {when(feed.next_attempt)}"
    return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _report_json(report: IngestReport) -> dict:
    def item_json(item: ItemResult) -> dict:
        data = asdict(item)
        data["source"] = item.input  # the key before the rename, for scripts
        data["published"] = item.published and item.published.isoformat()
        data["path"] = item.path and str(item.path)
        return data

    return {
        "ok": report.ok, "counts": report.counts(), "error": report.error,
        "notes": report.notes, "generation": report.build and report.build.generation,
        "items": [item_json(item) for item in report.items],
        "feeds": [feed_json(feed) for feed in report.feeds],
    }


def feed_json(feed: FeedState) -> dict:
    data = asdict(feed)
    for name in ("last_attempt", "last_success", "next_attempt"):
        data[name] = data[name] and data[name].isoformat(timespec="seconds")
    return data


@app.command(name="eval")
def evaluate(
    corpus: Annotated[Path, typer.Option(help="corpus.jsonl: {id, title, text, url?} a line.")],
    queries: Annotated[Path, typer.Option(help="queries.jsonl: {id, question, relevant}.")],
    k: Annotated[int, typer.Option("-k")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    cache: Annotated[Path | None, typer.Option(help="Keep passage embeddings here.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N queries.")] = None,
    fold_queries: Annotated[bool, typer.Option(
        "--fold-queries", help="Strip diacritics from the questions first.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recall@1/5/10, MRR@10 and latency on a labelled set, in a temporary index."""
    settings = settings_or_exit()
    try:
        result = run_eval(settings, corpus, queries, k=k, mode=_mode(mode), cache_dir=cache,
                          limit=limit, fold_queries=fold_queries)
    except (OSError, ValueError, EmbeddingError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        typer.echo(f"{key:>10}: {value}")


def _mode(value: str) -> Mode:
    if value not in ("hybrid", "dense", "lexical"):
        raise typer.BadParameter("mode must be hybrid, dense or lexical")
    return value  # type: ignore[return-value]


def _hit_json(hit) -> dict:
    return {
        "passage_id": hit.passage_id, "score": hit.score, "text": hit.text,
        "article": _citation_json(hit.article),
        "channels": {name: asdict(c) for name, c in hit.channels.items()},
    }


def _citation_json(citation: Citation) -> dict:
    """`source` repeats `publisher` for scripts written before the rename."""
    return {**asdict(citation), "source": citation.publisher,
            "published": citation.published and citation.published.isoformat()}


def main() -> None:
    logging.basicConfig(level=_log_level(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request is noise
    app()


def _log_level() -> str:
    """LOG_LEVEL; WARNING when the settings do not validate (the command then says why)."""
    try:
        return load_settings(IndexSettings).log_level
    except SettingsError:
        return "WARNING"
