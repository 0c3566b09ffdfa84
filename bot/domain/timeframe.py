"""Which years and days a text is about, so "năm 2021" is not answered with a sentence about
2022, nor "Quốc khánh 2/9" with the plan for another day.

A year after "so với" or "cùng kỳ" is a comparison, not what the sentence reports; a range
("giai đoạn 2021-2025", "năm học 2024-2025") covers every year in it. A day is a day and a
month, however written: "2/9", "02-09-2026", "ngày 2 tháng 9", "September 2", "2 September".
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


def school_years(text: str) -> set[tuple[int, int]]:
    """The two-year spans a text names ("năm học 2010-2011", "2022-2023 school year"): one
    school or season year, not its two calendar years. "Năm học 2011-2012" shares 2011 with
    "2010-2011", yet is another year."""
    folded = _DOCUMENT.sub(" ", fold(nfc(text)))
    return {(int(first), int(last)) for first, last in _RANGE.findall(folded)
            if int(last) - int(first) == 1}


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


_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
# A day and month as digits, "2/9" or "30-01": a share such as "48/48" is no valid day.
DAY_MONTH = rf"{_DAY}\s*[/-]\s*{_MONTH}"
# "2/9", "30-01-2026", "ngày 2 tháng 9" (a year may follow).
_DAY_MONTH = re.compile(rf"(?<![\d.,/]){DAY_MONTH}(?![\d]|[.,]\d)|"
                        rf"\bngay\s+{_DAY}\s+thang\s+{_MONTH}\b")
_DAY_SPAN = re.compile(rf"(?<![\d.,/])({_DAY})\s*(?:-|–|den|toi)\s*(?:ngay\s+)?({_DAY})\s*[/-]\s*"
                       rf"({_MONTH})(?![\d]|[.,]\d)")
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH_NUMBER = {name[:3]: number for number, name in enumerate(_MONTHS, start=1)}
_MONTH_NAME = rf"({'|'.join(m[:3] + f'(?:{m[3:]})?' for m in _MONTHS)})\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# "January 31", "31st of January"
_ENGLISH_DAY = re.compile(rf"\b{_MONTH_NAME}\s+({_DAY}){_ORDINAL}\b|"
                          rf"\b({_DAY}){_ORDINAL}\s+(?:of\s+)?{_MONTH_NAME}\b")


def days_asked(question: str) -> set[tuple[int, int]]:
    """The (day, month) dates a question names: "Quốc khánh 2/9", "on January 31"."""
    folded = fold(nfc(question))
    days = _days(folded)
    for match in _ENGLISH_DAY.finditer(folded):
        month, day = (match.group(1, 2) if match.group(1) else match.group(4, 3))
        if month[:3] == "may" and _COUNTED_AFTER.match(folded, match.end()):
            continue  # "quận 1 may giờ" is "mấy giờ" typed without marks, not 1 May
        days.add((int(day), _MONTH_NUMBER[month[:3]]))
    return days


# What "mấy" asks a number of, in a Vietnamese question typed without marks.
_COUNTED_AFTER = re.compile(r"\s+(?:gio|h|ngay|lan|nguoi|tieng|phut|thang|nam|tuan|buoi|"
                            r"cai|con|ho|xe|dot|diem|suat)\b")


def days_about(text: str) -> set[tuple[int, int]]:
    """The (day, month) dates a text names."""
    return _days(fold(nfc(text)))


def _days(folded: str) -> set[tuple[int, int]]:
    days = set()
    # "từ 1 đến 3/9", "1-3/9": every day of the span is named (and "1-3" is no 1 March).
    for match in _DAY_SPAN.finditer(folded):
        first, last, month = (int(n) for n in match.groups())
        days.update((day, month) for day in range(first, last + 1))
    for match in _DAY_MONTH.finditer(_DAY_SPAN.sub(" ", folded)):
        day, month = (int(n) for n in re.findall(r"\d+", match.group(0))[:2])
        days.add((day, month))
    return days


_MONTH_WORD = re.compile(rf"\bthang\s+({_MONTH})\b")
# "01/2021", "2-2021": a month and its year, no day.
_MONTH_YEAR = re.compile(rf"(?<![\d/.-])({_MONTH})\s*[/-]\s*{_YEAR}\b")
_ENGLISH_MONTH = re.compile(rf"\b{_MONTH_NAME}(?![a-z])")


def months_asked(question: str) -> set[int]:
    """The months a question names: "tháng 2/2021", "in February"."""
    folded = fold(nfc(question))
    months = {int(m) for m in _MONTH_WORD.findall(folded)}
    months |= {_MONTH_NUMBER[m[:3]] for m in _ENGLISH_MONTH.findall(folded)
               if m[:3] != "may" or re.search(r"\bin may\b", folded)}
    return months


def months_about(text: str) -> set[int]:
    """The months a text names, on their own or in its dates."""
    folded = fold(nfc(text))
    months = {int(m) for m in _MONTH_WORD.findall(folded)}
    months |= {int(m) for m in _MONTH_YEAR.findall(folded)}
    months |= {month for _, month in _days(folded)}
    months |= {_MONTH_NUMBER[m[:3]] for m in _ENGLISH_MONTH.findall(folded) if m[:3] != "may"}
    return months


# "Đợt tiếp theo là ngày nào?", "the next blood donation day": the next time, not the last.
_NEXT_ASKED = re.compile(r"\b(tiep theo|ke tiep|lan toi|ky toi|dot toi|sap toi|next|upcoming)\b")
# What a text says is still to come, read with its marks: folded, "sẽ" would be "sẻ" (share).
_COMING = re.compile(r"\b(sẽ|dự kiến|tiếp theo|kế tiếp|sắp|tới đây|lần tới|kỳ tới|đợt tới|"
                     r"will|next|upcoming)\b")


def asks_the_next(question: str) -> bool:
    """Whether a question asks about the next occurrence of something."""
    return bool(_NEXT_ASKED.search(fold(nfc(question))))


def tells_what_is_coming(text: str) -> bool:
    """Whether a text speaks of something still to come: a report of the last blood drive is
    no answer to when the next one is."""
    return bool(_COMING.search(nfc(text).lower()))


# Occasions a question may be about, each with the ways articles and questions name it
# (folded): "dịp Quốc khánh 2/9" is not answered with the plan for Tết.
_OCCASIONS = {
    "tet": r"tet(?! duong lich)|lunar new year",
    "new year": r"tet duong lich|new year'?s? (day|eve)",
    "national day": r"quoc khanh|national day",
    "reunification": r"giai phong mien nam|thong nhat dat nuoc|reunification day",
    "labour day": r"quoc te lao dong|labou?r day|may day",
    "hung kings": r"gio to|hung kings",
    "mid-autumn": r"trung thu|mid-autumn",
    "christmas": r"giang sinh|noel|christmas",
}
_OCCASION = {name: re.compile(rf"\b(?:{pattern})\b") for name, pattern in _OCCASIONS.items()}


def occasions(text: str) -> set[str]:
    """The holidays and festivals a text names."""
    folded = fold(nfc(text)).lower()
    return {name for name, pattern in _OCCASION.items() if pattern.search(folded)}
