"""The web face under load: /api/ask throughput and latency, and console pages over a big log.

    python -m benchmarks.web_api [--clients 20] [--questions 10] [--logged 100000]

1. `POST /api/ask`: N clients at once (each a browser with its own cookie, waiting for each
   answer before the next question) against the real web server (uvicorn on 127.0.0.1) over
   the 5,000-passage news index of `benchmarks.telegram_load` (built once, embeddings cached).
   Latency: request sent -> JSON received.
2. Console pages with a question log of `--logged` questions over 60 days: each page rendered
   in-process (httpx's ASGI transport, no network), several times; the issue asks < 300 ms.

Writes the "web" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import platform
import random
import socket
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.telegram_load import (
    CACHE,
    SAMPLES,
    _percentile,
    answering_capacity,
    cold_index,
    compute_as_the_bot_serves,
    news_articles,
    news_asker,
    prepare_news_index,
)
from bot.domain.answer import Answerer
from bot.domain.assistant import curated_first
from bot.domain.console_access import MODERATOR, STAFF
from bot.domain.console_store import QuestionFilter
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.web.access import SESSION_COOKIE
from bot.web.app import build_web_app, web_context
from bot.web.context import WebContext
from bot.web.server import WebServer

LOAD_AT_START = os.getloadavg()[0]
PAGE_BUDGET_MS = 300  # the bound for a console page
RENDERS = 5  # each page is rendered this many times; the median and the worst are reported
STATES = ["none"] * 6 + ["unanswered", "downvoted", "low", "reviewed", "spam"]
WORDS = ("giờ làm việc phường thủ tục khai sinh căn cước thu gom rác học phí tuyển sinh lớp 1 "
         "đăng ký tạm trú cấp phép xây dựng hộ nghèo bảo hiểm y tế lịch tiếp công dân").split()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _context(settings: BotSettings, log: QuestionLog, answerer: Answerer) -> tuple[
        WebContext, ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(settings.answer_workers, thread_name_prefix="answer")
    assistant = curated_first(answerer, log, settings)
    return web_context(settings, log, assistant, executor, lambda: answerer.index), executor


# ----------------------------------------------------------------------------- /api/ask

async def ask_load(settings: BotSettings, clients: int, questions: int) -> dict:
    ask = news_asker(news_articles())
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="web-load-") as scratch:
        log = QuestionLog.open(Path(scratch), "bench-secret")
        answerer = Answerer(cold_index(settings), settings)
        answerer.index.similarity("xin chào", ["xin chào"])  # loaded, as at start-up
        answerer.index.search("xin chào", k=1)
        ctx, executor = _context(settings, log, answerer)
        server = WebServer(build_web_app(ctx), "127.0.0.1", port)
        await server.start()
        latencies: list[float] = []
        try:
            base = f"http://127.0.0.1:{port}"
            limits = httpx.Limits(max_connections=1)
            browsers = [httpx.AsyncClient(base_url=base, timeout=300, limits=limits)
                        for _ in range(clients)]
            for browser in browsers:
                await browser.get("/")
            started = time.perf_counter()
            await asyncio.gather(*(
                _client(browser, ask, c * questions, questions, latencies)
                for c, browser in enumerate(browsers)))
            elapsed = time.perf_counter() - started
            for browser in browsers:
                await browser.aclose()
            answered = log.count_answered()
        finally:
            await server.stop()
            executor.shutdown()
            log.close()
    latencies.sort()
    return {"requests": len(latencies), "seconds": round(elapsed, 2),
            "per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies)),
            "p95_ms": round(_percentile(latencies, 95)),
            "answered_share": round(answered / max(len(latencies), 1), 2),
            "passages": answerer.index.stats().passages, "workers": settings.answer_workers}


async def _client(browser: httpx.AsyncClient, ask, first: int, questions: int,
                  latencies: list[float]) -> None:
    for n in range(first, first + questions):
        sent = time.perf_counter()
        response = await browser.post("/api/ask", json={"question": ask(n)})
        response.raise_for_status()
        latencies.append((time.perf_counter() - sent) * 1000)


# ----------------------------------------------------------------------------- console pages

def fill_log(log: QuestionLog, count: int, days: int = 60, seed: int = 7) -> None:
    """`count` questions spread over the last `days` days, in the log's own schema (written
    in one transaction: `record` one by one would take minutes and measure nothing here)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(count):
        asked = now - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        state = rng.choice(STATES)
        answered = state not in ("unanswered",)
        question = " ".join(rng.sample(WORDS, 5)) + f" số {i}?"
        rows.append((asked.isoformat(timespec="milliseconds"), f"{rng.getrandbits(64):064x}",
                     "private", "vi", question, "Trích dẫn." if answered else "",
                     int(answered), rng.uniform(0.2, 0.95), 40 + rng.randrange(200),
                     state, rng.choice([None, None, None, 1, -1]),
                     "Cán bộ trả lời." if state == "reviewed" else None))
    rows.sort()
    columns = ("asked_at", "user_key", "chat_type", "language", "question", "answer",
               "answered", "confidence", "latency_ms", "review_state", "feedback",
               "moderator_answer")
    with log.database.write() as db:  # one transaction, rolled back if anything fails
        db.many(f"INSERT INTO questions ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})",
                [dict(zip(columns, row, strict=True)) for row in rows])
    for i in range(30):
        log.add_curated(f"Câu hỏi mẫu {i} về {WORDS[i % len(WORDS)]}?", "Câu trả lời mẫu.")


