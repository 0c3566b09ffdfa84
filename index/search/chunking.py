"""Paragraph-aware passages: the unit that is embedded, searched and quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.article import Article
from index.text import split_sentences


@dataclass(frozen=True)
class Passage:
    """A span of one article; `position` orders the passages of an article."""

    id: str
    article_id: str
    position: int
    text: str


def chunk_article(article: Article, target_words: int, overlap_words: int) -> list[Passage]:
    """Pack whole paragraphs (split long ones at sentences) into passages near `target_words`.

    The title opens the first passage, so a question that names the article finds it. The last
    sentences of a passage are repeated at the start of the next (about `overlap_words`) so a
    fact spanning a boundary stays whole in one of them.
    """
    units = _units(article.body, target_words) or [article.title]
    if article.title.strip():
        units[0:0] = [article.title.strip()]
    passages: list[list[str]] = []
    current: list[str] = []
    current_words = 0
    fresh = False  # does `current` hold anything beyond the overlap it started with?
    for unit in units:
        words = len(unit.split())
        if fresh and current_words + words > target_words:
            passages.append(current)
            current = _overlap(current, overlap_words)
            current_words = sum(len(u.split()) for u in current)
            fresh = False
        current.append(unit)
        current_words += words
        fresh = True
    if fresh:
        passages.append(current)
    return [
        Passage(id=f"{article.id}#{i}", article_id=article.id, position=i, text="\n".join(units_))
        for i, units_ in enumerate(passages)
    ]


def _units(body: str, target_words: int) -> list[str]:
    """Paragraphs, with any paragraph longer than the target split into its sentences."""
    units: list[str] = []
    for paragraph in (p.strip() for p in body.split("\n\n")):
        if not paragraph:
            continue
        paragraph = _rejoined(paragraph)
        if len(paragraph.split()) <= target_words:
            units.append(paragraph)
        else:
            units.extend(split_sentences(paragraph))
    return units


# A line of a table ("Phường 4 | 96 điểm") or a list ("- Bước 1: ...", "2) ...", "a) ...").
_STRUCTURED_LINE = re.compile(r"\s\|\s|^\s*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ]\))\s")


def _rejoined(paragraph: str) -> str:
    """A paragraph's wrapped lines joined into one; table rows and list items keep their own
    lines, so each row can be quoted alone ("IPV | 5 tháng đến < 1 tuổi")."""
    lines: list[str] = []
    for line in paragraph.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if lines and not _STRUCTURED_LINE.search(line) and not _STRUCTURED_LINE.search(lines[-1]):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _overlap(units: list[str], overlap_words: int) -> list[str]:
    """The trailing sentences of a passage that fit in `overlap_words`."""
    if overlap_words <= 0:
        return []
    tail: list[str] = []
    words = 0
    for unit in reversed(split_sentences(units[-1])):
        count = len(unit.split())
        if words + count > overlap_words:
            break
        tail.insert(0, unit)
        words += count
    return [" ".join(tail)] if tail else []
