"""Answer quality on the sample knowledge, and calibration of the "not covered" threshold.

    python benchmarks/answers.py [--vicov 300]

Answerable: benchmarks/data/sample_questions.jsonl (question, expected article, expected phrase).
Unanswerable: benchmarks/data/off_topic_questions.txt plus ViCoV19QA health questions, which
the local-government articles cannot answer. Writes the "answers" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results_file import write_section  # noqa: E402
from bot.domain.answer import Answerer  # noqa: E402
from bot.settings import BotSettings  # noqa: E402
from index import Index  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
VICOV = ROOT.parent / "shared" / "data" / "qa" / "vicov19qa" / "queries_dev.jsonl"
THRESHOLDS = [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vicov", type=int, default=300, help="ViCoV19QA questions to use")
    args = parser.parse_args()
    answerable = [json.loads(line) for line in (DATA / "sample_questions.jsonl").open()]
    off_topic = [q.strip() for q in (DATA / "off_topic_questions.txt").open() if q.strip()]
    vicov = [json.loads(line)["question"] for line in VICOV.open()][: args.vicov]
    with tempfile.TemporaryDirectory() as scratch:
        settings = BotSettings(data_dir=Path(scratch), knowledge_dir=ROOT / "knowledge",
                               _env_file=None, answer_min_confidence=0.0)
        Index(settings).build(show_progress=False)
        answerer = Answerer(Index.open(settings), settings)
        good, latencies = [], []
        for case in answerable:
            started = time.perf_counter()
            answer = answerer.answer(case["question"])
            latencies.append((time.perf_counter() - started) * 1000)
            right_article = bool(answer.sources) and answer.sources[0].article_id.split("/")[
                -1].startswith(case["article"])
            correct = right_article and case["expect"] in answer.text
            good.append((case["question"], answer.confidence, correct, answer.text))
        bad = [(q, answerer.answer(q).confidence) for q in off_topic + vicov]
    lines = ["## Answers and the confidence threshold", "",
             f"{len(good)} answerable questions on the sample knowledge (accented, unaccented and "
             f"English), {len(off_topic)} off-topic questions and {len(vicov)} ViCoV19QA health "
             "questions that the sample articles cannot answer. `python benchmarks/answers.py`.",
             "", "| ANSWER_MIN_CONFIDENCE | answerable answered correctly | answered wrongly | "
             "unanswerable refused |", "|---|---|---|---|"]
    for threshold in THRESHOLDS:
        right = sum(1 for _, c, ok, _ in good if c >= threshold and ok)
        wrong = sum(1 for _, c, ok, _ in good if c >= threshold and not ok)
        refused = sum(1 for _, c in bad if c < threshold)
        lines.append(f"| {threshold:.2f} | {right}/{len(good)} | {wrong} | "
                     f"{refused}/{len(bad)} ({refused / len(bad):.1%}) |")
    lines += ["", f"Answer latency on the sample index: p50 {statistics.median(latencies):.0f} ms.",
              "", "Answerable questions the bot gets wrong or refuses at the default threshold "
              f"({BotSettings(_env_file=None).answer_min_confidence}):", ""]
    default = BotSettings(_env_file=None).answer_min_confidence
    for question, confidence, ok, text in good:
        if not ok or confidence < default:
            lines.append(f"- {question} (confidence {confidence:.2f}): {text[:120]}")
    worst = sorted(bad, key=lambda item: -item[1])[:5]
    lines += ["", "Most confident unanswerable questions:", ""]
    lines += [f"- {q} ({c:.2f})" for q, c in worst]
    report = "\n".join(lines)
    print(report)
    write_section("answers", report)


if __name__ == "__main__":
    main()
