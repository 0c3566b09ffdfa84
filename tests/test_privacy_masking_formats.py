"""Every common way of writing a phone, ID, account or plate number is masked (Decree 13)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.privacy import ACCOUNT, ID_NUMBER, PHONE, PLATE, mask_personal_data


@pytest.mark.parametrize(("typed", "placeholder"), [
    ("(024) 3825 1234", PHONE),
    ("(028) 3829 6789", PHONE),
    ("０９１２３４５６７８", PHONE),  # full-width digits
    ("＋84 912 345 678", PHONE),
    ("001-099-001-234", ID_NUMBER),  # a CCCD in dashed groups: no "-234" left behind
    ("001 099 001 234", ID_NUMBER),
    ("０01099012345", ID_NUMBER),
    ("STK 0011002345678", ACCOUNT),
    ("số tài khoản: 1903 4567 8901 23", ACCOUNT),
    ("thẻ 4111 1111 1111 1111", ACCOUNT),
    ("29A-123.45", PLATE),
    ("51F 12345", PLATE),
])
def test_identifying_numbers_in_any_common_format_are_masked(typed: str, placeholder: str) -> None:
    masked = mask_personal_data(f"Tôi là chủ {typed}, xin hỏi thủ tục")
    assert placeholder in masked
    assert not re.search(r"\d{3}", masked.translate({0xFF10 + i: str(i) for i in range(10)}))


def test_masking_keeps_the_year_next_to_a_phone_number() -> None:
    assert mask_personal_data("năm 2023 gọi 0912345678") == f"năm 2023 gọi {PHONE}"


_separator = st.sampled_from(["", " ", ".", "-"])


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["0", "+84 ", "84", "0084"]))
    digits = draw(st.text("0123456789", min_size=9, max_size=9))
    sep = draw(_separator)
    return prefix + digits[:2] + sep + digits[2:5] + sep + digits[5:]


@settings(max_examples=200, deadline=None)
@given(phone_numbers(), st.text(max_size=40))
def test_any_mobile_number_is_masked_whatever_surrounds_it(number: str, noise: str) -> None:
    masked = mask_personal_data(f"{noise} số của tôi {number} nhé")
    assert PHONE in masked
    assert number not in masked


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_masking_any_text_returns_text_and_never_grows_digits(text: str) -> None:
    masked = mask_personal_data(text)
    assert isinstance(masked, str)
    digits = sum(ch.isdecimal() for ch in text)
    assert sum(ch.isdecimal() for ch in masked) <= digits
