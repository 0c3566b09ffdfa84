"""The overview's charts drawn server-side as SVG shapes: one bar (or point) per day, so the
picture needs no script and no chart library."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.console_store import Day

WIDTH, HEIGHT, GAP = 600, 160, 2  # viewBox units; the SVG scales to the screen


@dataclass(frozen=True)
class Bar:
    day: str
    x: float
    y: float
    width: float
    height: float
    kind: str  # CSS class: answered, not-covered, by-moderators, up, down
    value: int


@dataclass(frozen=True)
class Point:
    day: str
    x: float
    y: float
    value: float


def stacked_bars(days: list[Day]) -> list[list[Bar]]:
    """Per day, bars stacked from the bottom: answered, not covered, by moderators."""
    peak = max((d.questions for d in days), default=0) or 1
    step = WIDTH / max(len(days), 1)
    columns = []
    for i, day in enumerate(days):
        bottom, column = float(HEIGHT), []
        for kind, value in (("answered", day.answered), ("not-covered", day.not_covered),
                            ("by-moderators", day.by_moderators)):
            height = HEIGHT * value / peak
            bottom -= height
            column.append(Bar(day.day, i * step + GAP / 2, bottom, step - GAP, height, kind,
                              value))
        columns.append(column)
    return columns


def paired_bars(days: list[Day]) -> list[list[Bar]]:
    """Per day, 👍 and 👎 side by side."""
    peak = max((max(d.up, d.down) for d in days), default=0) or 1
    step = WIDTH / max(len(days), 1)
    half = (step - GAP) / 2
    return [[Bar(day.day, i * step + GAP / 2 + j * half, HEIGHT - HEIGHT * value / peak, half,
                 HEIGHT * value / peak, kind, value)
             for j, (kind, value) in enumerate((("up", day.up), ("down", day.down)))]
            for i, day in enumerate(days)]


def share_line(days: list[Day]) -> list[Point]:
    """Per day, the share of questions answered (by the bot or by moderators), 0-100 %."""
    step = WIDTH / max(len(days), 1)
    return [Point(day.day, i * step + step / 2, HEIGHT - HEIGHT * day.answered_share,
                  round(100 * day.answered_share)) for i, day in enumerate(days)]
