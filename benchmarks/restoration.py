"""How well a question typed without diacritics gets them back, syllable by syllable.

    python -m benchmarks.restoration [--no-write]

Citizens often type "ai duoc tang huan chuong" for "ai được tặng huân chương"; the embedding
model and the accented word channel read the question as restored. Each question of a set
typed with its marks is folded, understood as the index understands it (the corpus's
restorer and the question words' own spelling), and compared with what the citizen would have
typed. A syllable written in another accepted spelling ("khỏe"/"khoẻ") counts as wrong: the
figure is a ceiling on the errors.

- ViCoV19QA: dev questions 301-1,300 (the 300 scored by `benchmarks.retrieval` are left out),
  restored from the passages of its 4,467 answers.
- civic_dev: every question written with marks, restored from its 60 local-government pages.

Writes the "restoration" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.results_file import write_section
from index import IndexSettings, chunk_article, load_knowledge
from index.evaluation import corpus_articles, read_jsonl
from index.search.index import with_title
from index.search.query import understand
from index.search.word_tables import build_word_tables
from index.text import diacritic_share, fold, syllables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
VICOV = DATA / "qa" / "vicov19qa"
CIVIC = DATA / "civic_dev"
SKIPPED, SCORED = 300, 1000
# A question is typed with its marks when most of its syllables carry one (English does not).
TYPED_WITH_MARKS = 0.5


@dataclass
class Tally:
    questions: int = 0
    syllables: int = 0
    wrong: int = 0
    whole_right: int = 0
    errors: Counter = field(default_factory=Counter)

    def add(self, typed: str, restored: str) -> None:
        want, got = syllables(typed), syllables(restored)
        self.questions += 1
        if len(want) != len(got):  # never seen: restoring keeps the syllables
            raise AssertionError(f"{typed!r} restored as {restored!r}")
        misses = [(w, g) for w, g in zip(want, got, strict=True) if w != g]
        self.syllables += len(want)
        self.wrong += len(misses)
        self.whole_right += not misses
        self.errors.update((fold(w), w, g) for w, g in misses)


def restoring(texts: Iterable[str], questions: Iterable[str]) -> Tally:
    """Restore each folded question with the tables an index of `texts` would hold."""
    tables = build_word_tables(texts)
    tally = Tally()
    for question in questions:
        if diacritic_share(question) < TYPED_WITH_MARKS:
            continue
        query = understand(fold(question), tables.folded.known_share, tables.restorer.restore)
        tally.add(question, query.readable)
    return tally


def _passages(articles, settings: IndexSettings) -> Iterable[str]:
    for article in articles:
        for passage in chunk_article(article, settings.chunk_words, settings.chunk_overlap_words):
            yield with_title(passage, article.title)  # what the word channels read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true",
                        help="print the table instead of writing it into RESULTS.md")
    args = parser.parse_args()
    settings = IndexSettings(_env_file=None)
    vicov = [q["question"] for q in read_jsonl(VICOV / "queries_dev.jsonl")]
    civic = [q["question"] for q in read_jsonl(CIVIC / "questions.jsonl")]
    sets = {
        f"ViCoV19QA dev {SKIPPED + 1}-{SKIPPED + SCORED}": restoring(
            _passages(corpus_articles(VICOV / "corpus.jsonl"), settings),
            vicov[SKIPPED:SKIPPED + SCORED]),
        "civic_dev, questions with marks": restoring(
            _passages(load_knowledge(CIVIC / "knowledge").articles, settings), civic),
    }
    lines = ["## Restoring diacritics", "",
             "Questions typed with their marks, folded and restored as the index restores "
             "them. `python -m benchmarks.restoration`.", "",
             "| set | questions | syllables | wrong syllables | questions restored whole |",
             "|---|---|---|---|---|"]
    for name, tally in sets.items():
        lines.append(f"| {name} | {tally.questions} | {tally.syllables} | {tally.wrong} "
                     f"({tally.wrong / max(tally.syllables, 1):.1%}) | {tally.whole_right} "
                     f"({tally.whole_right / max(tally.questions, 1):.0%}) |")
    for name, tally in sets.items():
        common = ", ".join(f"{folded} -> {got} for {want} ({n})"
                           for (folded, want, got), n in tally.errors.most_common(8))
        lines += ["", f"Most frequent errors, {name}: {common}."]
    if args.no_write:
        print("\n".join(lines))
    else:
        write_section("restoration", "\n".join(lines))


if __name__ == "__main__":
    main()
