"""Answers on real local-government pages: ../shared/data/civic_dev, scored the held-out way.

    python -m benchmarks.civic [--part design|check|all] [--set dev|extra|both] [--misses]
                               [--no-write]

Scored by benchmarks/scoring.py: correct = answered with an expected phrase in the quote and
the expected page cited (unanswerable: no quote). Two question sets over the same 60 pages:
civic_dev's own 120 (`dev`) and 120 more written by a second engineer who never read the answer
code (`extra`, benchmarks/data/civic_extra.jsonl). Each is split in two fixed halves by id:
`design` (odd numbers) is the one to look at while changing the answer code, `check` (even
numbers) is only scored. Writes the "civic" and "civic-extra" sections of RESULTS.md.
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
EXTRA = Path(__file__).resolve().parent / "data" / "civic_extra.jsonl"
SETS = {
    "dev": ("civic", "Answers on real local-government pages (civic_dev)",
            CIVIC / "questions.jsonl", "120 questions from `../shared/data/civic_dev`"),
    "extra": ("civic-extra", "Answers on real local-government pages: a second question set",
              EXTRA, "120 more questions (`benchmarks/data/civic_extra.jsonl`, written by an "
              "engineer who never read the answer code)"),
}


def main() -> None:
    args = arguments(__doc__, sets=tuple(SETS))
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        settings = BotSettings(data_dir=Path(scratch), knowledge_dir=CIVIC / "knowledge",
                               _env_file=None)
        answerer = open_answerer(settings)
        for name in SETS if args.set == "both" else (args.set,):
            section, heading, questions, described = SETS[name]
            cases = [json.loads(line) for line in questions.open(encoding="utf-8")]
            outcomes = score_parts(answerer, cases, args.part)
            lines = [f"## {heading}", "",
                     f"60 real pages of `../shared/data/civic_dev` and {described}; correct = "
                     "answered with an expected phrase in the quote and the right page cited "
                     "(unanswerable: no quote). `design` = odd question ids (looked at while "
                     f"designing), `check` = even ids (only scored). Machine load at start "
                     f"{load:.1f}. `python -m benchmarks.civic --set {name}`.", ""]
            lines += part_tables(outcomes)
            finish("\n".join(lines), outcomes, section, misses=args.misses,
                   write=not args.no_write)


if __name__ == "__main__":
    main()
