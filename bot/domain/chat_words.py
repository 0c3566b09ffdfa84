"""A citizen's chat shorthand, spelled out: "phat bn tien", "lam ho chieu bao lau thi lay dc".

On Telegram people type "bn" for "bao nhiêu", "dc" for "được", "ko" for "không". Every rule
that reads what is asked ("bao nhiêu" asks a number) and every word the search matches is
written out in full, so the shorthand is replaced before a Vietnamese question is read: with
marks in a question read as typed with them, without in one read as typed without (the
spelling must not change how the rest is read). Only lower-case shorthand with one meaning in
a question is listed: "mk" is also "mật khẩu", "MN" "mầm non", "hk" "học kỳ", "KH" "khách
hàng", "bít" a word ("cống bị bít"), "dk" "đăng ký" or "điều kiện".
"""

from __future__ import annotations

import re

from index import UPPER, fold, nfc

# shorthand -> the words it stands for, with their marks
_SHORTHAND = {
    "bn": "bao nhiêu", "bnh": "bao nhiêu", "bnhieu": "bao nhiêu", "bnhiu": "bao nhiêu",
    "bjo": "bao giờ", "bgio": "bao giờ", "bgjo": "bao giờ",
    "j": "gì", "ntn": "như thế nào",
    "ko": "không", "k": "không", "khg": "không", "hok": "không", "khum": "không",
    "dc": "được", "đc": "được",
    "trc": "trước", "mng": "mọi người", "ng": "người", "lm": "làm", "cx": "cũng", "vs": "với",
    "mik": "mình", "dzậy": "vậy", "sdt": "số điện thoại", "sđt": "số điện thoại",
    "đag": "đang", "dag": "đang", "nhiu": "nhiều", "nhìu": "nhiều", "bik": "biết",
    "wa": "qua", "hsg": "học sinh giỏi", "gv": "giáo viên",
}
_WORD = re.compile(r"(?<![\w./&-])(" + "|".join(
    re.escape(s) for s in sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w./&-])",
    re.IGNORECASE)
# "50 k" is fifty thousand dong, "điểm k khoản 5" a lettered point of a decree, "a, b, k" a
# list of them.
_NOT_NO = re.compile(r"(?:\d|\b(?:điểm|diem|khoản|khoan|mục|muc|tiết|tiet)|,)\s*$",
                     re.IGNORECASE)
_CAPITALISED_NEXT = re.compile(rf"\s+[{UPPER}]")


def spelled_out(question: str, marked: bool) -> str:
    """A Vietnamese question with its chat shorthand written in full: with marks when the
    question is read as `marked`, without otherwise. Shorthand counts in lower case (or as
    the question's capitalised first word: "K biết nộp ở đâu"); "ng" before a name ("bà ng
    Thị Lan") is an initial."""
    question = nfc(question)

    def full(match: re.Match[str]) -> str:
        short, start = match.group(1), match.start()
        opening = start == 0 and short[0].isupper() and (short[1:].islower() or not short[1:])
        if not (short.islower() or opening):
            return short  # "HK dollars", "Trường MN", "Washington DC"
        key = short.lower()
        if key == "k" and _NOT_NO.search(question[:start]):
            return short
        if key == "ng" and _CAPITALISED_NEXT.match(question, match.end()):
            return short
        words = _SHORTHAND[key] if marked else fold(_SHORTHAND[key])
        return words.capitalize() if opening else words

    return _WORD.sub(full, question)
