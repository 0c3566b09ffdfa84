"""Data tables as rows a reader (and the answerer) understands.

trafilatura draws a table as `| Phường 4 | 96,5 | 1 |` lines; quoted as they are, such a row
says nothing. Each row is written out with its column names instead: "Phường 4 — Điểm: 96,5 —
xếp thứ 1 (đứng đầu)." A running-number column ("STT") is dropped, and a rank column says
which row leads and which trails, so "phường nào đứng đầu/đứng cuối?" finds its row.
"""

from __future__ import annotations

import re

from index.text import fold

_ROW = re.compile(r"^\|.*\|$")
# Column names of a running number: not data.
_RUNNING_NUMBER = {"stt", "tt", "so tt", "so thu tu", "no", "#"}
# Column names of a rank.
_RANK = re.compile(r"^(xep hang|thu hang|hang|xep thu|thu tu xep hang|rank|ranking)$")
_INTEGER = re.compile(r"^\d{1,4}$")


def readable_tables(paragraphs: list[str]) -> list[str]:
    """The paragraphs, with each run of table rows written out row by row."""
    out: list[str] = []
    run: list[list[str]] = []
    for paragraph in [*paragraphs, ""]:
        if _ROW.match(paragraph.strip()):
            run.append(_cells(paragraph))
            continue
        if run:
            out += _rows_as_text(run)
            run = []
        if paragraph:
            out.append(paragraph)
    return out


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _rows_as_text(rows: list[list[str]]) -> list[str]:
    """A header row names the columns when every cell of it is a word, not a number."""
    width = len(rows[0])
    header = rows[0] if len(rows) > 1 and all(
        cell and not re.search(r"\d", cell) for cell in rows[0]) else None
    data = [row for row in (rows[1:] if header else rows) if any(row)]
    names = [fold(name).strip(" .:") for name in header] if header else [""] * width
    rank_column = next((i for i, name in enumerate(names) if _RANK.match(name)), None)
    ranks = [int(row[rank_column]) for row in data
             if rank_column is not None and rank_column < len(row)
             and _INTEGER.match(row[rank_column])]
    lines = []
    for row in data:
        parts = []
        for i, cell in enumerate(row):
            if not cell or (i < len(names) and names[i] in _RUNNING_NUMBER):
                continue
            if i == rank_column and _INTEGER.match(cell):
                parts.append(_rank_text(int(cell), ranks))
            elif header and i < len(header) and parts:  # the first cell is the row's subject
                parts.append(f"{header[i]}: {cell}")
            else:
                parts.append(cell)
        if parts:
            lines.append(" — ".join(parts).rstrip(".") + ".")
    return lines


def _rank_text(rank: int, ranks: list[int]) -> str:
    if rank == 1:
        return "xếp thứ 1 (đứng đầu)"
    if len(ranks) > 2 and rank == max(ranks):
        return f"xếp thứ {rank} (đứng cuối)"
    return f"xếp thứ {rank}"
