"""Adding articles from the web and from files: one command, incremental, never destructive."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes.news_site import CountingEmbedder, NewsSite, Page, big_body, site_settings
from index import (
    Index,
    IndexSettings,
    Library,
)
from index.cli import app

PAGES = Path(__file__).resolve().parent.parent / "fakes" / "pages"
FURNITURE = ["Bình chọn", "Theo bạn", "Lượt xem", "Chia sẻ", "Tin liên quan", "Đọc nhiều nhất",
             "Trang chủ", "Từ khóa", "Cơ quan chủ quản", "Ảnh 1", "Công nhân môi trường"]

CAU_GIAY = dict(
    path="/tin-tuc/cau-giay-du-toan-ngan-sach-2024.html",
    title="Quận Cầu Giấy giao dự toán ngân sách năm 2024",
    paragraphs=[
        "HĐND quận Cầu Giấy giao dự toán thu ngân sách nhà nước năm 2024 là 9.850 tỷ đồng, "
        "tăng 8% so với năm 2023.",
        "Chi đầu tư phát triển tập trung cho trường học, chỉnh trang hè phố và hệ thống "
        "thoát nước tại các phường Dịch Vọng, Yên Hòa và Trung Hòa.",
    ],
    published=dt.date(2023, 12, 20),
    captions=["Công nhân môi trường chỉnh trang hè phố Trần Duy Hưng"],
    lead="Kỳ họp thứ mười HĐND quận Cầu Giấy thông qua dự toán ngân sách năm 2024.",
)
LONG_BIEN = dict(
    path="/tin-tuc/long-bien-kham-suc-khoe-nguoi-cao-tuoi.html",
    title="Long Biên khám sức khỏe miễn phí cho người cao tuổi",
    paragraphs=[
        "Trung tâm Y tế quận Long Biên tổ chức khám sức khỏe miễn phí cho hơn 2.000 người "
        "cao tuổi tại 14 phường từ ngày 9 đến ngày 20 tháng 10.",
        "Người cao tuổi mang theo căn cước công dân và thẻ bảo hiểm y tế đến trạm y tế phường.",
    ],
    published=dt.date(2023, 10, 9),
)


def publish(site: NewsSite, article: dict, **changes: object) -> str:
    values = {**article, **changes}
    path = values.pop("path")
    site.add_article(path, **values)
    return site.url(path)


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return site_settings(tmp_path, fetch_timeout_s=0.5)


@pytest.fixture
def embedder(model) -> CountingEmbedder:
    return CountingEmbedder(model)


@pytest.fixture
def index(settings: IndexSettings, embedder: CountingEmbedder) -> Index:
    return Index.open(settings, embedder=embedder)


def knowledge_files(settings: IndexSettings) -> dict[str, str]:
    root = settings.knowledge_dir
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.md"))} if root.exists() else {}


def test_added_page_is_searchable_with_its_title_date_and_url(
        site: NewsSite, settings: IndexSettings, index: Index, embedder: CountingEmbedder) -> None:
    url = publish(site, CAU_GIAY)
    report = Library(settings, index).add_urls(
        [url + "?utm_source=zalo&utm_medium=social&fbclid=IwAR0"])
    [item] = report.items
    assert item.status == "added", item.reason
    # Its passages, and their sentences (SENTENCE_VECTORS): nothing else was embedded.
    assert item.passages >= 1
    assert embedder.passages == item.passages + index.stats().sentences
    [hit, *_] = index.search("Dự toán thu ngân sách quận Cầu Giấy năm 2024 là bao nhiêu?")
    assert hit.article.url == url  # canonical: tracking parameters dropped
    assert hit.article.title == CAU_GIAY["title"]
    assert hit.article.published == dt.date(2023, 12, 20)
    assert hit.article.publisher == site.name
    assert "9.850 tỷ đồng" in hit.text
    for passage in index.search("Cầu Giấy ngân sách", k=50):
        for phrase in FURNITURE:
            assert phrase not in passage.text, phrase
    assert item.path == settings.knowledge_dir.resolve() / (
        "2023-12-20-quan-cau-giay-giao-du-toan-ngan-sach-nam-2024.md")
    assert f"url: {url}\n" in item.path.read_text(encoding="utf-8")


def test_readding_an_unchanged_page_embeds_nothing(
        site: NewsSite, settings: IndexSettings, index: Index, embedder: CountingEmbedder) -> None:
    url = publish(site, CAU_GIAY)
    first = Library(settings, index).add_urls([url])
    embedded, generation = embedder.passages, index.generation
    mtime = first.items[0].path.stat().st_mtime_ns
    again = Library(settings, index).add_urls([url + "?utm_campaign=tet"])
    assert [item.status for item in again.items] == ["unchanged"]
    assert embedder.passages == embedded
    assert index.generation == generation
    assert first.items[0].path.stat().st_mtime_ns == mtime


def test_changed_page_updates_its_article_and_only_it(
        site: NewsSite, settings: IndexSettings, index: Index, embedder: CountingEmbedder) -> None:
    urls = [publish(site, CAU_GIAY), publish(site, LONG_BIEN)]
    first = Library(settings, index).add_urls(urls)
    assert [i.status for i in first.items] == ["added", "added"]
    before = embedder.passages
    changed = [CAU_GIAY["paragraphs"][0].replace("9.850", "10.120"), *CAU_GIAY["paragraphs"][1:]]
    publish(site, CAU_GIAY, paragraphs=changed)
    second = Library(settings, index).add_urls(urls)
    statuses = {item.input: item.status for item in second.items}
    assert statuses == {urls[0]: "updated", urls[1]: "unchanged"}
    updated = second.items[[i.input for i in second.items].index(urls[0])]
    assert updated.path == first.items[[i.input for i in first.items].index(urls[0])].path
    # Its passages, and of their sentences only the one that changed (9.850 -> 10.120).
    assert embedder.passages - before == updated.passages + 1
    assert len(list(settings.knowledge_dir.glob("*.md"))) == 2
    [hit, *_] = index.search("Dự toán thu ngân sách quận Cầu Giấy năm 2024")
    assert "10.120 tỷ đồng" in hit.text and "9.850" not in hit.text


@pytest.mark.parametrize(("page", "expected"), [
    (None, "HTTP 404"),
    (Page(body=b"<p>x</p>", delay_s=3), "did not answer in time"),
    (Page(body=big_body(20), content_length=False), "too large"),
    (Page(body=b"%PDF-1.7", content_type="application/pdf"), "application/pdf"),
    (Page(body=(PAGES / "category-page.html").read_bytes()), "no article text"),
], ids=["404", "timeout", "20MB", "pdf", "no-article-text"])
def test_bad_page_is_a_clear_error_and_changes_nothing(
        site: NewsSite, settings: IndexSettings, index: Index, page: Page | None,
        expected: str) -> None:
    if page is not None:
        site.pages["/bai-loi.html"] = page
    url = site.url("/bai-loi.html")
    report = Library(settings, index).add_urls([url])
    [item] = report.items
    assert item.status == "failed" and not report.ok
    assert url in item.reason and expected in item.reason
    assert report.build is None and knowledge_files(settings) == {}
    assert not index.is_built and not (settings.index_dir / "CURRENT").exists()


def test_partial_failure_indexes_the_good_pages_and_lists_the_bad(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    good = [publish(site, CAU_GIAY), publish(site, LONG_BIEN)]
    site.pages["/van-ban.pdf"] = Page(body=b"%PDF-1.7", content_type="application/pdf")
    bad = [site.url("/khong-co.html"), site.url("/van-ban.pdf")]
    report = Library(settings, index).add_urls([good[0], *bad, good[1]])
    assert report.counts() == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0,
                               "failed": 2}
    assert {item.input for item in report.failed} == set(bad)
    assert {ref.url for ref in index.articles()} == set(good)
    assert report.summary() == "2 added, 0 updated, 0 unchanged, 2 failed"


def test_legacy_charset_pages_are_added_readably(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    urls = [publish(site, CAU_GIAY, encoding="windows-1258"),
            publish(site, LONG_BIEN, charset_header="iso-8859-1")]
    report = Library(settings, index).add_urls(urls)
    assert [item.title for item in report.items] == [CAU_GIAY["title"], LONG_BIEN["title"]]
    [hit, *_] = index.search("khám sức khỏe miễn phí người cao tuổi Long Biên")
    assert hit.article.url == urls[1] and "căn cước công dân" in hit.text


def test_private_address_is_refused_by_default(site: NewsSite, tmp_path: Path) -> None:
    url = publish(site, CAU_GIAY)
    settings = site_settings(tmp_path, allow_private_urls=False)
    report = Library(settings).add_urls([url])
    [item] = report.items
    assert item.status == "failed" and "internal address" in item.reason
    assert site.hits[CAU_GIAY["path"]] == 0
    assert knowledge_files(settings) == {}


def test_local_txt_md_and_html_files_are_added_once(
        tmp_path: Path, settings: IndexSettings, index: Index, embedder: CountingEmbedder) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "thong-bao.txt").write_text(
        "Tin tức Tin tức\n\nPhường Quan Hoa thông báo lịch tiếp công dân tháng 3\n"
        "01/03/2024 | 08:00 | Lượt xem: 41\n\n"
        "Chủ tịch UBND phường Quan Hoa tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở "
        "phường, số 2 Nguyễn Khánh Toàn.\n\nÔng Nguyễn Văn Hùng tiếp công dân\n\n"
        "Ông Nguyễn Văn Hùng tiếp công dân\n\nNgười dân mang theo giấy tờ tùy thân và đơn "
        "kiến nghị.\n\nBình chọn Bình chọn\n\nTheo bạn lịch tiếp công dân có thuận tiện?\n",
        encoding="utf-8")
    (inbox / "rac.md").write_text(
        "---\ntitle: Hai Bà Trưng đổi giờ thu gom rác\nurl: https://haibatrung.hanoi.gov.vn/"
        "rac?utm_source=x\npublished: 2024-03-18\ntags: [môi trường]\n---\n\nTừ ngày 1/4/2024, "
        "rác sinh hoạt được thu gom từ 18h30 đến 22h00 hằng ngày.\n", encoding="utf-8")
    (inbox / "dong-da.html").write_bytes((PAGES / "dong-da-khai-sinh.html").read_bytes())
    report = Library(settings, index).add([inbox])
    assert report.ok, [item.reason for item in report.items]
    titles = {Path(item.input).name: item.title for item in report.added}
    assert titles == {
        "thong-bao.txt": "Phường Quan Hoa thông báo lịch tiếp công dân tháng 3",
        "rac.md": "Hai Bà Trưng đổi giờ thu gom rác",
        "dong-da.html": "Quận Đống Đa: Đăng ký khai sinh trực tuyến tại 21 phường",
    }
    files = knowledge_files(settings)
    notice = files["2024-03-01-phuong-quan-hoa-thong-bao-lich-tiep-cong-dan-thang.md"]
    assert "published: 2024-03-01" in notice
    assert "Bình chọn" not in notice and "Ông Nguyễn Văn Hùng tiếp công dân" not in notice
    assert "url: https://haibatrung.hanoi.gov.vn/rac\n" in files[
        "2024-03-18-hai-ba-trung-doi-gio-thu-gom-rac.md"]
    embedded = embedder.passages
    again = Library(settings, index).add([inbox])
    assert [item.status for item in again.items] == ["unchanged"] * 3
    assert embedder.passages == embedded


def test_remove_by_url_and_by_id(site: NewsSite, settings: IndexSettings, index: Index) -> None:
    urls = [publish(site, CAU_GIAY), publish(site, LONG_BIEN)]
    added = Library(settings, index).add_urls(urls)
    ids = [item.article_id for item in added.items]
    report = Library(settings, index).remove([urls[0], ids[1], "khong-co-bai-nay"])
    assert [item.status for item in report.items] == ["removed", "removed", "failed"]
    assert "khong-co-bai-nay" in report.failed[0].reason
    assert knowledge_files(settings) == {} and index.articles() == []


def test_list_shows_articles_newest_first_and_whether_indexed(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    Library(settings, index).add_urls([publish(site, LONG_BIEN), publish(site, CAU_GIAY)])
    listed, bad = Library(settings, index).list()
    assert [item.article.title for item in listed] == [CAU_GIAY["title"], LONG_BIEN["title"]]
    assert all(item.indexed for item in listed) and bad == []


def test_a_running_reader_swaps_in_an_article_added_by_another_writer(
        site: NewsSite, settings: IndexSettings, model) -> None:
    Library(settings, Index(settings, embedder=model)).add([publish(site, LONG_BIEN)])
    reader = Index.open(settings, embedder=model)
    assert not reader.reload_if_changed()
    Library(settings, Index.open(settings, embedder=model)).add([publish(site, CAU_GIAY)])
    assert reader.reload_if_changed(wait=True)
    [hit, *_] = reader.search("Dự toán thu ngân sách quận Cầu Giấy năm 2024")
    assert hit.article.title == CAU_GIAY["title"]


def test_progress_is_reported_by_stage(site: NewsSite, settings: IndexSettings,
                                       index: Index) -> None:
    events: list[tuple[str, int, int]] = []
    Library(settings, index, on_progress=lambda *event: events.append(event)).add_urls(
        [publish(site, CAU_GIAY)])
    assert events[0] == ("fetch", 0, 1) and ("fetch", 1, 1) in events
    assert events[-1][0] == "embed" and events[-1][1] == events[-1][2] >= 1


@pytest.fixture
def cli_env(settings: IndexSettings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("FETCH_RETRIES", "0")
    return CliRunner()


def test_cli_add_summarises_and_exits_non_zero_when_anything_failed(
        site: NewsSite, cli_env: CliRunner) -> None:
    good, bad = publish(site, CAU_GIAY), site.url("/khong-co.html")
    result = cli_env.invoke(app, ["add", good, bad])
    assert result.exit_code == 1
    assert f"added      {CAU_GIAY['title']}" in result.stdout
    assert result.stdout.rstrip().endswith("1 added, 0 updated, 0 unchanged, 1 failed")
    assert f"failed     {bad}: the site answered HTTP 404" in result.stderr
    again = cli_env.invoke(app, ["add", good])
    assert again.exit_code == 0
    assert again.stdout.rstrip().endswith("0 added, 0 updated, 1 unchanged, 0 failed")


def test_cli_list_json_and_remove(site: NewsSite, cli_env: CliRunner) -> None:
    url = publish(site, LONG_BIEN)
    assert cli_env.invoke(app, ["add", url]).exit_code == 0
    listed = json.loads(cli_env.invoke(app, ["list", "--json"]).stdout)
    assert [(a["title"], a["url"], a["published"], a["indexed"]) for a in listed] == [
        (LONG_BIEN["title"], url, "2023-10-09", True)]
    removed = cli_env.invoke(app, ["remove", listed[0]["id"]])
    assert removed.exit_code == 0, removed.output
    assert "1 removed" in removed.stdout
    assert json.loads(cli_env.invoke(app, ["list", "--json"]).stdout) == []
    missing = cli_env.invoke(app, ["remove", url])
    assert missing.exit_code == 1 and "no article with this URL or id" in missing.stderr
