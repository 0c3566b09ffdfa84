"""Personal data typed into a question is masked before anything stores it."""

from __future__ import annotations

import pytest

from bot.domain.privacy import EMAIL, ID_NUMBER, PHONE, mask_personal_data


@pytest.mark.parametrize("typed", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678",
    "+84912345678", "84912345678", "024 3825 1234", "(số 0987654321)",
])
def test_phone_numbers_are_masked(typed: str) -> None:
    masked = mask_personal_data(f"Gọi cho tôi theo số {typed} nhé")
    assert PHONE in masked
    assert not any(ch.isdigit() for ch in masked)


@pytest.mark.parametrize("typed", ["001099012345", "123456789"])
def test_nine_and_twelve_digit_id_numbers_are_masked(typed: str) -> None:
    masked = mask_personal_data(f"Số CCCD của tôi là {typed}, bị mất thì làm sao?")
    assert masked == f"Số CCCD của tôi là {ID_NUMBER}, bị mất thì làm sao?"


def test_emails_are_masked() -> None:
    masked = mask_personal_data("Gửi kết quả về nguyen.van-an+hoso@mail.hanoi.gov.vn giúp tôi")
    assert masked == f"Gửi kết quả về {EMAIL} giúp tôi"


@pytest.mark.parametrize("question", [
    "Thu ngân sách năm 2024 đạt 14.732 tỷ đồng?",
    "Lệ phí 2.000.000 đồng hay 100.000đ?",
    "Hạn nộp hồ sơ ngày 01/07/2024 phải không?",
    "Quyết định số 1234/QĐ-UBND ban hành khi nào?",
    "Diện tích 0,5 ha, tăng 15,9% so với năm 2021?",
    "Mã hồ sơ 1234567890123 tra cứu ở đâu?",
])
def test_ordinary_numbers_are_left_alone(question: str) -> None:
    assert mask_personal_data(question) == question
