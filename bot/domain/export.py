"""The question log as CSV: one row per question, then one per curated answer.

Spreadsheets read Vietnamese from a file only with a BOM, so files get one; pseudonyms and
chat ids are never exported. Text starting like a formula (a citizen can type
`=HYPERLINK(...)`) is written as text, with a leading single quote, as spreadsheets expect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.domain.question_log import LoggedQuestion, QuestionLog

EXPORT_COLUMNS = ("kind", "id", "asked_at", "chat_type", "language", "question", "answer",
                  "answered", "confidence", "sources", "latency_ms", "feedback", "review_state",
                  "reviewed_at", "moderator_answer", "source_url")


# What makes a spreadsheet read a cell as a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: object) -> object:
    """A cell a spreadsheet shows as typed: text that would start a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(row: dict) -> dict:
    return {column: as_text(value) for column, value in row.items()}


def question_row(q: LoggedQuestion) -> dict:
    return {"kind": "question", "id": q.id, "asked_at": q.asked_at, "chat_type": q.chat_type,
            "question": q.question, "answer": q.answer, "answered": int(q.answered),
            "confidence": round(q.confidence, 3),
            "sources": " ".join(s.get("url") or s.get("title") or "" for s in q.sources),
            "latency_ms": q.latency_ms, "feedback": "" if q.feedback is None else q.feedback,
            "review_state": q.review_state, "reviewed_at": q.reviewed_at or "",
            "moderator_answer": q.moderator_answer or ""}


def write_csv(log: QuestionLog, out: TextIO, questions: Iterable[LoggedQuestion] | None = None,
              with_faq: bool = True) -> int:
    """Questions (all by default) then curated answers, one row each; returns the rows."""
    writer = csv.DictWriter(out, EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    rows = 0
    for q in log.questions() if questions is None else questions:
        writer.writerow(_safe(question_row(q)))
        rows += 1
    for c in log.all_curated() if with_faq else []:
        writer.writerow(_safe({"kind": "faq", "id": c.id, "asked_at": c.created_at,
                               "question": c.question, "answer": c.answer,
                               "source_url": c.source_url or ""}))
        rows += 1
    return rows


def export_csv(log: QuestionLog, path: Path) -> int:
    """Everything to a CSV file in UTF-8 with a BOM, so spreadsheets show Vietnamese."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        return write_csv(log, out)


def csv_text(log: QuestionLog, questions: Iterable[LoggedQuestion]) -> str:
    """Some questions as CSV text (no curated answers), for standard output."""
    out = io.StringIO()
    write_csv(log, out, questions, with_faq=False)
    return out.getvalue()
