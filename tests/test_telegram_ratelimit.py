"""Per-user token buckets: a burst is cut short with one notice; other users never notice;
the buckets live in the database, so every replica on it holds a user to one limit."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest

from bot.domain.question_log import QuestionLog
from bot.domain.ratelimit import RateLimiter, Verdict
from tests.conftest import BACKENDS

ALICE, BOB = 1001, 1002


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_gets_capacity_answers_one_notice_then_silence(log: QuestionLog) -> None:
    limiter = RateLimiter(log, 5, 30, clock=Clock())
    verdicts = [limiter.take(ALICE) for _ in range(20)]
    assert verdicts[:5] == [Verdict.ALLOWED] * 5
    assert verdicts[5] is Verdict.NOTIFY
    assert verdicts[6:] == [Verdict.SILENT] * 14


def test_other_users_are_unaffected(log: QuestionLog) -> None:
    limiter = RateLimiter(log, 5, 30, clock=Clock())
    for _ in range(20):
        limiter.take(ALICE)
    assert limiter.take(BOB) is Verdict.ALLOWED


def test_the_bucket_refills_and_the_notice_comes_again_next_time(log: QuestionLog) -> None:
    clock = Clock()
    limiter = RateLimiter(log, 5, 30, clock=clock)
    for _ in range(7):
        limiter.take(ALICE)
    clock.now += 6  # one token per 6 s
    assert limiter.take(ALICE) is Verdict.ALLOWED
    assert limiter.take(ALICE) is Verdict.NOTIFY
    clock.now += 30
    assert [limiter.take(ALICE) for _ in range(6)] == [Verdict.ALLOWED] * 5 + [Verdict.NOTIFY]


def test_a_clock_behind_the_stored_one_refills_nothing_and_takes_nothing_extra(
        log: QuestionLog) -> None:
    clock = Clock()
    ahead, behind = RateLimiter(log, 5, 30, clock=clock), RateLimiter(log, 5, 30, clock=Clock())
    clock.now += 60  # one replica's clock is a minute ahead of the other's
    assert [ahead.take(ALICE) for _ in range(3)] == [Verdict.ALLOWED] * 3
    assert [behind.take(ALICE) for _ in range(3)] == [Verdict.ALLOWED] * 2 + [Verdict.NOTIFY]


def test_idle_users_are_forgotten(log: QuestionLog) -> None:
    clock = Clock()
    limiter = RateLimiter(log, 5, 30, clock=clock)
    for user in range(50):
        limiter.take(user)
    clock.now += 31
    limiter.take(ALICE)
    with log.database.read() as db:
        assert db.scalar("SELECT count(*) FROM rate_limits") == 1


def test_replicas_on_one_database_share_the_limit_even_at_the_same_instant(
        tmp_path: Path, database_url: str, log: QuestionLog) -> None:
    """Two processes' limiters (each its own engine, as on two machines), hammered at once
    from threads: exactly `capacity` messages pass, and exactly one notice is given."""
    other = QuestionLog.open(tmp_path, "secret-1", url=database_url)
    clock = Clock()
    replicas = [RateLimiter(log, 5, 30, clock=clock), RateLimiter(other, 5, 30, clock=clock)]
    barrier = threading.Barrier(8)
    verdicts: list[Verdict] = []

    def user_sends(replica: RateLimiter) -> None:
        barrier.wait()
        for _ in range(5):
            verdicts.append(replica.take(ALICE))

    threads = [threading.Thread(target=user_sends, args=(replicas[i % 2],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert Counter(verdicts) == {Verdict.ALLOWED: 5, Verdict.NOTIFY: 1, Verdict.SILENT: 34}


def test_erasing_ones_data_does_not_reset_ones_rate_limit(log: QuestionLog) -> None:
    limiter = RateLimiter(log, 1, 30, clock=Clock())
    assert limiter.take(ALICE) is Verdict.ALLOWED
    log.forget_user(ALICE)
    assert limiter.take(ALICE) is Verdict.NOTIFY


def test_a_limit_must_make_sense(log: QuestionLog) -> None:
    with pytest.raises(ValueError):
        RateLimiter(log, 0, 30)
