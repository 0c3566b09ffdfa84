"""Masking the personal data citizens type into questions, before anything is stored.

What identifies a person is masked whatever its format: phone numbers (mobile and landline,
with +84, brackets, spaces, dots or dashes), identity card numbers (9 or 12 digits, also in
groups), bank account and card numbers, vehicle plates and e-mail addresses. Full-width digits
are read as digits first, so "０９１２…" is no way around it. Amounts ("2.000.000 đồng"), dates,
decision numbers ("1234/QĐ-UBND") and dossier codes stay: they identify no one.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[số điện thoại]"
ID_NUMBER = "[số giấy tờ]"
ACCOUNT = "[số tài khoản]"
PLATE = "[biển số xe]"

# Full-width (and other Unicode) decimal digits -> ASCII, so one set of patterns sees them all.
_DIGITS = {code: str(int(chr(code))) for code in range(0x10000)
           if chr(code).isdecimal() and not chr(code).isascii()}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NOT_BEFORE = r"(?<![\w.,/+])"
_NOT_AFTER = r"(?![\w/]|[.,]\d)"
# Account and card numbers after the words that introduce them ("STK 0011 0023 45678").
_ACCOUNT = re.compile(
    r"(?i)(\b(?:stk|số\s+tài\s+khoản|tài\s+khoản|số\s+tk|tk|account(?:\s+number)?|"
    r"số\s+thẻ|thẻ\s+(?:atm|ngân\s+hàng)|card(?:\s+number)?)\s*(?:số\s*)?[:.]?\s*)"
    r"(\d(?:[ \-]?\d){5,18})" + _NOT_AFTER)
# A 16-digit card number in four groups, with or without the introducing words.
_CARD = re.compile(_NOT_BEFORE + r"\d{4}(?:[ \-]\d{4}){3}" + _NOT_AFTER)
# Vietnamese plates: province code, series letter(s), then 4-5 digits ("29A-123.45", "51F 12345").
_PLATE = re.compile(r"(?<![\w.])\d{2}[A-Z]{1,2}\d?[\- .]?\d{3}\.?\d{1,2}(?![\w])")
# Phone numbers: 0, +84, 0084 or 84, an optional bracketed area code, then 8-10 digits with
# spaces, dots or dashes between them ("0912 345 678", "(024) 3825 1234", "+84-912.345.678").
_PHONE = re.compile(
    r"(?<![\w.,+])(?<!\d-)(?:\(\s*(?:\+84|0)\s*\d{1,3}\s*\)|\+84|0084|84|0)"
    r"(?:[ .\-]?\d){7,10}" + _NOT_AFTER + r"(?![ \-]\d)")
# Identity cards: 9 (CMND) or 12 (CCCD) digits, whole or in groups split by spaces or dashes
# ("001-099-001-234"). Dots and commas are not used here: they group the digits of amounts.
_ID_NUMBER = re.compile(
    _NOT_BEFORE + r"(?<!84 )(?:\d{12}|\d{9}|\d{3}(?:[ \-]\d{3}){3}|\d{3}(?:[ \-]\d{3}){2}|"
    r"\d{4}[ \-]\d{4}[ \-]\d{4}|\d{2,4}[ \-]\d{3,4}[ \-]\d{4,6})" + _NOT_AFTER)


def mask_personal_data(text: str) -> str:
    """The text with what could identify a person replaced by placeholders."""
    text = text.translate(_DIGITS)
    text = _EMAIL.sub(EMAIL, text)
    text = _ACCOUNT.sub(lambda m: m.group(1) + ACCOUNT, text)
    text = _CARD.sub(ACCOUNT, text)
    text = _PLATE.sub(PLATE, text)
    text = _ID_NUMBER.sub(_id_or_amount, text)
    text = _PHONE.sub(PHONE, text)
    return text


def _id_or_amount(match: re.Match[str]) -> str:
    """Grouped digits are an identity number only when they add up to 9 or 12 digits."""
    digits = sum(ch.isdigit() for ch in match.group(0))
    return ID_NUMBER if digits in (9, 12) else match.group(0)
