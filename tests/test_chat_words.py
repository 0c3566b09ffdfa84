"""Chat shorthand is read as the words it stands for, as the question is read: with marks or
without; English questions, names, codes and the shorthand of other words keep their letters."""

from __future__ import annotations

import pytest

from bot.domain.answer import Answerer
from bot.domain.asked import Kind, asked_for, carries
from bot.domain.chat_words import spelled_out


@pytest.mark.parametrize(("typed", "marked", "read"), [
    ("chay xe may co nong do con thi bi phat bn tien", False,
     "chay xe may co nong do con thi bi phat bao nhieu tien"),
    ("lam ho chieu bao lau thi lay dc k", False, "lam ho chieu bao lau thi lay duoc khong"),
    ("Có phải nộp phí k ạ?", True, "Có phải nộp phí không ạ?"),
    ("sđt của phường là j vậy", True, "số điện thoại của phường là gì vậy"),
    ("K biết nộp ở đâu", True, "Không biết nộp ở đâu"),
    # "rac ... dc k ạ" is read without marks: the spelling keeps it so.
    ("rac cong kenh thu gom dc k ạ", False, "rac cong kenh thu gom duoc khong ạ"),
    ("bao nhieu hs dat giai hsg", False, "bao nhieu hs dat giai hoc sinh gioi"),
])
def test_shorthand_is_spelled_out(typed: str, marked: bool, read: str) -> None:
    assert spelled_out(typed, marked) == read


@pytest.mark.parametrize("typed", [
    "giá vé 50 k", "điểm k khoản 5 Điều 6", "các điểm a, b, k", "Gen Z", "10 kg gạo",
    "bà ng Thị Lan", "Ng. Văn A", "Quên mk VNeID", "Trường MN Hoa Sen", "học phí hk 1",
    "Mã KH tiền điện", "Cống thoát nước bị bít", "Washington DC", "j&t express",
])
def test_letters_that_are_no_shorthand_stay(typed: str) -> None:
    assert spelled_out(typed, True) == typed


def test_a_count_in_shorthand_is_counted_in_what_it_stands_for() -> None:
    # "hs" is "học sinh" or "hồ sơ": left as typed, and counted as either.
    asked = asked_for("truong thcs hoang mai co bao nhieu hs dat giai")
    assert asked.kind is Kind.NUMBER and asked.unit == "hs"
    assert carries(asked, "Trường có 25 học sinh đạt giải học sinh giỏi thành phố.")
    assert not carries(asked, "Trường có 25 năm truyền thống.")


def test_a_question_in_shorthand_asks_what_it_spells() -> None:
    assert asked_for(spelled_out("bi phat bn tien", False)).kind is Kind.NUMBER


def test_the_answer_keeps_what_was_typed_and_english_keeps_its_letters(
        answerer: Answerer) -> None:
    typed = "dang ky khai sinh truc tuyen o dong da mat bn ngay"
    answer = answerer.answer(typed)
    assert answer.question == typed  # the log keeps the citizen's words
    assert answerer._spelled_out(typed) == (
        "dang ky khai sinh truc tuyen o dong da mat bao nhieu ngay")
    english = "Which ward leads the 2023 reform index, Hoan Kiem vs Ba Dinh?"
    assert answerer._spelled_out(english) == english
