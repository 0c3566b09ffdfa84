"""How the answer benchmarks score a question: one rule for `civic` and `answers`.

A question counts as correct when the bot answers, the quote contains one of the expected
phrases (after NFC) and the cited articles include the expected one. An unanswerable question
(near miss, out of scope, small talk) counts as correct when the bot does not quote an article.
Question sets are split in two fixed halves by id: `design` (odd numbers) is the one to look at
while changing the answer code, `check` (even numbers) is only scored.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.results_file import write_section

KINDS = ("accented", "unaccented", "english", "followup", "near_miss", "out_of_scope",
         "smalltalk")
PARTS = ("design", "check")


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
        # civic_dev names the file ("001-….md"), answer_questions the article id (its stem).
        right_page = case["article"].removesuffix(".md") + ".md" in cited
        correct = quoted and phrase and right_page
    else:
        correct = not quoted
    return Outcome(case, quoted, correct, answer.text, cited, answer.confidence, ms)


def answer_in_context(answerer, case: dict):
    """Follow-ups are asked after their earlier turn, the way a chat would."""
    context = case.get("context") or []
    return answerer.answer(case["question"], after=context[-1] if context else None)


def table(outcomes: list[Outcome]) -> list[str]:
    """Markdown rows: per kind, how many are correct, answered wrongly, refused."""
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


def score_parts(answerer, cases: list[dict], part: str = "all") -> dict[str, list[Outcome]]:
    """Every case of the chosen half (or of both, keyed by half), scored."""
    parts = PARTS if part == "all" else (part,)
    return {name: [ask(answerer, c) for c in cases if in_part(c, name)] for name in parts}


def part_tables(outcomes: dict[str, list[Outcome]]) -> list[str]:
    """One headed table per half, with its median answer time."""
    lines: list[str] = []
    for part, group in outcomes.items():
        lines += [f"**{part}** ({len(group)} questions, answer p50 "
                  f"{statistics.median(o.ms for o in group):.0f} ms)", "", *table(group), ""]
    return lines


def print_misses(outcomes: dict[str, list[Outcome]]) -> None:
    for part, group in outcomes.items():
        for o in group:
            if not o.correct:
                c = o.case
                print(f"[{part}] {c['id']} {c['kind']} {o.verdict} conf={o.confidence:.2f} "
                      f"want={c.get('article')} {c.get('expect_any')}\n   Q: {c['question']}"
                      f"\n   A: {o.text[:220]!r}\n   cited: {o.cited}")


def finish(report: str, outcomes: dict[str, list[Outcome]], section: str, *, misses: bool,
           write: bool, dump: Path | None = None) -> None:
    """Print the report (and every miss), then write it into its section of RESULTS.md;
    `dump` appends every outcome as a JSON line (to study the confidence threshold)."""
    print(report)
    if misses:
        print_misses(outcomes)
    if dump is not None:
        with dump.open("a", encoding="utf-8") as out:
            for part, group in outcomes.items():
                for o in group:
                    out.write(json.dumps({"set": section, "part": part, "id": o.case["id"],
                                          "kind": o.case["kind"], "question": o.case["question"],
                                          "verdict": o.verdict,
                                          "confidence": round(o.confidence, 3)},
                                         ensure_ascii=False) + "\n")
    if write:
        write_section(section, report)


def arguments(description: str | None, sets: tuple[str, ...] = (),
              default_set: str | None = None) -> argparse.Namespace:
    """The options every answer benchmark takes: which half, print the misses, write or not,
    and, where a benchmark has several question sets (or groups of them), which."""
    parser = argparse.ArgumentParser(description=description)
    if sets:
        parser.add_argument("--set", choices=sets, default=default_set or sets[0])
    parser.add_argument("--part", choices=("design", "check", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="Print every miss.")
    parser.add_argument("--no-write", action="store_true", help="Do not touch RESULTS.md.")
    parser.add_argument("--dump", type=Path, help="Append every outcome to this JSON lines file.")
    return parser.parse_args()
