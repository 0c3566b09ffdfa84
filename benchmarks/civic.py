"""Answers on real local-government pages: ../shared/data/civic_dev, scored the held-out way.

    python -m benchmarks.civic [--part design|check|all] [--misses] [--no-write]

A question counts as correct when the bot answers, the quote contains one of the expected
phrases (after NFC) and the cited articles include the expected page. An unanswerable question
(near miss, out of scope, small talk) counts as correct when the bot does not quote an article.
The 120 questions are split in two fixed halves by id: `design` (odd numbers) is the one to
look at while changing the answer code, `check` (even numbers) is only scored. Writes the
"civic" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.results_file import write_section
from bot.domain.assistant import open_answerer
from bot.settings import BotSettings

CIVIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "civic_dev"
KINDS = ("accented", "unaccented", "english", "followup", "near_miss", "out_of_scope",
         "smalltalk")


@dataclass
class Outcome:
    case: dict
    answered: bool
    correct: bool
    text: str
    cited: list[str]
    confidence: float
    ms: float

    @property
    def verdict(self) -> str:
        if self.correct:
            return "correct"
        return "wrong" if self.answered else "refused"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def in_part(case: dict, part: str) -> bool:
    number = int("".join(ch for ch in case["id"] if ch.isdigit()) or 0)
    return part == "all" or (number % 2 == 1) == (part == "design")


def ask(answerer, case: dict) -> Outcome:
    """One question (after its context, for follow-ups), scored."""
    started = time.perf_counter()
    answer = answer_in_context(answerer, case)
    ms = (time.perf_counter() - started) * 1000
    cited = [(getattr(s, "article_id", None) or s.id).rsplit("/", 1)[-1] + ".md"
             for s in answer.sources]
    quoted = answer.answered and answer.curated_id is None and bool(answer.sources)
    if case["answerable"]:
        phrase = any(nfc(p) in nfc(answer.text) for p in case["expect_any"])
        right_page = case["article"] in cited
        correct = quoted and phrase and right_page
    else:
        correct = not quoted
    return Outcome(case, quoted, correct, answer.text, cited, answer.confidence, ms)


def answer_in_context(answerer, case: dict):
    """Follow-ups are asked after their earlier turn, the way a chat would."""
    context = case.get("context") or []
    follow = getattr(answerer, "answer_after", None)
    if context and follow is not None:
        return follow(context[-1], case["question"])
    return answerer.answer(case["question"])


def table(outcomes: list[Outcome]) -> list[str]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.case["kind"]].append(outcome)
    lines = ["| kind | n | correct | answered wrongly | refused |", "|---|---|---|---|---|"]
    for kind in KINDS:
        group = by_kind.get(kind, [])
        if not group:
            continue
        counts = Counter(o.verdict for o in group)
        lines.append(f"| {kind} | {len(group)} | {counts['correct']} "
                     f"({counts['correct'] / len(group):.0%}) | {counts['wrong']} | "
                     f"{counts['refused']} |")
    counts = Counter(o.verdict for o in outcomes)
    lines.append(f"| **all** | {len(outcomes)} | {counts['correct']} "
                 f"({counts['correct'] / max(len(outcomes), 1):.0%}) | {counts['wrong']} | "
                 f"{counts['refused']} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=("design", "check", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="Print every miss.")
    parser.add_argument("--no-write", action="store_true", help="Do not touch RESULTS.md.")
    args = parser.parse_args()
    cases = [json.loads(line) for line in (CIVIC / "questions.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as scratch:
        settings = BotSettings(data_dir=Path(scratch), knowledge_dir=CIVIC / "knowledge",
                               _env_file=None)
        answerer = open_answerer(settings)
        outcomes = {part: [ask(answerer, c) for c in cases if in_part(c, part)]
                    for part in (("design", "check") if args.part == "all" else (args.part,))}
    lines = ["## Answers on real local-government pages (civic_dev)", "",
             f"60 real pages and 120 questions from `../shared/data/civic_dev`; correct = answered "
             "with an expected phrase in the quote and the right page cited (unanswerable: no "
             "quote). `design` = odd question ids (looked at while designing), `check` = even "
             f"ids (only scored). Machine load at start {os.getloadavg()[0]:.1f}. "
             "`python -m benchmarks.civic`.", ""]
    for part, group in outcomes.items():
        lines += [f"**{part}** ({len(group)} questions, answer p50 "
                  f"{statistics.median(o.ms for o in group):.0f} ms)", "", *table(group), ""]
    report = "\n".join(lines)
    print(report)
    if args.misses:
        for part, group in outcomes.items():
            for o in group:
                if not o.correct:
                    c = o.case
                    print(f"[{part}] {c['id']} {c['kind']} {o.verdict} conf={o.confidence:.2f} "
                          f"want={c.get('article')} {c.get('expect_any')}\n   Q: {c['question']}"
                          f"\n   A: {o.text[:220]!r}\n   cited: {o.cited}")
    if not args.no_write:
        write_section("civic", report)


if __name__ == "__main__":
    main()
