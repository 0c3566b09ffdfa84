"""Retrieval evaluation on a labelled set, in a throw-away index that never touches DATA_DIR."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from index.corpus.article import Article
from index.search.embedding import CachedQueries, load_embedder
from index.search.embedding_cache import EmbeddingCache
from index.search.index import Index, Mode
from index.settings import IndexSettings
from index.text import fold, nfc


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
    return rows


def corpus_articles(path: Path) -> list[Article]:
    articles = []
    for row in read_jsonl(path):
        if "id" not in row or "text" not in row:
            raise ValueError(f"{path}: every line needs 'id' and 'text'")
        articles.append(Article(id=str(row["id"]), title=nfc(row.get("title") or ""),
                                body=nfc(row["text"]), url=row.get("url")))
    return articles


def run_eval(settings: IndexSettings, corpus: Path, queries: Path, *, k: int = 10,
             mode: Mode = "hybrid", cache_dir: Path | None = None, limit: int | None = None,
             fold_queries: bool = False, show_progress: bool | None = None) -> dict:
    """Recall@1/5/10 and MRR@10 over documents, and per-query latency."""
    articles = corpus_articles(corpus)
    labelled = read_jsonl(queries)[:limit]
    embedder = load_embedder(settings.embedding_model, engine=settings.embedding_engine)
    cache = EmbeddingCache(cache_dir, embedder.name, embedder.dim) if cache_dir else None
    with tempfile.TemporaryDirectory(prefix="index-eval-") as scratch:
        # Search reads no sentence vectors (answering does): embedding them would double the
        # build's work for nothing.
        scoped = settings.model_copy(update={"data_dir": Path(scratch),
                                             "sentence_vectors": False})
        # A cache of its own: each run's latencies include embedding its questions.
        index = Index(scoped, embedder=embedder, cache=cache, query_cache=CachedQueries(embedder))
        started = time.monotonic()
        index.build(articles, show_progress=show_progress)
        build_s = time.monotonic() - started
        ranks: list[int | None] = []
        latencies: list[float] = []
        depth = max(k, 10)
        for query in labelled:
            question = fold(query["question"]) if fold_queries else query["question"]
            relevant = {str(r) for r in query["relevant"]}
            started = time.perf_counter()
            hits = index.search(question, k=depth, mode=mode)
            latencies.append((time.perf_counter() - started) * 1000)
            ranks.append(next((rank for rank, hit in enumerate(hits, start=1)
                               if hit.article.id in relevant), None))
    if cache is not None:
        cache.close()
    count = len(ranks)

    def recall(n: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= n) / max(count, 1), 4)

    latencies.sort()
    return {
        "recall@1": recall(1),
        "recall@5": recall(5),
        "recall@10": recall(10),
        "mrr@10": round(sum(1 / r for r in ranks if r is not None and r <= 10) / max(count, 1), 4),
        "queries": count,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "p95_ms": round(latencies[int(0.95 * (count - 1))], 2) if latencies else 0.0,
        "mode": mode,
        "passages": index.stats().passages,
        "build_s": round(build_s, 1),
    }
