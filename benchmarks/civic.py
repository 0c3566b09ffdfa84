"""Answers on real local-government pages: ../shared/data/civic_dev, scored the held-out way.

    python -m benchmarks.civic [--part design|check|all] [--misses] [--no-write]

Scored by benchmarks/scoring.py: correct = answered with an expected phrase in the quote and
the expected page cited (unanswerable: no quote). The 120 questions are split in two fixed
halves by id: `design` (odd numbers) is the one to look at while changing the answer code,
`check` (even numbers) is only scored. Writes the "civic" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from benchmarks.scoring import arguments, finish, part_tables, score_parts
from bot.domain.assistant import open_answerer
from bot.settings import BotSettings

CIVIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "civic_dev"


def main() -> None:
    args = arguments(__doc__)
    cases = [json.loads(line) for line in (CIVIC / "questions.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as scratch:
        settings = BotSettings(data_dir=Path(scratch), knowledge_dir=CIVIC / "knowledge",
                               _env_file=None)
        answerer = open_answerer(settings)
        outcomes = score_parts(answerer, cases, args.part)
    lines = ["## Answers on real local-government pages (civic_dev)", "",
             f"60 real pages and 120 questions from `../shared/data/civic_dev`; correct = answered "
             "with an expected phrase in the quote and the right page cited (unanswerable: no "
             "quote). `design` = odd question ids (looked at while designing), `check` = even "
             f"ids (only scored). Machine load at start {os.getloadavg()[0]:.1f}. "
             "`python -m benchmarks.civic`.", ""]
    lines += part_tables(outcomes)
    finish("\n".join(lines), outcomes, "civic", misses=args.misses, write=not args.no_write)


if __name__ == "__main__":
    main()
