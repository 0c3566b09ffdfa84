"""The question log on SQLite and on PostgreSQL: what one bot's writes cost, and what several
processes sharing it get. Per question the bot spends a rate-limit token and records the
question; moderators claim. Measured from 1 and from 4 processes at once.

    python -m benchmarks.question_log [--seconds 5]

PostgreSQL is a throwaway server started from the machine's binaries, as the tests start it
(tests/postgres_server.py), with a fresh database per run. Writes the "question-log" section
of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.results_file import write_section
from bot.domain.answer import Answer
from bot.domain.question_log import Asked, QuestionLog
from bot.domain.ratelimit import RateLimiter
from tests.postgres_server import PostgresServer

ANSWER = Answer("Phường mở cửa từ 7 giờ đến 17 giờ.", [], 0.9, True)
SECRET = "bench-secret"
USERS = 5000  # citizens per process, each asking again and again


def _worker(args: tuple[str, str, float, int]) -> list[float]:
    """One bot process: per question a rate-limit token and a record; latencies in ms."""
    data_dir, url, seconds, seed = args
    log = QuestionLog.open(Path(data_dir), SECRET, url=url)
    limiter = RateLimiter(log, 1_000_000, 1.0)  # never refuses: the cost, not the verdict
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    asked = 0
    while time.perf_counter() < deadline:
        asked += 1
        user = seed * USERS + asked % USERS  # each process serves its own citizens
        start = time.perf_counter()
        limiter.take(user)
        log.record(Asked(user_id=user, chat_type="private", question="Giờ mở cửa?",
                         answer=ANSWER, latency_ms=100))
        latencies.append((time.perf_counter() - start) * 1000)
    log.close()
    return latencies


def _claims(data_dir: str, url: str, processes: int) -> tuple[int, int]:
    """`processes` moderators race for each of 50 questions: (questions, claims won)."""
    log = QuestionLog.open(Path(data_dir), SECRET, url=url)
    ids = [log.record(Asked(user_id=1, chat_type="private", question="?",
                            answer=Answer("", [], 0.1, False), latency_ms=1, chat_id=1))
           for _ in range(50)]
    log.close()
    with multiprocessing.Pool(processes) as pool:
        won = pool.map(_claim_all, [(data_dir, url, ids, m) for m in range(processes)])
    return len(ids), sum(won)


def _claim_all(args: tuple[str, str, list[int], int]) -> int:
    data_dir, url, ids, moderator = args
    log = QuestionLog.open(Path(data_dir), SECRET, url=url)
    won = sum(log.claim(i, f"moderator-{moderator}", "") for i in ids)
    log.close()
    return won


def _run(name: str, new_url: Callable[[], str], seconds: float) -> list[str]:
    rows = []
    for processes in (1, 4):
        with tempfile.TemporaryDirectory() as data_dir:
            url = new_url()
            QuestionLog.open(Path(data_dir), SECRET, url=url).close()  # migrate once
            with multiprocessing.Pool(processes) as pool:
                runs = pool.map(_worker, [(data_dir, url, seconds, p) for p in range(processes)])
            latencies = sorted(x for run in runs for x in run)
            questions, won = _claims(data_dir, url, processes)
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        rows.append(f"| {name} | {processes} | {len(latencies) / seconds:.0f} | "
                    f"{statistics.median(latencies):.2f} | {p95:.2f} | {won}/{questions} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with PostgresServer() as server:
        rows = _run("SQLite (DATA_DIR)", lambda: "", args.seconds)
        rows += _run("PostgreSQL 127.0.0.1", server.new_database, args.seconds)
    table = "\n".join([
        "| database | processes | questions/s (token + record) | p50 ms | p95 ms | "
        "claims won / questions raced |", "|---|---|---|---|---|---|", *rows])
    markdown = (
        "## Question log: SQLite and PostgreSQL\n\n"
        f"Each process spends a rate-limit token and records a question in a loop for "
        f"{args.seconds:.0f} s; then as many moderators as processes race to claim each of 50 "
        "questions (exactly one claim per question must win). The throwaway PostgreSQL runs "
        "with fsync off, on the same 2 cores as the bot processes. Machine load at start "
        f"{load:.1f}. `python -m benchmarks.question_log`.\n\n{table}\n\n"
        "Rates vary by about half between runs on this machine, shared with other work; "
        "the bot's answer itself takes 100+ ms (see Telegram load).\n")
    print(markdown)
    write_section("question-log", markdown)


if __name__ == "__main__":
    main()
