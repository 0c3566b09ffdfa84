"""What the running bot counts, for Prometheus at `/metrics`: questions per face, answered or
refused, answer latency; and, read when scraped, the index generation and size and the review
queue's depth. One registry per bot (tests run several in one process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.domain.answer import Answer

# Answers take tens of milliseconds alone, seconds under load or on a cold model.
LATENCY_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _Gauges(Collector):
    """Values read at scrape time: nothing to keep in step."""

    def __init__(self, read: Callable[[], dict[str, float]]) -> None:
        self._read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        values = self._read()
        for name, help_text in (
                ("hoidap_index_generation", "Generation of the index being served."),
                ("hoidap_index_passages", "Passages in the index being served."),
                ("hoidap_index_articles", "Articles in the index being served."),
                ("hoidap_review_queue_depth", "Questions awaiting a moderator's review.")):
            if name in values:
                yield GaugeMetricFamily(name, help_text, value=values[name])


class BotMetrics:
    """Counters every face updates through `observe`; `render` is the /metrics body."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter("hoidap_questions", "Questions answered (small talk excluded).",
                                 ["face"], registry=self.registry)
        self.outcomes = Counter("hoidap_answers", "Answers by outcome: answered or refused.",
                                ["outcome"], registry=self.registry)
        self.latency = Histogram("hoidap_answer_latency_seconds", "Time to answer a question.",
                                 ["face"], buckets=LATENCY_BUCKETS_S, registry=self.registry)

    def observe(self, face: str, answer: Answer, latency_s: float) -> None:
        if answer.small_talk is not None:
            return
        self.questions.labels(face).inc()
        self.outcomes.labels("answered" if answer.answered else "refused").inc()
        self.latency.labels(face).observe(latency_s)

    def watch(self, read: Callable[[], dict[str, float]]) -> None:
        """Add the values read when scraped (index, review queue)."""
        self.registry.register(_Gauges(read))

    def render(self) -> bytes:
        return generate_latest(self.registry)
