"""Retrieval quality at several BM25_POSTINGS_BUDGET values, on the labelled development sets.

    python -m benchmarks.postings_budget [--budgets 0 1 1.5 2 3 4 6] [--limit 1000]
        [--datasets vicov19qa alqac2023] [--modes lexical hybrid]

What `python -m benchmarks.retrieval` measures (`run_eval`'s build, search and R@k / MRR@10),
but with one index per set and each question embedded once, every budget asked in turn: a
budget's rows differ from budget 0's only by what the budget leaves out. Prints a Markdown
table (R@1 / R@10 / MRR@10) and how many postings per passage the questions' lists hold.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.retrieval import DATASETS, ROOT
from index import IndexSettings
from index.evaluation import corpus_articles, read_jsonl
from index.search.embedding import CachedQueries, load_embedder
from index.search.embedding_cache import EmbeddingCache
from index.search.index import Index
from index.text import fold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budgets", nargs="+", type=float, default=[0, 1, 1.5, 2, 3, 4, 6])
    parser.add_argument("--limit", type=int, default=1000, help="queries per dataset")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--modes", nargs="+", default=["lexical", "hybrid"],
                        choices=["lexical", "hybrid"])
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    args = parser.parse_args()
    settings = IndexSettings(_env_file=None)
    embedder = load_embedder(settings.embedding_model)
    cache = EmbeddingCache(args.cache, embedder.name, embedder.dim)
    print("| set | questions | mode | " + " | ".join(f"budget {b:g}" for b in args.budgets)
          + " |")
    print("|---|---|---|" + "---|" * len(args.budgets))
    for name in args.datasets:
        corpus, queries = DATASETS[name]
        labelled = read_jsonl(queries)[:args.limit]
        with tempfile.TemporaryDirectory(prefix="budget-eval-") as scratch:
            scoped = settings.model_copy(update={"data_dir": Path(scratch),
                                                 "sentence_vectors": False})
            index = Index(scoped, embedder=embedder, cache=cache,
                          query_cache=CachedQueries(embedder))
            index.build(corpus_articles(corpus), show_progress=False)
            for folded in (False, True):
                asked = [(fold(q["question"]) if folded else q["question"],
                          {str(r) for r in q["relevant"]}) for q in labelled]
                form = f"{'no diacritics' if folded else 'as typed'} ({len(asked)})"
                for mode in args.modes:
                    cells = []
                    for budget in args.budgets:
                        index.settings = scoped.model_copy(
                            update={"bm25_postings_budget": budget})
                        cells.append(_quality(index, asked, mode))
                    print(f"| {name} | {form} | {mode} | " + " | ".join(cells) + " |",
                          flush=True)
                print(f"<!-- {name} {form}: {_postings(index, asked)} -->", flush=True)
    cache.close()


def _quality(index: Index, asked: list[tuple[str, set[str]]], mode: str) -> str:
    """R@1 / R@10 / MRR@10 over articles, as `run_eval` counts them."""
    ranks = []
    for question, relevant in asked:
        hits = index.search(question, k=10, mode=mode)
        ranks.append(next((rank for rank, hit in enumerate(hits, start=1)
                           if hit.article.id in relevant), None))
    found = [r for r in ranks if r is not None]
    count = max(len(ranks), 1)
    return (f"{sum(r <= 1 for r in found) / count:.3f} / {sum(r <= 10 for r in found) / count:.3f}"
            f" / {sum(1 / r for r in found if r <= 10) / count:.4f}")


def _postings(index: Index, asked: list[tuple[str, set[str]]]) -> str:
    """Postings per passage the questions' lists hold in each channel, p50 / p95."""
    parts = []
    for name in ("lexical", "folded"):
        channel = getattr(index._snapshot, name)
        read = []
        for question, _ in asked:
            query = index.understand(question)
            text = query.lexical if name == "lexical" or not query.unmarked else query.typed
            read.append(channel.postings_read(text) / channel.postings.size)
        parts.append(f"{name} {np.percentile(read, 50):.2f} / {np.percentile(read, 95):.2f}")
    return ", ".join(parts) + " postings per passage"


if __name__ == "__main__":
    main()
