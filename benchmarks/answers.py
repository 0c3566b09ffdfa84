"""Answer quality on the sample knowledge plus real news, and the "not covered" threshold.

    python -m benchmarks.answers [--part design|check|all] [--misses] [--no-write]

Knowledge: the ten articles of knowledge/samples and the news articles whose ids are listed in
benchmarks/data/answer_news_ids.txt, read from ../shared/data/news at run time and written as
Markdown into a temporary knowledge folder (the text belongs to its publishers; only the ids
are kept here). Questions: benchmarks/data/answer_questions.jsonl, every kind, scored by
benchmarks/scoring.py in its two halves (`design` = odd ids, `check` = even ids). The same
questions answered at threshold 0 calibrate ANSWER_MIN_CONFIDENCE. Writes the "answers"
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.news_knowledge import bodies, check_questions, write_news
from benchmarks.scoring import (
    Outcome,
    arguments,
    ask,
    finish,
    in_part,
    part_tables,
    score_parts,
)
from bot.domain.assistant import open_answerer
from bot.settings import BotSettings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = DATA / "answer_questions.jsonl"
NEWS_IDS = DATA / "answer_news_ids.txt"
SAMPLES = ROOT / "knowledge" / "samples"
THRESHOLDS = [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]


def write_knowledge(folder: Path) -> dict[str, str]:
    """Samples and the chosen news as Markdown under `folder`; their bodies by article stem."""
    shutil.copytree(SAMPLES, folder / "samples")
    write_news(NEWS_IDS, folder / "news")
    return bodies(folder)


def calibration(at_zero: list[Outcome], default: float) -> list[str]:
    """Answers given at threshold 0, judged as if each threshold had refused below it."""
    answerable = [o for o in at_zero if o.case["answerable"]]
    unanswerable = [o for o in at_zero if not o.case["answerable"]]
    lines = ["| ANSWER_MIN_CONFIDENCE | answerable answered correctly | answered wrongly | "
             "unanswerable refused |", "|---|---|---|---|"]
    for threshold in THRESHOLDS:
        right = sum(1 for o in answerable if o.correct and o.confidence >= threshold)
        wrong = sum(1 for o in answerable
                    if o.answered and not o.correct and o.confidence >= threshold)
        refused = sum(1 for o in unanswerable if not o.answered or o.confidence < threshold)
        mark = " (default)" if abs(threshold - default) < 1e-9 else ""
        lines.append(f"| {threshold:.2f}{mark} | {right}/{len(answerable)} | {wrong} | "
                     f"{refused}/{len(unanswerable)} ({refused / max(len(unanswerable), 1):.0%}) |")
    return lines


def main() -> None:
    args = arguments(__doc__)
    cases = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as scratch:
        knowledge = Path(scratch) / "knowledge"
        known = write_knowledge(knowledge)
        check_questions(cases, known, QUESTIONS.name)
        settings = BotSettings(data_dir=Path(scratch) / "data", knowledge_dir=knowledge,
                               _env_file=None)
        outcomes = score_parts(open_answerer(settings), cases, args.part)
        calibrating = open_answerer(BotSettings(data_dir=Path(scratch) / "data",
                                                knowledge_dir=knowledge, _env_file=None,
                                                answer_min_confidence=0.0))
        at_zero = [ask(calibrating, c) for c in cases if in_part(c, args.part)]
    news = len(known) - sum(1 for _ in SAMPLES.glob("*.md"))
    lines = ["## Answers and the confidence threshold", "",
             f"{len(cases)} questions of every kind on the {len(known) - news} sample articles "
             f"and {news} real news articles about local government "
             "(`benchmarks/data/answer_questions.jsonl`); correct = answered with an expected "
             "phrase in the quote and the right article cited (unanswerable: no quote). "
             "`design` = odd question ids, `check` = even ids. Machine load at start "
             f"{os.getloadavg()[0]:.1f}. `python -m benchmarks.answers`.", ""]
    lines += part_tables(outcomes)
    lines += [f"Calibration ({len(at_zero)} questions answered at threshold 0; a threshold "
              "refuses every answer whose confidence is below it):", "",
              *calibration(at_zero, settings.answer_min_confidence), ""]
    worst = sorted((o for o in at_zero if not o.case["answerable"] and o.answered),
                   key=lambda o: -o.confidence)[:5]
    lines += ["Most confident answers to unanswerable questions (threshold 0):", ""]
    lines += [f"- {o.case['question']} ({o.confidence:.2f})" for o in worst] or ["- none"]
    finish("\n".join(lines), outcomes, "answers", misses=args.misses, write=not args.no_write,
           dump=args.dump)


if __name__ == "__main__":
    main()
