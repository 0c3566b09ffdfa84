"""The loader accepts good articles and names every broken file with its reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index import Article, load_knowledge, write_article

GOOD = """---
title: "Phường Hàng Bài dẫn đầu cải cách hành chính"
url: https://example.gov.vn/a
published: 2023-02-16
source: UBND quận Hoàn Kiếm
tags: [cải cách hành chính]
---
Phường Hàng Bài xếp thứ nhất với 93,06%.
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_good_article_loads_with_its_metadata(tmp_path: Path) -> None:
    write(tmp_path, "phuong/hang-bai.md", GOOD)
    result = load_knowledge(tmp_path)
    assert result.bad == []
    [article] = result.articles
    assert article.id == "phuong/hang-bai"
    assert article.title == "Phường Hàng Bài dẫn đầu cải cách hành chính"
    assert article.published == dt.date(2023, 2, 16)
    assert article.publisher == "UBND quận Hoàn Kiếm"
    assert article.tags == ("cải cách hành chính",)
    assert article.body == "Phường Hàng Bài xếp thứ nhất với 93,06%."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Chỉ có nội dung, không có front matter.\n", "no front matter"),
        ("---\nurl: https://x\n---\nNội dung.\n", "no 'title'"),
        ("---\ntitle: T\npublished: 16/02/2023\n---\nNội dung.\n", "ISO date"),
        ("---\ntitle: T\n---\n\n   \n", "empty body"),
        ("---\ntitle: [unclosed\n---\nNội dung.\n", "invalid YAML"),
        ("Ti\xeau \xf0\xe8 sai m\xe3".encode("latin-1"), "not valid UTF-8"),
    ],
    ids=["no-front-matter", "no-title", "bad-date", "empty-body", "bad-yaml", "bad-utf8"],
)
def test_each_kind_of_broken_file_is_reported_and_good_files_still_load(
        tmp_path: Path, content: str | bytes, reason: str) -> None:
    write(tmp_path, "good.md", GOOD)
    broken = write(tmp_path, "broken.md", content)
    result = load_knowledge(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    [bad] = result.bad
    assert bad.path == broken
    assert reason in bad.reason


def test_nfd_text_is_stored_as_nfc(tmp_path: Path) -> None:
    import unicodedata

    write(tmp_path, "nfd.md", unicodedata.normalize("NFD", GOOD))
    [article] = load_knowledge(tmp_path).articles
    assert article.title == "Phường Hàng Bài dẫn đầu cải cách hành chính"
    assert unicodedata.is_normalized("NFC", article.body)


def test_written_article_reads_back_identically(tmp_path: Path) -> None:
    article = Article(id="", title="Lịch tiếp công dân: \"tháng 3\"",
                      body="Đoạn một.\n\nĐoạn hai.",
                      url="https://example.gov.vn/x", published=dt.date(2024, 1, 8),
                      publisher="UBND", tags=("tiếp dân",))
    path = write_article(article, tmp_path)
    assert path.name == "2024-01-08-lich-tiep-cong-dan-thang-3.md"
    [loaded] = load_knowledge(tmp_path).articles
    fields = ("title", "body", "url", "published", "publisher", "tags")
    assert [getattr(loaded, f) for f in fields] == [getattr(article, f) for f in fields]


def test_shipped_sample_knowledge_is_valid_and_marked_sample() -> None:
    root = Path(__file__).resolve().parent.parent / "knowledge"
    result = load_knowledge(root)
    assert result.bad == []
    assert len(result.articles) >= 7
    assert all(article.sample for article in result.articles)
