"""Masking the personal data citizens type into questions, before anything is stored."""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[số điện thoại]"
ID_NUMBER = "[số giấy tờ]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 9-digit identity cards (CMND) and 12-digit citizen cards (CCCD), written as one number.
_ID_NUMBER = re.compile(r"(?<![\w.,])(?:\d{12}|\d{9})(?![\w]|[.,]\d)")
# Vietnamese mobile and landline numbers: 0 or +84/84, then 8-10 digits, spaces/dots/dashes
# allowed between digits ("0912 345 678", "+84-912.345.678", "024 3825 1234").
_PHONE = re.compile(r"(?<![\w.,+])(?:\+84|0084|84|0)(?:[ .\-]?\d){8,10}(?![\w]|[.,]\d)")


def mask_personal_data(text: str) -> str:
    """The text with emails, ID card numbers and phone numbers replaced by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _ID_NUMBER.sub(ID_NUMBER, text)
    return _PHONE.sub(PHONE, text)
