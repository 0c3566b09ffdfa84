"""A ranking table on a portal page becomes rows a reader understands, and answers "which
ward ranked first/last"."""

from __future__ import annotations

from pathlib import Path

from bot.domain.answer import Answerer
from bot.settings import BotSettings
from fakes.news_site import NewsSite, Page, site_settings
from index import Index, Library, extract_article

RANKING_PAGE = """<html><head><title>Quận 3 công bố chỉ số cải cách hành chính năm 2023</title>
<meta property="article:published_time" content="2024-01-20"></head><body><article>
<h1>Quận 3 công bố chỉ số cải cách hành chính năm 2023</h1>
<p>Chiều 20/1/2024, UBND Quận 3 tổ chức hội nghị công bố Chỉ số cải cách hành chính năm 2023
của các phường trên địa bàn quận. Kết quả xếp hạng cụ thể của các phường như sau.</p>
<table><thead><tr><th>STT</th><th>Đơn vị</th><th>Điểm</th><th>Xếp hạng</th></tr></thead>
<tbody><tr><td>1</td><td>Phường Võ Thị Sáu</td><td>96,5</td><td>1</td></tr>
<tr><td>2</td><td>Phường 4</td><td>94,2</td><td>2</td></tr>
<tr><td>3</td><td>Phường 9</td><td>80,1</td><td>3</td></tr></tbody></table>
<p>Phó Chủ tịch UBND quận đề nghị các phường có điểm số thấp xây dựng kế hoạch khắc phục và
gửi về Phòng Nội vụ quận trước ngày 15/2/2024 để tổng hợp, báo cáo Thành phố.</p>
</article></body></html>"""


def test_a_table_row_is_written_out_with_its_column_names() -> None:
    body = extract_article(RANKING_PAGE, "https://quan3.example.vn/cchc-2023").body
    assert "Phường Võ Thị Sáu — Điểm: 96,5 — xếp thứ 1 (đứng đầu)." in body
    assert "Phường 9 — Điểm: 80,1 — xếp thứ 3 (đứng cuối)." in body
    assert "|" not in body  # no raw table markup, no running-number column
    assert "STT" not in body


def test_which_ward_ranked_first_and_last_is_answered_from_the_table(
        tmp_path: Path, model) -> None:
    with NewsSite() as site:
        site.pages["/cchc-2023.html"] = Page(body=RANKING_PAGE.encode())
        settings = site_settings(tmp_path)
        report = Library(settings, Index.open(settings, embedder=model)).add_urls(
            [site.url("/cchc-2023.html")])
    assert not report.failed
    bot_settings = BotSettings(data_dir=settings.data_dir, knowledge_dir=settings.knowledge_dir,
                               _env_file=None)
    answerer = Answerer(Index.open(bot_settings, embedder=model), bot_settings)
    first = answerer.answer("Phường nào đứng đầu chỉ số cải cách hành chính của Quận 3?")
    assert first.answered and "Phường Võ Thị Sáu" in first.text
    last = answerer.answer("Phường nào đứng cuối?",
                           after="Phường nào đứng đầu chỉ số cải cách hành chính của Quận 3?")
    assert last.answered and "Phường 9" in last.text
