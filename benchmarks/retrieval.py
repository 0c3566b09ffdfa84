"""Retrieval quality and speed on the labelled development sets, for every mode and query form.

    python -m benchmarks.retrieval [--limit 1000] [--datasets vicov19qa alqac2023]
        [--modes dense lexical hybrid] [--no-write]

Passage embeddings are cached in benchmarks/.cache (first run: minutes; later runs: seconds).
Writes the "retrieval" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
from pathlib import Path

from benchmarks.results_file import write_section
from index import IndexSettings, run_eval

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT.parent / "shared" / "data" / "qa"
DATASETS = {
    "vicov19qa": (DATA / "vicov19qa" / "corpus.jsonl", DATA / "vicov19qa" / "queries_dev.jsonl"),
    "alqac2023": (DATA / "alqac2023" / "corpus.jsonl", DATA / "alqac2023" / "queries_train.jsonl"),
}
MODES = ("dense", "lexical", "hybrid")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1000, help="queries per dataset")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--no-write", action="store_true",
                        help="print the table instead of writing it into RESULTS.md")
    args = parser.parse_args()
    settings = IndexSettings(_env_file=None)
    rows = []
    for name in args.datasets:
        corpus, queries = DATASETS[name]
        for folded in (False, True):
            for mode in args.modes:
                result = run_eval(settings, corpus, queries, k=10, mode=mode,
                                  cache_dir=args.cache, limit=args.limit, fold_queries=folded)
                form = "no diacritics" if folded else "as typed"
                print(name, form, result, flush=True)
                rows.append((name, form, result))
    lines = [
        "## Retrieval",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, {_cpus()} cores; "
        f"model `{settings.embedding_model}`, FAISS `{settings.faiss_factory}`, chunks of "
        f"~{settings.chunk_words} words (overlap {settings.chunk_overlap_words}); "
        f"first {args.limit} queries of each set. `python -m benchmarks.retrieval`.",
        "",
        "| set | questions | mode | R@1 | R@5 | R@10 | MRR@10 | p50 ms | p95 ms | passages "
        "| build s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, form, r in rows:
        lines.append(
            f"| {name} | {form} ({r['queries']}) | {r['mode']} | {r['recall@1']:.3f} | "
            f"{r['recall@5']:.3f} | {r['recall@10']:.3f} | {r['mrr@10']:.3f} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['passages']} | {r['build_s']} |"
        )
    lines += ["", "Latency is per question and includes embedding it (none in lexical mode). "
              "Build time is with cached passage embeddings; embedding itself runs at about "
              "10 passages/s on this machine when it is otherwise idle."]
    if args.no_write:
        print("\n".join(lines))
    else:
        write_section("retrieval", "\n".join(lines))


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
