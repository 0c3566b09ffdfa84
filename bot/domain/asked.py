"""What kind of fact a question asks for, and whether a quote carries one.

"Bao nhiêu tân binh?" wants a number of recruits, "khi nào?" a date, "ai?" a person or a body,
"ở đâu?" a place, "xã nào?" a named commune, "gồm những gì?" a list. A sentence that matches
the question's words but not the asked kind ("the meeting was held ...") is no answer: the
answerer takes the next candidate or refuses. Questions are read diacritics-folded, so the same
rules hold for text typed without marks; English question words are read too.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from index import CAPITALISED_WORD, fold, nfc


class Kind(enum.Enum):
    NUMBER = "number"  # bao nhiêu, mấy, how many, how much
    DATE = "date"  # khi nào, bao giờ, ngày nào, when
    PLACE = "place"  # ở đâu, địa chỉ, where
    PERSON = "person"  # ai, who
    NAMED = "named"  # xã nào, phường nào, which ward
    LIST = "list"  # gồm những gì, những ... nào, what ... include
    PHONE = "phone"  # số điện thoại, hotline


@dataclass(frozen=True)
class Asked:
    """The kind of fact asked for, and for a number, the unit it is counted in, if named."""

    kind: Kind | None
    unit: str | None = None  # folded first syllable after "bao nhiêu": "tan" (tân binh)


# Folded question forms, most specific first. Each pattern is searched in the folded question.
_RULES: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        (Kind.PHONE, r"\b(so dien thoai|sdt|hotline|duong day nong|phone number|"
                     r"telephone)\b"),
        (Kind.NUMBER, r"\b(bao nhieu|may (nguoi|ho|xa|phuong|lan|ngay|thang|nam|con|chiec|"
                      r"hoat dong|don vi|suat|can)|how many|how much|what (is the )?"
                      r"(number|amount|total))\b"),
        (Kind.DATE, r"\b(khi nao|bao gio|ngay nao|thang nao|nam nao|luc nao|thoi gian nao|"
                    r"may gio|gio nao|when|what (date|time|day)|which (date|day))\b"),
        (Kind.NAMED, r"\b(xa|phuong|quan|huyen|thon|ap|to dan pho|khu pho|tinh|thanh pho|"
                     r"truong|don vi|co quan|to chuc) nao\b|\bwhich (wards?|communes?|districts?|"
                     r"provinces?|city|cities|villages?|schools?|units?|agency|agencies)\b"),
        (Kind.LIST, r"\b(gom nhung|bao gom|gom co|nhung gi|nhung (hoat dong|noi dung|viec|"
                    r"giay to|ho so|xa|phuong|tuyen duong|duong|khu vuc|truong|ai) (nao|gi)|"
                    r"cac (buoc|giay to|ho so)|what (does|do) .+ include|which (streets|"
                    r"activities|documents|areas))\b"),
        (Kind.PLACE, r"\b(o dau|tai dau|noi nao|cho nao|dia chi|dia diem nao|where)\b"),
        (Kind.PERSON, r"(^|\s)(ai|who|whom)(\s|\?|$)"),
    ))
_UNIT = re.compile(r"\bbao nhieu (\w+)(?: (\w+))?|\bmay (nguoi|ho|xa|phuong|lan|ngay|thang|"
                   r"nam|con|chiec|don|suat|can|diem|tan|km|buoi|dot|truong)\b()")
# The unit a "which ... ?" question names, and how articles write it ("which ward" ->
# "phường Điện Biên"): a named answer must be of that kind.
_NAMED_UNIT = re.compile(r"\b(xa|phuong|quan|huyen|thon|ap|tinh|thanh pho|truong) nao\b|"
                         r"\bwhich (ward|commune|district|province|city|village|school)s?\b")
_WRITTEN_UNITS = {
    "phuong": "phường", "ward": "phường", "xa": "xã", "commune": "xã", "quan": "quận|huyện",
    "huyen": "huyện|quận", "district": "quận|huyện", "tinh": "tỉnh|thành phố",
    "province": "tỉnh", "thanh pho": "thành phố", "city": "thành phố", "thon": "thôn|ấp",
    "ap": "ấp|thôn", "village": "thôn|ấp|bản", "truong": "trường", "school": "trường",
}
# "bao nhiêu" followed by a word that is no unit but the rest of the sentence.
_NOT_UNITS = frozenset("""
la va thi o tai trong cho de duoc co nam thang ngay tien
""".split())

_NUMBER = re.compile(r"\d")
_NOT_COUNTS = re.compile(
    r"\b(?:(?:nam|ngay|thang)\s+)?\d{1,2}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{2,4})?\b|"
    r"\b(?:nam|thang|ngay)\s+\d{1,4}\b|\b(?:19|20)\d{2}\b")
_NUMERAL = r"(?:\d[\d.,]*|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|tram|nghin|ngan)"
# Counts written in words ("hai hoạt động"): only before a counted noun, since "ba" is also
# "Mrs" and "năm" also "year".
_NUMBER_WORDS = re.compile(
    r"\b(mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi) "
    r"(nguoi|ho|xa|phuong|lan|don vi|suat|can|hoat dong|tan binh|y kien|truong hop)\b")
_DATE = re.compile(
    r"\bthu ([2-7]|hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b|\bhang (ngay|tuan|thang)\b|"
    r"\d{1,2}\s*[/\-.]\s*\d{1,2}|"
    r"\b(ngay|thang|nam|gio|sang|chieu|toi|thu (hai|ba|tu|nam|sau|bay)|tuan|quy)\b\s*\w*\d|"
    r"\b(19|20)\d{2}\b|\b\d{1,2}\s*(h|gio)(\d{2})?\b")
_PHONE = re.compile(r"(\+84|\b0)[\d .\-]{8,13}\d|\[so dien thoai\]")
_PLACE = re.compile(
    r"\b(tai|o|dia chi|tru so|so nha|duong|pho|ngo|hem|thon|ap|to dan pho|khu pho|phuong|"
    r"xa|quan|huyen|tinh|thanh pho|hoi truong|nha van hoa|trung tam|uy ban|ubnd)\b")
_PERSON = re.compile(
    r"\b(ong|ba|dong chi|anh|chi|chu tich|pho chu tich|bi thu|giam doc|truong|chi huy|"
    r"ban|uy ban|ubnd|hdnd|phong|so|hoi|doan|cong an|mat tran|dang uy|cong ty|truong)\b")
# A capitalised word that does not open the sentence: a name of a person, a place, a body.
_NAME = re.compile(rf"(?<=[\s,;:(“\"']){CAPITALISED_WORD}")
# A list: items split by commas or semicolons, a bulleted or numbered line, a table row.
_LIST = re.compile(r"[,;].*[,;]|^\s*([-–•+*]|\d+[.)]|[a-z]\))\s|\|")


def asked_for(question: str) -> Asked:
    """The kind of fact a question asks for (None when it asks no particular kind)."""
    folded = fold(nfc(question))
    for kind, pattern in _RULES:
        if pattern.search(folded):
            unit = None
            if kind is Kind.NUMBER:
                match = _UNIT.search(folded)
                counted = match and (match.group(3) or (
                    match.group(1) if match.group(1) not in _NOT_UNITS else None))
                if counted:
                    percent = match.group(1, 2) == ("phan", "tram")
                    unit = PERCENT if percent else counted
                elif _MONEY_ASKED.search(folded):  # "tổng số tiền hỗ trợ bao nhiêu?"
                    unit = "tien"
            elif kind is Kind.NAMED and (named := _NAMED_UNIT.search(folded)):
                unit = named.group(1) or named.group(2)
            return Asked(kind, unit)
    return Asked(None)


def carries(asked: Asked, text: str) -> bool:
    """Whether a quote holds a fact of the asked kind (and, for a number, of its unit)."""
    if asked.kind is None:
        return True
    folded = fold(nfc(text))
    if asked.kind is Kind.NUMBER:
        return _has_count(folded, nfc(text).lower(), asked.unit)
    if asked.kind is Kind.DATE:
        return bool(_DATE.search(folded))
    if asked.kind is Kind.PHONE:
        return bool(_PHONE.search(folded))
    if asked.kind is Kind.PLACE:
        return bool(_PLACE.search(folded)) and bool(_NAME.search(nfc(text)))
    if asked.kind is Kind.PERSON:
        return bool(_PERSON.search(folded)) or bool(_NAME.search(nfc(text)))
    if asked.kind is Kind.NAMED:
        if asked.unit in _WRITTEN_UNITS:  # "phường nào": a ward by its name or number
            return bool(re.search(rf"(?i:\b(?:{_WRITTEN_UNITS[asked.unit]}))\s+"
                                  rf"(?:{CAPITALISED_WORD}|\d+\b)", nfc(text)))
        return bool(_NAME.search(nfc(text)))
    return bool(_LIST.search(folded))  # Kind.LIST


def _has_count(folded: str, written: str, unit: str | None) -> bool:
    """A number; when the question names its unit, a number shortly before that unit
    ("16 tân binh", "103 nghìn lượt khách", "464 triệu 700 đồng" for "bao nhiêu tiền")."""
    folded = _NOT_COUNTS.sub(" ", folded)  # "năm 2026", "2/9": a date is not how many
    if not (_NUMBER.search(folded) or _NUMBER_WORDS.search(folded)):
        return False
    if unit is None:
        return True
    if unit in _ANY_COUNT:
        return True
    if unit == PERCENT:
        return "%" in folded or "phan tram" in folded
    if unit in _MONEY:  # matched with its marks: "đồng" is money, "Đông" a place
        return bool(_MONEY_AMOUNT.search(written))
    return bool(re.search(rf"\b{_NUMERAL}(\s+\S+){{0,3}}?\s+{re.escape(unit)}\b", folded))


PERCENT = "%"
_MONEY_ASKED = re.compile(r"\b(so tien|kinh phi|tri gia|gia tri|ngan sach|muc phi|le phi|"
                          r"chi phi|muc ho tro|tien)\b(\s+\S+){0,4}\s+bao nhieu")
# People are counted as officials, members, households...: any count will do.
_ANY_COUNT = frozenset({"nguoi", "lan", "luot"})
_MONEY_AMOUNT = re.compile(r"\d[\d.,]*\s*(nghìn|ngàn|triệu|tỷ|đồng|đ\b|usd|vnđ|vnd)")
_MONEY = ("tien", "dong", "trieu", "ty", "nghin", "ngan", "usd", "vnd")
