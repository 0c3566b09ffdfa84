"""BM25 at scale: each word channel's CPU per question, and the hybrid search, on a generation.

    python benchmarks/word_channels.py DATA_DIR [--questions 100] [--out found.json]

Opens the generation under DATA_DIR (e.g. benchmarks/.cache/scale/data-1000000, written by
`python -m benchmarks.scale`) as the bot does and asks the first vicov19qa dev questions (long:
36-216 words and pairs), or those of `--questions-file` (benchmarks/data/civic_extra.jsonl:
short civic questions). Word
channels: each channel searched for the text `Index.search` gives it (50 passages), thread CPU,
twice (the first round warms the page cache). Hybrid: `Index.search` with the question's vector
cached (the first round embeds it), process CPU (all threads) and wall time. Run as a script, it
measures whatever `index` package is first on PYTHONPATH: point PYTHONPATH at an older checkout
to measure it on the same questions; `--out` keeps what each channel found, to compare two runs
(`--compare A.json B.json`: same passages and scores, order up to ties). The channels read
as `Index.search` reads them, within BM25_POSTINGS_BUDGET (set it in the environment to
compare budgets; `"budget"` in the output).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

QUESTIONS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "qa" / \
    "vicov19qa" / "queries_dev.jsonl"
PASSAGES = 50  # what Index.search asks each channel for (CANDIDATES_PER_CHANNEL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path, nargs="?")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--questions-file", type=Path, default=QUESTIONS,
                        help="JSON lines with a 'question' each (default: vicov19qa dev)")
    parser.add_argument("--out", type=Path, help="write what each channel found here")
    parser.add_argument("--no-hybrid", action="store_true")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        print(json.dumps(compare(*args.compare)))
        return
    print(json.dumps(measure(args.data_dir, args.questions_file, args.questions, args.out,
                             not args.no_hybrid)))


def measure(data_dir: Path, questions_file: Path, count: int, out: Path | None,
            hybrid: bool) -> dict:
    from bot.domain.assistant import limit_linear_algebra
    from index import Index, IndexSettings

    limit_linear_algebra(1)  # as the bot serves: its answer workers are the parallelism
    questions = [json.loads(line)["question"] for line in
                 questions_file.read_text(encoding="utf-8").splitlines()[:count]]
    started, cpu = time.perf_counter(), time.process_time()
    index = Index.open(IndexSettings(_env_file=None, data_dir=data_dir))  # reads the environment
    row: dict = {"open_s": round(time.perf_counter() - started, 2),
                 "open_cpu_s": round(time.process_time() - cpu, 2)}
    snapshot = index._snapshot
    budget = index.settings.bm25_postings_budget
    row["budget"] = budget
    asked = {"lexical": [], "folded": []}
    for question in questions:
        query = index.understand(question)
        asked["lexical"].append(query.lexical)
        asked["folded"].append(query.typed if query.unmarked else query.lexical)
    found: dict[str, list] = {}
    for name, channel in (("lexical", snapshot.lexical), ("folded", snapshot.folded)):
        times = []
        for round_ in range(2):
            for text in asked[name]:
                started = time.thread_time()
                channel.search(text, PASSAGES, budget)
                if round_:
                    times.append((time.thread_time() - started) * 1000)
        found[name] = [[i.tolist(), s.tolist()] for i, s in
                       (channel.search(text, PASSAGES, budget) for text in asked[name])]
        row |= _percentiles(f"{name}_cpu", times)
        row |= _percentiles(f"{name}_postings_per_passage",
                            [channel.postings_read(text, budget) / channel.postings.size
                             for text in asked[name]])
    if out:
        out.write_text(json.dumps(found))
    if hybrid:
        wall, cpu_times = [], []
        for round_ in range(2):  # the first round embeds each question (then cached)
            for question in questions:
                started, started_cpu = time.perf_counter(), time.process_time()
                index.search(question, k=5)
                if round_:
                    wall.append((time.perf_counter() - started) * 1000)
                    cpu_times.append((time.process_time() - started_cpu) * 1000)
        row |= _percentiles("hybrid_wall", wall) | _percentiles("hybrid_cpu", cpu_times)
    status = dict(line.split(":", 1) for line in
                  Path("/proc/self/status").read_text().splitlines() if ":" in line)
    row |= {f"{k.lower()}_mb": round(int(status[k].split()[0]) / 1024)
            for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}
    return row | {"load": round(os.getloadavg()[0], 2)}


def _percentiles(name: str, values: list[float]) -> dict:
    unit = "" if name.endswith("passage") else "_ms"
    return {f"{name}_p50{unit}": round(float(np.percentile(values, 50)), 2),
            f"{name}_p95{unit}": round(float(np.percentile(values, 95)), 2)}


def compare(a: Path, b: Path) -> dict:
    """Questions whose passages and scores differ, and those whose order differs beyond ties
    (passages of equal score in another order, or another of several passages tied at the
    cut)."""
    first, second = json.loads(a.read_text()), json.loads(b.read_text())
    differ = ties = questions = 0
    for name in first:
        for (ia, sa), (ib, sb) in zip(first[name], second[name], strict=True):
            questions += 1
            if sa != sb:
                differ += 1  # the scores in rank order are not the same list
            elif ia != ib:
                cut = sa[-1]  # which of the passages tied at the cut are kept may differ
                if all(set(_at(ia, sa, s)) == set(_at(ib, sb, s)) for s in set(sa) - {cut}):
                    ties += 1
                else:
                    differ += 1
    return {"questions": questions, "differ": differ, "tie_order_only": ties}


def _at(indices: list[int], scores: list[float], score: float) -> list[int]:
    return [i for i, s in zip(indices, scores, strict=True) if s == score]


if __name__ == "__main__":
    main()
