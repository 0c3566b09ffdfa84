"""Extraction keeps the article and leaves the page furniture behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fakes.news_site import render_article
from index.errors import NoArticleError
from index.web.extract import extract_article, extract_text_file

PAGES = Path(__file__).resolve().parent.parent / "fakes" / "pages"
# Text that lives on the pages but is not the article.
FURNITURE = [
    "Bình chọn", "Theo bạn Hà Nội", "Thăm dò ý kiến", "Lượt xem", "lượt xem", "Chia sẻ",
    "Facebook", "Zalo", "In bài", "Tin liên quan", "Các tin khác", "Đọc nhiều nhất",
    "Trang chủ", "Giới thiệu", "Thủ tục hành chính", "Từ khóa", "Cơ quan chủ quản",
    "Bản quyền", "kịch bản", "Ảnh 1", "Xem kết quả", "Liên kết",
]


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _assert_no_furniture(text: str) -> None:
    for phrase in FURNITURE:
        assert phrase not in text, phrase


def test_portal_page_gives_title_date_publisher_and_only_the_article() -> None:
    article = extract_article(_page("hoan-kiem-thi-dua.html"), "http://127.0.0.1/tin/1.html")
    assert article.title == ("Quận Hoàn Kiếm đẩy mạnh các phong trào thi đua, tạo sức lan tỏa "
                             "sâu rộng")
    assert article.published == dt.date(2023, 2, 16)
    assert article.publisher == "Cổng thông tin điện tử quận Hoàn Kiếm"
    assert article.body.startswith("Sáng 18/2, Quận ủy")  # the lead outside the body container
    assert "tổng thu ngân sách Nhà nước trên địa bàn quận đạt 14.732 tỷ đồng" in article.body
    assert article.body.rstrip().endswith("Nguồn: Công Thọ - Kinhtedothi")
    _assert_no_furniture(article.body)


def test_photo_captions_printed_twice_do_not_reach_the_text() -> None:
    article = extract_article(_page("hoan-kiem-thi-dua.html"), "http://127.0.0.1/tin/1.html")
    assert "trao “Huân chương Lao động hạng Ba”" not in article.body
    assert "phát biểu tại hội nghị" not in article.body


def test_table_laid_out_portal_page_is_read_paragraph_by_paragraph() -> None:
    article = extract_article(_page("dong-da-khai-sinh.html"), "http://127.0.0.1/tin/2.html")
    assert article.title == "Quận Đống Đa: Đăng ký khai sinh trực tuyến tại 21 phường"
    assert article.published == dt.date(2023, 7, 10)  # only printed in the page
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("(Cổng TTĐT Đống Đa) - Từ ngày 1/7/2023")
    assert any(p.startswith("Hồ sơ gồm tờ khai điện tử") for p in paragraphs)
    assert "thao tác trên điện thoại" not in article.body  # the italic caption under the photo
    assert article.url == "https://dongda.hanoi.gov.vn/tin-tuc/dang-ky-khai-sinh-truc-tuyen.html"
    _assert_no_furniture(article.body)


def test_templated_page_with_captions_and_poll() -> None:
    page = render_article(
        "Phường Yên Hòa công bố lịch thu gom rác mới",
        ["Từ ngày 1/4, xe thu gom rác sinh hoạt hoạt động từ 18 giờ đến 22 giờ hằng ngày "
         "trên các tuyến phố của phường Yên Hòa.",
         "Người dân để rác đúng nơi quy định, phân loại rác tái chế và không đổ rác sau 22 giờ."],
        dt.date(2024, 3, 18), site_name="Cổng thông tin điện tử quận Cầu Giấy",
        captions=["Công nhân môi trường thu gom rác trên phố Trần Duy Hưng"],
        lead="UBND phường Yên Hòa thay đổi giờ thu gom rác để giảm ùn tắc giờ cao điểm.")
    article = extract_article(page, "http://127.0.0.1/tin/3.html")
    assert article.published == dt.date(2024, 3, 18)
    assert article.body.split("\n\n")[0].startswith("UBND phường Yên Hòa thay đổi giờ thu gom")
    assert "Trần Duy Hưng" not in article.body
    _assert_no_furniture(article.body)


def test_scripts_are_never_run_nor_read() -> None:
    page = _page("hoan-kiem-thi-dua.html")
    article = extract_article(page, None)
    assert "document.write" not in article.body and "dataLayer" not in article.body
    assert "Bình chọn ngay" not in article.body


def test_list_of_headlines_is_not_an_article() -> None:
    with pytest.raises(NoArticleError, match="no article text"):
        extract_article(_page("category-page.html"), "http://127.0.0.1/tin-tuc")


def test_empty_shell_drawn_by_scripts_is_not_an_article() -> None:
    shell = ('<html><head><title>Cổng thông tin</title></head><body><div id="root"></div>'
             '<script src="/app.js"></script></body></html>')
    with pytest.raises(NoArticleError):
        extract_article(shell, "http://127.0.0.1/spa")


def test_pasted_seed_text_keeps_title_date_and_body_without_debris() -> None:
    article = extract_text_file((PAGES / "seed-hoan-kiem.txt").read_text(encoding="utf-8"))
    assert article.title == ("Quận Hoàn Kiếm đẩy mạnh các phong trào thi đua, tạo sức lan tỏa "
                             "sâu rộng")  # the breadcrumb line above it is skipped
    assert article.published == dt.date(2023, 2, 16)
    assert article.body.startswith("Sáng 18/2, Quận ủy - HĐND - UBND")
    assert "Theo bạn Hà Nội có nên xây dựng thành phố thông minh" not in article.body
    assert "Bí thư Quận ủy Vũ Đăng Định phát biểu tại hội nghị" not in article.body
    assert "Ảnh 1" not in article.body and "Lượt xem" not in article.body
    assert "Nguồn: Công Thọ - Kinhtedothi" in article.body


def test_wordpress_taxonomy_classes_do_not_hide_the_post() -> None:
    paragraphs = "".join(
        f"<p>Đoạn {i}: UBND phường Yên Hòa thông báo lịch thu gom rác thải sinh hoạt mới áp dụng "
        "từ ngày 1 tháng 4 trên các tuyến phố chính của phường.</p>" for i in range(3))
    sidebar = "".join(f"<li><a href='/t{i}'>Tin khác số {i} về hoạt động của quận trong "
                      "tuần qua và kế hoạch tháng tới</a></li>" for i in range(40))
    page = (f"<html><body><div id='post-12' class='post-12 post type-post tag-moi-truong "
            f"category-tin-tuc'><h1>Phường Yên Hòa đổi lịch thu gom rác</h1>{paragraphs}</div>"
            f"<div class='recent'><ul>{sidebar}</ul></div></body></html>")
    article = extract_article(page, "http://127.0.0.1/tin/4.html")
    assert article.body.count("UBND phường Yên Hòa thông báo") == 3
