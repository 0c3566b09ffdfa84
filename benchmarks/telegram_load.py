"""Load on the real bot through the fake Telegram server: answers/s and update-to-reply latency.

    python -m benchmarks.telegram_load [--users 20] [--questions 10] [--only sample news]
    python -m benchmarks.telegram_load --prepare      # build the 5,000-passage index only, on
                                                      # every core (first run: ~13k sentences)
    python -m benchmarks.telegram_load --only prebuilt --data-dir DIR   # a DATA_DIR already built

N simulated users each send M questions (every user waits for its reply before the next, like a
person; all users at once). Latency runs from pushing the update to the fake server recording
the bot's sendMessage. The fake server and the users run in a process of their own
(benchmarks/telegram_users.py): Telegram is remote, and does not share the bot's event loop and
GIL. Two indexes: the shipped sample knowledge, and ~5,000 passages of news from
../shared/data/news/ plus the samples, built once with cached embeddings (benchmarks/.cache/),
outside the timed part. Writes the "telegram-load" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from pydantic import SecretStr

from bot.domain.answer import Answer, Answerer
from bot.domain.assistant import limit_linear_algebra
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.telegram.app import ENGINE_THREADS_PER_WORKER, build_application, start, stop
from index import (
    Article,
    EmbeddingCache,
    Index,
    chunk_article,
    load_embedder,
    load_knowledge,
    nfc,
)

ROOT = Path(__file__).resolve().parent.parent

NEWS = ROOT.parent / "shared" / "data" / "news"
SAMPLES = ROOT / "knowledge"
CACHE = ROOT / "benchmarks" / ".cache" / "telegram"
NEWS_PASSAGES = 5000
TELEGRAM_GLOBAL_LIMIT = 30  # messages per second a bot may send in total
LOAD_AT_START = os.getloadavg()[0]  # other work on the machine skews the numbers
PUBLISHERS = {"24h.com.vn": "24h", "vnexpress.net": "VnExpress", "dantri.com.vn": "Dân Trí",
              "tuoitre.vn": "Tuổi Trẻ", "thanhnien.vn": "Thanh Niên"}
# Asked in turn by every simulated user: answered ones, an unaccented one, unanswerable ones.
QUESTIONS = [
    "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?",
    "Đăng ký khai sinh trực tuyến ở Đống Đa như thế nào?",
    "Phường Ngọc Lâm khám sức khỏe miễn phí cho bao nhiêu người cao tuổi?",
    "HĐND quận Tây Hồ thông qua bao nhiêu nghị quyết?",
    "Lich tiep cong dan cua Chu tich UBND quan Hoang Mai?",
    "Giờ thu gom rác ở Hai Bà Trưng thay đổi thế nào?",
    "Giá vàng hôm nay bao nhiêu?",
    "Lịch tuyển sinh lớp 1 ở Thanh Xuân năm 2024?",
    "Chỉ số cải cách hành chính của các phường Ba Đình năm 2023?",
    "Làm thế nào để đổi căn cước công dân khi sáp nhập xã?",
]
OPENERS = ["", "Cho tôi hỏi", "Xin hỏi", "Mình muốn biết", "Bạn ơi cho hỏi"]
CLOSERS = ["", " ạ", " vậy", " nhỉ", " với"]


# ----------------------------------------------------------------------------- the indexes

def news_articles(passages: int = NEWS_PASSAGES, chunk_words: int = 120,
                  overlap: int = 20) -> list[Article]:
    """The samples, full-text news, then governance RSS snippets until `passages` is reached."""
    articles = list(load_knowledge(SAMPLES).articles)
    total = sum(len(chunk_article(a, chunk_words, overlap)) for a in articles)
    full = _rows(NEWS / "vn_news_fulltext_crawl_2026" / "news.jsonl")
    rss = _rows(NEWS / "vn_rss_news_2025_2026" / "news_governance.jsonl")
    budget_full = passages // 2  # half long articles, half short snippets
    for rows, budget in ((full, budget_full), (rss, passages)):
        for row in rows:
            if total >= budget:
                break
            article = _article(row)
            if article is None:
                continue
            count = len(chunk_article(article, chunk_words, overlap))
            if total + count > passages:
                continue
            articles.append(article)
            total += count
    return articles


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _article(row: dict) -> Article | None:
    title, body = nfc(row.get("title") or "").strip(), nfc(row.get("text") or "").strip()
    if not title or len(body.split()) < 20:
        return None
    url = row.get("url")
    domain = urlparse(url).netloc.removeprefix("www.") if url else ""
    source = row.get("source") if row.get("source") not in (None, "24h", "RSS_Feed") else None
    published = None
    if row.get("date"):
        published = dt.date.fromisoformat(str(row["date"])[:10])
    return Article(id=f"news/{row['id']}", title=title, body=body, url=url,
                   published=published, publisher=source or PUBLISHERS.get(domain, domain or None))


def prepare_news_index(settings: BotSettings) -> Index:
    """The samples plus ~5,000 news passages; embeddings are cached, so a rebuild is quick."""
    index = Index.open(settings)
    if _ready(index) and index.stats().passages >= NEWS_PASSAGES * 0.95:
        return index
    return _build(settings, news_articles())


def prepare_sample_index(settings: BotSettings) -> Index:
    index = Index.open(settings)
    return index if _ready(index) else _build(settings, load_knowledge(SAMPLES).articles)


def _ready(index: Index) -> bool:
    """Built, with the sentence vectors the settings ask for (an older build gets them)."""
    return index.is_built and (not index.settings.sentence_vectors
                               or index.stats().sentences > 0)


def _build(settings: BotSettings, articles: list[Article]) -> Index:
    """An incremental build: what the cache or the previous build holds is not embedded."""
    embedder = load_embedder(settings.embedding_model)
    cache = EmbeddingCache(CACHE / "embeddings", embedder.name, embedder.dim)
    try:
        report = Index(settings, embedder=embedder, cache=cache).build(
            articles, show_progress=True)
        print(f"{settings.data_dir.name}: {report.embedded_passages} passages and "
              f"{report.embedded_sentences} sentences embedded in {report.seconds:.0f} s",
              flush=True)
    finally:
        cache.close()
    return Index.open(settings)


# ----------------------------------------------------------------------------- the load

async def run_load(answerer: Answerer, settings: BotSettings, users: int, questions: int,
                   ask: Callable[[int], str]) -> dict:
    """Every user sends `questions` questions, one after the other; all users at once.

    The fake Bot API and the simulated users run in a process of their own
    (benchmarks/telegram_users.py), as Telegram's servers and its users are elsewhere: they do
    not share the bot's event loop and GIL.
    """
    asked = [ask(n) for n in range(users * questions)]
    telegram = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.telegram_users", cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=2**24)
    try:
        await _tell(telegram, {"users": users, "questions": questions, "asked": asked})
        base_url = (await _hear(telegram))["base_url"]
        settings = settings.model_copy(update={"telegram_base_url": base_url,
                                               "telegram_bot_token": SecretStr("1:BENCH")})
        with tempfile.TemporaryDirectory(prefix="telegram-load-") as scratch:
            log = QuestionLog.open(Path(scratch), "bench-secret")
            app = build_application(settings, answerer, log)
            await start(app, settings, poll_timeout=10)
            try:
                await _tell(telegram, "go")
                bot_cpu = time.process_time()  # every thread: the event loop and the answerers
                threads_before, went = thread_times(), time.perf_counter()
                heard = await _hear(telegram)
                bot_cpu = time.process_time() - bot_cpu
                threads = thread_shares(threads_before, thread_times(),
                                        time.perf_counter() - went)
                answered = log.count_answered()
            finally:
                await stop(app)
                log.close()
        await _tell(telegram, "stop")
        await asyncio.wait_for(telegram.wait(), timeout=30)
    finally:
        if telegram.returncode is None:
            telegram.kill()
            await telegram.wait()
    latencies, elapsed = heard["latencies_ms"], heard["seconds"]
    latencies.sort()
    replies = max(len(latencies), 1)
    return {
        "messages": len(latencies), "seconds": round(elapsed, 2),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies)),
        "p95_ms": round(_percentile(latencies, 95)),
        "p99_ms": round(_percentile(latencies, 99)),
        "answered_share": round(answered / max(len(latencies), 1), 2),
        "telegram_cpu_s": round(heard["cpu_s"], 2),  # the fake's and the users' share
        # CPU, unlike wall time, hardly moves with other work on the machine: compare these.
        "bot_cpu_ms_per_reply": round(bot_cpu * 1000 / replies, 1),
        "fake_cpu_ms_per_reply": round(heard["cpu_s"] * 1000 / replies, 1),
        "requests_per_reply": {method: round(count / replies, 2)
                               for method, count in sorted(heard["requests"].items())},
        "threads": threads,
    }


def thread_times() -> dict[int, tuple[str, float, float]]:
    """Each thread of this process: its name, seconds on a core and seconds waiting for one
    (Linux's schedstat; empty elsewhere)."""
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    out = {}
    for task in Path("/proc/self/task").glob("*"):
        try:
            on_core, waiting, _ = (task / "schedstat").read_text().split()
        except (OSError, ValueError):
            continue
        tid = int(task.name)
        out[tid] = (names.get(tid, task.name), int(on_core) / 1e9, int(waiting) / 1e9)
    return out


def thread_shares(before: dict[int, tuple[str, float, float]],
                  after: dict[int, tuple[str, float, float]], seconds: float) -> dict:
    """Where the event loop's and the answer workers' wall time went during the load: on a core,
    waiting for a core (other work on the machine), or blocked (the GIL, I/O, an empty queue)."""
    shares: dict[str, list[float]] = {}
    for tid, (name, on_core, waiting) in after.items():
        kind = ("event loop" if name == "MainThread"
                else "answer workers" if name.startswith("answer") else None)
        if kind is None or seconds <= 0:
            continue
        _, core0, wait0 = before.get(tid, (name, 0.0, 0.0))
        shares.setdefault(kind, []).append(((on_core - core0) / seconds,
                                            (waiting - wait0) / seconds))
    return {kind: {"on_core": round(statistics.mean(c for c, _ in v), 2),
                   "waiting_for_core": round(statistics.mean(w for _, w in v), 2),
                   "blocked": round(1 - statistics.mean(c + w for c, w in v), 2)}
            for kind, v in shares.items()}


def answering_capacity(settings: BotSettings, workers: int, asked: list[str]) -> float:
    """The load's questions with no Telegram at all, from cold caches as the load started."""
    answerer = Answerer(cold_index(settings), settings)
    # The model loaded and the word channels built, as the bot does at start-up.
    answerer.index.search("xin chào", k=1)
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(answerer.answer, asked))
    return round(len(asked) / (time.perf_counter() - started), 1)


