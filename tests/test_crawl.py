"""Crawling feeds and sitemaps: new entries are added, known unchanged ones are not fetched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes.news_site import NewsSite, Page, site_settings
from index import (
    Index,
    IndexSettings,
    Library,
)
from index.cli import app

VN = dt.timezone(dt.timedelta(hours=7))
ARTICLES = {
    "/tin/ba-dinh-cai-cach-hanh-chinh.html": (
        "Ba Đình dẫn đầu chỉ số cải cách hành chính năm 2023",
        "Quận Ba Đình xếp thứ nhất Chỉ số cải cách hành chính năm 2023 của các quận, huyện "
        "với 92,5 điểm; phường Liễu Giai dẫn đầu khối phường. Kết quả được công bố tại hội "
        "nghị tổng kết công tác cải cách hành chính của quận.",
        dt.datetime(2024, 1, 26, 9, 0, tzinfo=VN)),
    "/tin/hoang-mai-tiep-cong-dan.html": (
        "Hoàng Mai công bố lịch tiếp công dân năm 2024",
        "Chủ tịch UBND quận Hoàng Mai tiếp công dân định kỳ vào ngày 15 hằng tháng tại Trụ sở "
        "tiếp công dân quận, số 8 Ngõ 6 đường Bùi Huy Bích. Người dân đăng ký trước qua "
        "số điện thoại của Ban tiếp công dân.",
        dt.datetime(2024, 1, 8, 8, 0, tzinfo=VN)),
    "/tin/nam-tu-liem-phan-luong.html": (
        "Nam Từ Liêm phân luồng giao thông phục vụ thi công cầu vượt",
        "Từ ngày 2/5, xe ô tô đi từ đường Phạm Hùng hướng Mai Dịch phải rẽ vào đường Châu Văn "
        "Liêm để tránh khu vực thi công cầu vượt. Cảnh sát giao thông hướng dẫn tại các nút "
        "giao trong giờ cao điểm.",
        dt.datetime(2024, 5, 2, 7, 30, tzinfo=VN)),
}
PATHS = list(ARTICLES)


def publish(site: NewsSite, path: str, text: str | None = None,
            lastmod: dt.datetime | None = None) -> str:
    title, body, published = ARTICLES[path]
    site.add_article(path, title, [text or body], published, lastmod=lastmod or published)
    return site.url(path)


@pytest.fixture
def settings(tmp_path: Path, site: NewsSite) -> IndexSettings:
    return site_settings(tmp_path, feeds=[site.url("/rss.xml"), site.url("/sitemap.xml")])


@pytest.fixture
def index(settings: IndexSettings, model) -> Index:
    return Index.open(settings, embedder=model)


def test_rss_crawl_adds_only_new_entries(site: NewsSite, settings: IndexSettings,
                                         index: Index) -> None:
    for path in PATHS[:2]:
        publish(site, path)
    site.add_rss("/rss.xml", PATHS[:2])
    first = Library(settings, index).crawl(site.url("/rss.xml"))
    assert first.counts()["added"] == 2 and first.ok
    assert {ref.url for ref in index.articles()} == {site.url(p) for p in PATHS[:2]}
    publish(site, PATHS[2])
    site.add_rss("/rss.xml", PATHS)
    second = Library(settings, index).crawl(site.url("/rss.xml"))
    assert [(item.url, item.status) for item in second.items if item.status != "unchanged"] == [
        (site.url(PATHS[2]), "added")]
    assert second.counts()["unchanged"] == 2
    assert [site.hits[p] for p in PATHS] == [1, 1, 1]  # known entries were not fetched again


def test_sitemap_lastmod_is_honoured(site: NewsSite, settings: IndexSettings,
                                     index: Index) -> None:
    for path in PATHS[:2]:
        publish(site, path)
    site.add_sitemap("/sitemap.xml", PATHS[:2])
    assert Library(settings, index).crawl(site.url("/sitemap.xml")).counts()["added"] == 2
    # Edited on the site but lastmod not bumped: not fetched, as the sitemap promises.
    publish(site, PATHS[0], text=ARTICLES[PATHS[0]][1].replace("92,5", "93,1"))
    unchanged = Library(settings, index).crawl(site.url("/sitemap.xml"))
    assert unchanged.counts()["unchanged"] == 2 and site.hits[PATHS[0]] == 1
    # lastmod says it changed since our last check: fetched again and updated.
    publish(site, PATHS[0], text=ARTICLES[PATHS[0]][1].replace("92,5", "93,1"),
            lastmod=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2))
    updated = Library(settings, index).crawl(site.url("/sitemap.xml"))
    assert {item.url: item.status for item in updated.items} == {
        site.url(PATHS[0]): "updated", site.url(PATHS[1]): "unchanged"}
    assert [site.hits[p] for p in PATHS[:2]] == [2, 1]
    [hit, *_] = index.search("Chỉ số cải cách hành chính quận Ba Đình năm 2023 bao nhiêu điểm")
    assert "93,1 điểm" in hit.text


def test_articles_added_by_hand_are_known_to_the_crawler(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    url = publish(site, PATHS[0])
    assert Library(settings, index).add_urls([url]).counts()["added"] == 1
    site.add_sitemap("/sitemap.xml", PATHS[:1])
    report = Library(settings, index).crawl(site.url("/sitemap.xml"))
    assert report.counts()["unchanged"] == 1 and site.hits[PATHS[0]] == 1


def test_an_entry_that_redirects_is_fetched_once(site: NewsSite, settings: IndexSettings,
                                                 index: Index) -> None:
    publish(site, PATHS[0])
    site.pages["/cu/bai-1"] = Page(status=301, headers={"Location": PATHS[0]})
    site.add_rss("/rss.xml", ["/cu/bai-1"])
    first = Library(settings, index).crawl(site.url("/rss.xml"))
    assert [item.url for item in first.added] == [site.url(PATHS[0])]  # the final address
    second = Library(settings, index).crawl(site.url("/rss.xml"))
    assert second.counts()["unchanged"] == 1 and site.hits["/cu/bai-1"] == 1


def test_a_removed_article_is_not_brought_back_by_the_next_crawl(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    url = publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])
    assert Library(settings, index).crawl(site.url("/rss.xml")).counts()["added"] == 1
    assert Library(settings, index).remove([url]).counts()["removed"] == 1
    again = Library(settings, index).crawl(site.url("/rss.xml"))
    assert again.counts()["added"] == 0 and index.articles() == []
    assert site.hits[PATHS[0]] == 1


def test_limit_fetches_the_newest_entries_first(site: NewsSite, settings: IndexSettings,
                                               index: Index) -> None:
    for path in PATHS:
        publish(site, path)
    site.add_sitemap("/sitemap.xml", PATHS)
    first = Library(settings, index).crawl(site.url("/sitemap.xml"), limit=1)
    assert [item.url for item in first.added] == [site.url(PATHS[2])]  # published 2/5/2024
    assert "2 more new or changed entries" in first.notes[0]
    second = Library(settings, index).crawl(site.url("/sitemap.xml"), limit=5)
    assert second.counts()["added"] == 2 and second.counts()["unchanged"] == 1


def test_sitemap_index_is_followed(site: NewsSite, settings: IndexSettings,
                                  index: Index) -> None:
    publish(site, PATHS[1])
    site.add_sitemap("/sitemap-tin.xml", PATHS[1:2])
    site.pages["/sitemap.xml"] = Page(content_type="application/xml", body=(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
        '"http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
        f'{site.url("/sitemap-tin.xml")}</loc></sitemap></sitemapindex>').encode())
    report = Library(settings, index).crawl(site.url("/sitemap.xml"))
    assert [item.url for item in report.added] == [site.url(PATHS[1])]


def test_crawl_all_runs_every_feed_and_reports_a_broken_one(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])  # /sitemap.xml is missing: a 404
    report = Library(settings, index).crawl_all()
    assert [item.url for item in report.added] == [site.url(PATHS[0])]
    [failed] = report.failed
    assert failed.input == site.url("/sitemap.xml") and "HTTP 404" in failed.reason
    assert not report.ok


def test_a_page_that_is_not_a_feed_is_a_clear_error(site: NewsSite, settings: IndexSettings,
                                                   index: Index) -> None:
    url = publish(site, PATHS[0])
    [item] = Library(settings, index).crawl(url).items
    assert item.status == "failed" and "not an RSS/Atom feed or a sitemap" in item.reason
    assert not index.is_built


def test_cli_crawl(site: NewsSite, settings: IndexSettings,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"DATA_DIR": settings.data_dir, "KNOWLEDGE_DIR": settings.knowledge_dir,
                        "ALLOW_PRIVATE_URLS": "true", "FEEDS": site.url("/rss.xml")}.items():
        monkeypatch.setenv(name, str(value))
    for path in PATHS:
        publish(site, path)
    site.add_rss("/rss.xml", PATHS)
    runner = CliRunner()
    assert runner.invoke(app, ["crawl"]).exit_code == 2  # neither a URL nor --all
    limited = runner.invoke(app, ["crawl", site.url("/rss.xml"), "--limit", "1"])
    assert limited.exit_code == 0, limited.output
    assert "note: " in limited.stdout and "1 added" in limited.stdout
    rest = runner.invoke(app, ["crawl", "--all"])
    assert rest.exit_code == 0, rest.output
    assert rest.stdout.rstrip().endswith("2 added, 0 updated, 1 unchanged, 0 failed")
