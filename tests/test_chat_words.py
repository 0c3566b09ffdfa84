"""Chat shorthand is read as the words it stands for, as typed: with marks or without."""

from __future__ import annotations

import pytest

from bot.domain.asked import Kind, asked_for
from bot.domain.chat_words import spelled_out


@pytest.mark.parametrize(("typed", "read"), [
    ("chay xe may co nong do con thi bi phat bn tien", "chay xe may co nong do con thi bi phat "
     "bao nhieu tien"),
    ("lam ho chieu bao lau thi lay dc k", "lam ho chieu bao lau thi lay duoc khong"),
    ("Có phải nộp phí k ạ?", "Có phải nộp phí không ạ?"),
    ("sđt của phường là j vậy", "số điện thoại của phường là gì vậy"),
    # A thousand dong, a generation, a kilogram and an initial stay as they are.
    ("giá vé 50 k", "giá vé 50 k"), ("Gen Z", "Gen Z"), ("10 kg gạo", "10 kg gạo"),
    ("Ng. Văn A", "Ng. Văn A"),
])
def test_shorthand_is_spelled_out(typed: str, read: str) -> None:
    assert spelled_out(typed) == read


def test_a_question_in_shorthand_asks_what_it_spells() -> None:
    assert asked_for(spelled_out("bi phat bn tien")).kind is Kind.NUMBER
    # Spelled without marks, an unmarked question stays unmarked (read as typed so).
    assert spelled_out("lay dc k") == "lay duoc khong"
