"""Per-user token buckets: a burst is cut short with one notice; other users never notice."""

from __future__ import annotations

import pytest

from bot.domain.ratelimit import RateLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_gets_capacity_answers_one_notice_then_silence() -> None:
    limiter = RateLimiter(5, 30, clock=Clock())
    verdicts = [limiter.take("alice") for _ in range(20)]
    assert verdicts[:5] == [Verdict.ALLOWED] * 5
    assert verdicts[5] is Verdict.NOTIFY
    assert verdicts[6:] == [Verdict.SILENT] * 14


def test_other_users_are_unaffected() -> None:
    limiter = RateLimiter(5, 30, clock=Clock())
    for _ in range(20):
        limiter.take("alice")
    assert limiter.take("bob") is Verdict.ALLOWED


def test_the_bucket_refills_and_the_notice_comes_again_next_time() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 30, clock=clock)
    for _ in range(7):
        limiter.take("alice")
    clock.now += 6  # one token per 6 s
    assert limiter.take("alice") is Verdict.ALLOWED
    assert limiter.take("alice") is Verdict.NOTIFY
    clock.now += 30
    assert [limiter.take("alice") for _ in range(6)] == [Verdict.ALLOWED] * 5 + [Verdict.NOTIFY]


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 30, clock=clock)
    for user in range(1000):
        limiter.take(user)
    clock.now += 31
    limiter.take("new")
    assert len(limiter._buckets) == 1


def test_a_limit_must_make_sense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, 30)
