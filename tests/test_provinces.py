"""A province a question names bare ("Hanoi students") must be the quoted article's."""

from __future__ import annotations

import pytest

from bot.domain.answer import Answerer
from bot.domain.provinces import provinces_named, tells_of_another


@pytest.mark.parametrize(("text", "named"), [
    ("How many Hanoi students won national prizes?", {"Hà Nội"}),
    ("Học sinh Hà Nội đạt bao nhiêu giải?", {"Hà Nội"}),
    ("Giá vé tàu TP.HCM đi Vũng Tàu bao nhiêu?", {"Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"}),
    ("Ho Chi Minh City bus fares at Tet", {"Thành phố Hồ Chí Minh"}),
    ("Sở GD&ĐT Hà Nội công bố điểm chuẩn", {"Hà Nội"}),
    ("Lễ hội ở Huế năm nay có gì?", {"Thừa Thiên Huế"}),
    ("Ho tro o HCM City va Tp.HCM", {"Thành phố Hồ Chí Minh"}),
    # The president's name: only the city's writings are listed ("TP", "Thành phố").
    ("Bảo tàng Hồ Chí Minh mở cửa mấy giờ?", set()),
    # Lower case: peace, two roads.
    ("hoa binh va hai duong", set()),
    # A ward, a street, a park, a road, a person by a name's word or by a title, a battle, an
    # ocean: named after a province, none of them is one.
    ("UBND phường Điện Biên, quận Ba Đình", set()), ("phố Huế, phường Phố Huế", set()),
    ("đường Điện Biên Phủ", set()), ("phố Lạng Sơn", set()), ("Đường Lạng Sơn", set()),
    ("công viên Hòa Bình", set()), ("xa lộ Hà Nội", set()), ("Ông Nguyễn Hòa Bình", set()),
    ("chị Hà Giang cho biết", set()), ("cô Huế", set()), ("Ms. Hue said", set()),
    ("tàu trên Thái Bình Dương", set()),
    # ...nor a street further down a list of streets; a list of provinces still names them.
    ("Đường Kinh Dương Vương, Hồng Bàng, Nguyễn Văn Luông, Hậu Giang, Bà Hom.", set()),
    ("Mưa lớn ở Hà Nội, Bắc Ninh, Hậu Giang.", {"Hà Nội", "Bắc Ninh", "Hậu Giang"}),
    ("Trụ sở: 12 đường Lê Duẩn, TP Buôn Ma Thuột, Đắk Lắk.", {"Đắk Lắk"}),  # an address
    ("Mưa lớn trên đường phố Hà Nội, Hải Phòng, Nam Định", {"Hải Phòng", "Nam Định"}),
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


def test_a_province_in_a_question_does_not_refuse_a_districts_own_article(
        answerer: Answerer) -> None:
    """The Ba Đình sample never writes "Hà Nội", and names "phường Điện Biên", a ward, not
    the province: a question naming Hà Nội is still answered from it."""
    answer = answerer.answer("Ở Hà Nội, phường nào dẫn đầu chỉ số cải cách hành chính năm 2023 "
                             "của quận Ba Đình?")
    assert answer.answered and "Ba Đình" in answer.sources[0].title


def test_a_city_in_lower_case_is_read_but_not_inside_a_web_address() -> None:
    assert provinces_named("học sinh tphcm nghỉ tết mấy ngày") == {"Thành phố Hồ Chí Minh"}
    assert provinces_named("hoc sinh ha noi nghi tet") == {"Hà Nội"}
    assert provinces_named("Truy cập dichvucong.hanoi.gov.vn hoặc www.hcm.edu.vn.") == set()
