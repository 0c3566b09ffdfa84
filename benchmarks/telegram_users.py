"""The other side of the Telegram load: the fake Bot API and the simulated users, in a process
of their own (Telegram's servers and its users are not in the bot's event loop and GIL).

Driven by benchmarks/telegram_load.py over stdin/stdout, one JSON document a line: it reads
{"users", "questions", "asked"}, prints {"base_url"}, waits for "go" (the bot is polling),
prints {"latencies_ms", "seconds", "cpu_s", "requests"} (Bot API calls by method) when every
user has its replies, and exits on "stop" (the bot has stopped polling) or at the end of stdin.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter

from fakes.telegram_api import FakeTelegram

REPLY_TIMEOUT_S = 300  # one reply; the bot under load answers in seconds


async def serve(users: int, questions: int, asked: list[str]) -> None:
    loop = asyncio.get_running_loop()
    async with FakeTelegram() as fake:
        _say({"base_url": fake.base_url})
        await loop.run_in_executor(None, sys.stdin.readline)  # "go"
        await _warm_up(fake)
        latencies: list[float] = []
        first_call = fake.mark()
        cpu, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(
            _user(fake, asked, 10_000 + u, u * questions, questions, latencies)
            for u in range(users)))
        _say({"latencies_ms": latencies, "seconds": time.perf_counter() - started,
              "cpu_s": time.process_time() - cpu,
              "requests": Counter(c.method for c in fake.calls[first_call:])})
        await loop.run_in_executor(None, sys.stdin.readline)  # "stop"


async def _warm_up(fake: FakeTelegram) -> None:
    fake.push_text(9, "/start")
    await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == 9, timeout=60)


async def _user(fake: FakeTelegram, asked: list[str], user_id: int, first: int,
                questions: int, latencies: list[float]) -> None:
    """One person: a question, then wait for its reply before the next."""
    for n in range(first, first + questions):
        mark = fake.mark()
        pushed = time.perf_counter()
        fake.push_text(user_id, asked[n])
        await fake.wait_for("sendMessage", lambda c, u=user_id: c.ok and
                            c.params["chat_id"] == u, since=mark, timeout=REPLY_TIMEOUT_S)
        latencies.append((time.perf_counter() - pushed) * 1000)


def _say(message: dict) -> None:
    print(json.dumps(message, ensure_ascii=False), flush=True)


def main() -> None:
    job = json.loads(sys.stdin.readline())
    asyncio.run(serve(job["users"], job["questions"], job["asked"]))


if __name__ == "__main__":
    main()
