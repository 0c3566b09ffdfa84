"""A province a question names bare ("Hanoi students") must be the quoted article's."""

from __future__ import annotations

import pytest

from bot.domain.provinces import provinces_named, tells_of_another


@pytest.mark.parametrize(("text", "named"), [
    ("How many Hanoi students won national prizes?", {"Hà Nội"}),
    ("Học sinh Hà Nội đạt bao nhiêu giải?", {"Hà Nội"}),
    ("Giá vé tàu TP.HCM đi Vũng Tàu bao nhiêu?", {"Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"}),
    ("Ho Chi Minh City bus fares at Tet", {"Thành phố Hồ Chí Minh"}),
    ("Sở GD&ĐT Hà Nội công bố điểm chuẩn", {"Hà Nội"}),
    ("Lễ hội ở Huế năm nay có gì?", {"Thừa Thiên Huế"}),
    # A person's name, the president's name, and lower case (peace, two roads) are no province.
    ("Ông Nguyễn Hòa Bình phát biểu", set()),
    ("Bảo tàng Hồ Chí Minh mở cửa mấy giờ?", set()),
    ("hoa binh va hai duong", set()),
])
def test_provinces_are_read_as_written(text: str, named: set[str]) -> None:
    assert provinces_named(text) == named


def test_an_article_about_another_province_tells_of_another() -> None:
    asked = {"Hà Nội"}
    assert tells_of_another(asked, "Tỉnh Ninh Thuận tuyên dương 24 học sinh giỏi quốc gia.")
    # A ward's notice names no province: it may be about Hà Nội.
    assert not tells_of_another(asked, "Phường Hàng Bài tuyên dương học sinh giỏi.")
    # Named however written, in any case: the article is Hà Nội's.
    assert not tells_of_another(asked, "Học sinh HÀ NỘI và Ninh Thuận đạt giải.")
    assert not tells_of_another({"Thành phố Hồ Chí Minh"}, "Xe buýt ở TPHCM và Đồng Nai.")
