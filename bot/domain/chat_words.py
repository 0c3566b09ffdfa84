"""A citizen's chat shorthand, spelled out: "phat bn tien", "lam ho chieu bao lau thi lay dc".

On Telegram people type "bn" for "bao nhiêu", "dc" for "được", "ko" for "không". Every rule
that reads what is asked ("bao nhiêu" asks a number) and every word the search matches is
written out in full, so the shorthand is replaced before the question is read: with marks in
a question typed with them, without in one typed without (a question's marks decide how the
rest of it is read). Only shorthand with one meaning is listed: "dk" is "đăng ký" as often as
"điều kiện", "hong" is also "hồng", "bh" also "bảo hiểm".
"""

from __future__ import annotations

import re

from index import fold, has_diacritics, nfc

# shorthand -> the words it stands for, with their marks
_SHORTHAND = {
    "bn": "bao nhiêu", "bnh": "bao nhiêu", "bnhieu": "bao nhiêu", "bnhiu": "bao nhiêu",
    "bjo": "bao giờ", "bgio": "bao giờ", "bgjo": "bao giờ",
    "j": "gì", "ntn": "như thế nào",
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "hok": "không", "hk": "không",
    "khum": "không", "dc": "được", "đc": "được",
    "trc": "trước", "mn": "mọi người", "mng": "mọi người", "ng": "người", "lm": "làm",
    "cx": "cũng", "vs": "với", "mk": "mình", "mik": "mình", "z": "vậy", "dzậy": "vậy",
    "sdt": "số điện thoại", "sđt": "số điện thoại", "đag": "đang", "dag": "đang",
    "nhiu": "nhiều", "nhìu": "nhiều", "bik": "biết", "bít": "biết", "wa": "qua",
}
_WORD = re.compile(r"(?<![\w./-])(" + "|".join(
    re.escape(s) for s in sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w./-])",
    re.IGNORECASE)

_AFTER_A_NUMBER = re.compile(r"\d\s*$")


def spelled_out(question: str) -> str:
    """The question with its chat shorthand written in full (as typed: marks or none)."""
    question = nfc(question)
    marked = has_diacritics(question)

    def full(match: re.Match[str]) -> str:
        short = match.group(1)
        if len(short) == 1 and (short.isupper() or _AFTER_A_NUMBER.search(
                question[:match.start()])):
            return short  # "Gen Z", "50 k" (thousand dong)
        words = _SHORTHAND[short.lower()]
        return words if marked else fold(words)

    return _WORD.sub(full, question)