def answer_latency(settings: BotSettings, asked: list[str]) -> tuple[int, int]:
    """p50 and p95 of one answer at a time (no Telegram, no concurrency), from cold caches."""
    answerer = Answerer(cold_index(settings), settings)
    answerer.index.search("xin chào", k=1)
    latencies = []
    for question in asked:
        started = time.perf_counter()
        answerer.answer(question)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return round(_percentile(latencies, 50)), round(_percentile(latencies, 95))


def cold_index(settings: BotSettings) -> Index:
    """The index with a model instance of its own, so no vector is cached from an earlier run."""
    return Index.open(settings, embedder=load_embedder(settings.embedding_model, shared=False))


class CannedAnswerer(Answerer):
    """One answer for every question: Telegram, rendering and the log, without the CPU work."""

    def __init__(self, index: Index, settings: BotSettings) -> None:
        super().__init__(index, settings)
        self._canned = super().answer(QUESTIONS[0])

    def answer(self, question: str, after: str | None = None) -> Answer:
        return self._canned


def question(n: int) -> str:
    """The n-th question: a fixed topic worded a little differently each time, as people do."""
    topic = QUESTIONS[n % len(QUESTIONS)]
    opener = OPENERS[(n // len(QUESTIONS)) % len(OPENERS)]
    closer = CLOSERS[(n // (len(QUESTIONS) * len(OPENERS))) % len(CLOSERS)]
    text = topic.rstrip("?")
    if opener:
        text = f"{opener} {text[0].lower()}{text[1:]}"
    return f"{text}{closer}?"


def news_asker(articles: list[Article]) -> Callable[[int], str]:
    """Every other question is a news headline asked back (a topic never asked before)."""
    headlines = [f"{a.title.rstrip('.?!')}?" for a in articles if a.id.startswith("news/")]

    def ask(n: int) -> str:
        return question(n) if n % 2 == 0 else headlines[(n // 2 * 7919) % len(headlines)]

    return ask


async def _tell(telegram: asyncio.subprocess.Process, message: object) -> None:
    assert telegram.stdin is not None
    telegram.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    await telegram.stdin.drain()


async def _hear(telegram: asyncio.subprocess.Process) -> dict:
    """The Telegram process's next line; its end is an error, not a hang."""
    assert telegram.stdout is not None
    line = await telegram.stdout.readline()
    if not line:
        raise RuntimeError(f"the fake Telegram process ended (exit {await telegram.wait()})")
    return json.loads(line)


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    rank = max(0, min(len(values) - 1, round(p / 100 * len(values)) - 1))
    return values[rank]


# ----------------------------------------------------------------------------- main

def compute_as_the_bot_serves() -> None:
    """As the bot in Telegram mode runs: one engine thread per answer worker (set before the
    first model loads, which decides for the process), and numpy's BLAS on as many."""
    os.environ.setdefault("OMP_NUM_THREADS", str(ENGINE_THREADS_PER_WORKER))
    limit_linear_algebra(ENGINE_THREADS_PER_WORKER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per user")
    parser.add_argument("--only", nargs="+", choices=("sample", "news", "prebuilt"),
                        default=["sample", "news"])
    parser.add_argument("--data-dir", type=Path, help="with `--only prebuilt`: a DATA_DIR whose "
                        "index is built (e.g. by `python -m benchmarks.scale`); not changed")
    parser.add_argument("--prepare", action="store_true", help="build the news index and stop")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    base = dict(_env_file=None, log_secret="bench-secret",
                rate_limit_questions=10_000)  # the load is many questions, not abuse
    news_settings = BotSettings(data_dir=CACHE / "news-data", knowledge_dir=SAMPLES, **base)
    if args.prepare:  # a build alone: the engine may use every core
        prepare_news_index(news_settings)
        return
    compute_as_the_bot_serves()
    rows = []
    for name in args.only:
        if name == "sample":
            settings = BotSettings(data_dir=CACHE / "sample-data", knowledge_dir=SAMPLES, **base)
            index = prepare_sample_index(settings)
            cases = [("transport only (canned answer)", CannedAnswerer, question),
                     ("sample knowledge", Answerer, question)]
        elif name == "news":
            settings = news_settings
            index = prepare_news_index(settings)
            cases = [("news, half new topics", Answerer, news_asker(news_articles()))]
        else:
            if args.data_dir is None:
                parser.error("--only prebuilt needs --data-dir")
            settings = BotSettings(data_dir=args.data_dir, knowledge_dir=SAMPLES, **base)
            index = Index.open(settings)
            if not index.is_built:
                parser.error(f"no index in {args.data_dir}")
            cases = [(f"prebuilt index ({args.data_dir.name})", Answerer, question)]
        for label, kind, ask in cases:
            asked = [ask(n) for n in range(args.users * args.questions)]
            result = asyncio.run(run_load(kind(cold_index(settings), settings), settings,
                                          args.users, args.questions, ask))
            capacity = (answering_capacity(settings, settings.answer_workers, asked)
                        if kind is Answerer else None)
            alone = answer_latency(settings, asked) if kind is Answerer else None
            result.update(case=label, passages=index.stats().passages, distinct=len(set(asked)),
                          capacity_per_s=capacity, answer_ms=alone)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            rows.append(result)
    if not args.no_write:
        _write_results(rows, args.users, args.questions)


def _write_results(rows: list[dict], users: int, questions: int) -> None:
    from benchmarks.results_file import write_section

    lines = [
        "## Telegram load",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores: "
        f"{users} users x {questions} questions, all users at once, each waiting for its reply; "
        "real bot (python-telegram-bot, polling) against the fake Bot API on 127.0.0.1, "
        "which runs with the simulated users in a process of its own. "
        "Latency: update pushed -> sendMessage recorded. "
        f"Load average when it started: {LOAD_AT_START:.1f}. "
        "`python -m benchmarks.telegram_load`.",
        "",
        "| case | passages | questions (distinct) | seconds | replies/s | p50 ms | p95 ms "
        "| p99 ms | answered | answering alone, answers/s | one answer p50 / p95 ms "
        "| CPU ms per reply: bot / fake Bot API | Bot API requests per reply |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['case']} | {r['passages']} | {r['messages']} ({r['distinct']}) | "
                     f"{r['seconds']} | "
                     f"{r['per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                     f"{r['answered_share']:.0%} | {r['capacity_per_s'] or '—'} | "
                     + (f"{r['answer_ms'][0]} / {r['answer_ms'][1]} |" if r["answer_ms"]
                        else "— |")
                     + f" {r['bot_cpu_ms_per_reply']} / {r['fake_cpu_ms_per_reply']} | "
                     + ", ".join(f"{m} {n}" for m, n in r["requests_per_reply"].items()) + " |")
    lines += ["", f"Telegram lets a bot send about {TELEGRAM_GLOBAL_LIMIT} messages/s in total; "
              "the bot's AIORateLimiter holds it there (a first burst of 30, then 30/s; "
              "`typing…` actions are not counted). "
              "\"Answering alone\": the same questions through the answer pipeline in "
              "ANSWER_WORKERS threads, from cold caches, with no Telegram at all.", ""]
    for r in rows:
        # Within 5% of the cap is sustaining it: the limiter keeps the bot just under it.
        verdict = ("sustains" if r["per_s"] >= 0.95 * TELEGRAM_GLOBAL_LIMIT
                   else "does not sustain")
        lines.append(f"- {r['case']}: {r['per_s']} replies/s, {verdict} "
                     f"{TELEGRAM_GLOBAL_LIMIT}/s.")
    lines += ["", "Where the bot's threads spent the load's wall time (Linux schedstat): on a "
              "core / waiting for a core (other work on the machine) / blocked (the GIL, I/O, "
              "nothing to do):", ""]
    for r in rows:
        lines.append(f"- {r['case']}: " + "; ".join(
            f"{kind} {t['on_core']:.0%} / {t['waiting_for_core']:.0%} / {t['blocked']:.0%}"
            for kind, t in r["threads"].items()) + ".")
    lines += ["", "Most of an answer's CPU is the embedding model (a pool of engine handles, "
              "one per answer worker, one OpenMP thread each; the engine built here with our "
              "kernel, EMBEDDING_ENGINE) reading the question: the sentences in contention when "
              "the words alone cannot pick the best one were embedded at build "
              "(SENTENCE_VECTORS) and are read from the index. Where answering alone outpaces "
              "the cap, Telegram's limit is what bounds the replies."]
    transport = [r for r in rows if r["capacity_per_s"] is None]
    if transport and transport[0]["per_s"] >= 0.95 * TELEGRAM_GLOBAL_LIMIT:
        lines[-1] += (" The Telegram side (long polling, rendering, the question log, the flood "
                      "limiter) is not the bottleneck: with a canned answer it reaches the cap.")
    write_section("telegram-load", "\n".join(lines))


if __name__ == "__main__":
    main()