async def page_times(settings: BotSettings, logged: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="web-pages-") as scratch:
        log = QuestionLog.open(Path(scratch), "bench-secret")
        started = time.perf_counter()
        fill_log(log, logged)
        print(f"{logged} questions logged in {time.perf_counter() - started:.0f} s", flush=True)
        answerer = Answerer(cold_index(settings), settings)
        answerer.index.similarity("xin chào", ["xin chào"])
        answerer.index.search("xin chào", k=1)
        ctx, executor = _context(settings.model_copy(update={"data_dir": Path(scratch)}), log,
                                 answerer)
        app = build_web_app(ctx)
        first_awaiting = ctx.store.search(QuestionFilter(states=("unanswered",)), 1, 0,
                                          oldest_first=True)[0].id
        pages = [("overview, figures computed (before the first copy exists)", "/console/"),
                 ("overview", "/console/"), ("review queue", "/console/review"),
                 ("review queue, text filter", "/console/review?q=khai+sinh&state=unanswered"),
                 ("one question, with passages", f"/console/review/{first_awaiting}"),
                 ("FAQ (served counts)", "/console/faq"), ("question log", "/console/log"),
                 ("question log, text and dates",
                  f"/console/log?q=tạm+trú&from={(dt.date.today() - dt.timedelta(days=7))}"),
                 ("audit log", "/console/audit"),
                 ("CSV export, last 7 days",
                  f"/console/log.csv?from={(dt.date.today() - dt.timedelta(days=7))}")]
        rows = []
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                link = ctx.access.login_link("http://bench", 1, "bench",
                                             frozenset({MODERATOR, STAFF}))
                session, _ = ctx.access.log_in(link.split("token=")[1])
                http.cookies.set(SESSION_COOKIE, session)
                for label, path in pages:
                    times = []
                    for _ in range(RENDERS):
                        if label.startswith("overview, figures computed"):
                            ctx.overview.forget()
                        started = time.perf_counter()
                        response = await http.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200, (path, response.status_code)
                    rows.append({"page": label, "median_ms": round(statistics.median(times)),
                                 "max_ms": round(max(times)), "bytes": len(response.content)})
                    print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        finally:
            executor.shutdown()
            log.close()
    return rows


# ----------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per client")
    parser.add_argument("--logged", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    compute_as_the_bot_serves()
    settings = BotSettings(_env_file=None, data_dir=CACHE / "news-data", knowledge_dir=SAMPLES,
                           log_secret="bench-secret", web_chat=True,
                           web_session_secret="bench-session-secret-0123456789abcdef",
                           rate_limit_questions=10_000)  # the load is many questions, not abuse
    prepare_news_index(settings)
    ask = asyncio.run(ask_load(settings, args.clients, args.questions))
    asker = news_asker(news_articles())
    ask["capacity_per_s"] = answering_capacity(
        settings, settings.answer_workers,
        [asker(n) for n in range(args.clients * args.questions)])
    print(json.dumps(ask, ensure_ascii=False), flush=True)
    pages = asyncio.run(page_times(settings, args.logged))
    if not args.no_write:
        _write_results(ask, pages, args)


def _write_results(ask: dict, pages: list[dict], args: argparse.Namespace) -> None:
    from benchmarks.results_file import write_section

    lines = [
        "## Web: /api/ask and the console",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {LOAD_AT_START:.1f} when it started, shared with other work). "
        "`python -m benchmarks.web_api`.",
        "",
        f"**`POST /api/ask`**, {args.clients} clients at once, {args.questions} questions each "
        "(each waits for its answer), real web server (uvicorn, 127.0.0.1), "
        f"{ask['passages']} passages (news + samples), half the questions new topics, "
        f"ANSWER_WORKERS={ask['workers']}:",
        "",
        "| requests | seconds | answers/s | p50 ms | p95 ms | answered "
        "| answering alone, answers/s |",
        "|---|---|---|---|---|---|---|",
        f"| {ask['requests']} | {ask['seconds']} | {ask['per_s']} | {ask['p50_ms']} | "
        f"{ask['p95_ms']} | {ask['answered_share']:.0%} | {ask['capacity_per_s']} |",
        "",
        "\"Answering alone\": the same questions through the answer pipeline in ANSWER_WORKERS "
        "threads with no web server, right after, on the same machine: the part of the time "
        "that is the web's own is the difference. Latency is mostly queueing: "
        f"{args.clients} clients share about {ask['per_s']} answers/s, so each waits about "
        f"{args.clients / max(ask['per_s'], 0.1):.1f} s for its turn.",
        "",
        f"**Console pages** with {args.logged:,} logged questions over 60 days (rendered "
        f"in-process, {RENDERS} times each; the bound asked is {PAGE_BUDGET_MS} ms):",
        "",
        "The overview's figures are computed in a thread when the server starts and kept for a "
        "minute (then a stale copy is served while a fresh one is computed in a thread): the "
        "first row is the price of computing them, which a visitor pays only in the first "
        "second after start; the CSV export is a download of every matching row.",
        "",
        "| page | median ms | worst ms | bytes | within bound |",
        "|---|---|---|---|---|",
    ]
    for row in pages:
        within = "yes" if row["median_ms"] < PAGE_BUDGET_MS else "**no**"
        lines.append(f"| {row['page']} | {row['median_ms']} | {row['max_ms']} | "
                     f"{row['bytes']:,} | {within} |")
    write_section("web", "\n".join(lines))


if __name__ == "__main__":
    main()
