"""Which years a text is about, so "năm 2021" is not answered with a sentence about 2022.

A year after "so với" or "cùng kỳ" is a comparison, not what the sentence reports; a range
("giai đoạn 2021-2025", "năm học 2024-2025") covers every year in it.
"""

from __future__ import annotations

import re

from index import fold, nfc

_YEAR = r"(?:19|20)\d{2}"
_RANGE = re.compile(rf"\b({_YEAR})\s*[-–/]\s*({_YEAR})\b")
_SINGLE = re.compile(rf"\b{_YEAR}\b")
# "so với năm 2021", "so với cùng kỳ 2021", "trước năm 2020": the year is a reference point.
_COMPARED = re.compile(rf"\b(so voi|cung ky|truoc|ke tu|tu nam)\s+(cung ky\s+)?(nam\s+)?{_YEAR}\b")
# "Nghị định 137/2020", "Quyết định số 12/2023/QĐ-UBND": a document's number, not a year.
_DOCUMENT = re.compile(rf"\b(nghi dinh|quyet dinh|thong tu|nghi quyet|ke hoach|cong van|chi thi|"
                       rf"luat|so)\s+(so\s+)?\d+\s*/\s*{_YEAR}\S*")
# A range longer than this is a plan's horizon ("2021-2030"), still about each of its years.
LONGEST_RANGE = 30


def years_asked(question: str) -> set[int]:
    """The years a question names."""
    return _years(fold(nfc(question)), drop_comparisons=False)


def years_about(text: str) -> set[int]:
    """The years a text reports on: named years, ranges expanded, comparisons left out."""
    return _years(fold(nfc(text)), drop_comparisons=True)


def _years(folded: str, drop_comparisons: bool) -> set[int]:
    folded = _DOCUMENT.sub(" ", folded)
    if drop_comparisons:
        folded = _COMPARED.sub(" ", folded)
    years: set[int] = set()
    for first, last in _RANGE.findall(folded):
        start, end = int(first), int(last)
        if 0 <= end - start <= LONGEST_RANGE:
            years.update(range(start, end + 1))
    folded = _RANGE.sub(" ", folded)
    years.update(int(y) for y in _SINGLE.findall(folded))
    return years
