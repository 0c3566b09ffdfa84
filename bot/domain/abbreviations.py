"""Abbreviations as the words they stand for: articles write "PCT UBND" where a citizen asks
for the "phó chủ tịch", and citizens type "bhxh" for what an article spells out.

The table (abbreviations.tsv) is data, reviewed by hand. Matching works on folded syllables
and their adjacent pairs, the way scoring.py reads a text.
"""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

from index import fold, syllables

TABLE = Path(__file__).with_name("abbreviations.tsv")


def _pairs(words: list[str]) -> set[str]:
    return {f"{a}_{b}" for a, b in itertools.pairwise(words)}


@cache
def _table() -> tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str]], ...]:
    """(the abbreviation as one folded term, its terms, the expansion's syllables and pairs,
    the pairs that show the expansion is written out)."""
    entries = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, long = line.partition("\t")
        short_words, long_words = syllables(fold(short)), syllables(fold(long))
        if not 1 <= len(short_words) <= 2 or len(long_words) < 2:
            raise ValueError(f"{TABLE.name}: cannot use {line!r}")
        term = "_".join(short_words)  # "GD&ĐT" is the pair gd_dt, and the syllables gd, dt
        spelled = _pairs(long_words)
        entries.append((term, frozenset(short_words) | {term}, frozenset(long_words) | spelled,
                        frozenset(spelled)))
    return tuple(entries)


def with_abbreviations(context: set[str]) -> set[str]:
    """A text's folded terms, completed: an abbreviation it writes brings the words it stands
    for, and words it spells out bring their abbreviation."""
    for term, terms, expansion, spelled in _table():
        if term in context:
            context |= expansion
        elif spelled <= context:
            context |= terms
    return context
