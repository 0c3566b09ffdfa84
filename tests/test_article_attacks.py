"""Malformed article files: each is a reported bad file (path and reason); the others are
indexed and `index build` exits 2, never with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from index import load_knowledge
from index.cli import app
from index.corpus.article import MAX_ARTICLE_BYTES

GOOD = ("---\ntitle: Phường Phúc Tân tiếp nhận hồ sơ trực tuyến\npublished: 2023-02-16\n---\n\n"
        "Ủy ban nhân dân phường Phúc Tân tiếp nhận hồ sơ đăng ký thường trú qua Cổng dịch vụ "
        "công.\n")
BODY = "\n\nNội dung bài viết.\n"
LAUGHS = ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}]\n" for i in range(8)))
MALFORMED = {
    "impossible-date": ("---\ntitle: Tin\npublished: 2023-02-30\n---" + BODY, "published"),
    "impossible-datetime": ("---\ntitle: Tin\npublished: 2023-13-01 10:00:00\n---" + BODY,
                            "published"),
    "date-as-mapping": ("---\ntitle: Tin\npublished: {year: 2023}\n---" + BODY, "published"),
    "date-as-number": ("---\ntitle: Tin\npublished: 20230216\n---" + BODY, "published"),
    "title-as-list": ("---\ntitle: [a, b]\n---" + BODY, "title"),
    "url-as-mapping": ("---\ntitle: Tin\nurl: {a: 1}\n---" + BODY, "url"),
    "source-as-bool": ("---\ntitle: Tin\nsource: yes\n---" + BODY, "source"),
    "tags-as-mapping": ("---\ntitle: Tin\ntags: {a: 1}\n---" + BODY, "tags"),
    "tags-billion-laughs": ("---\ntitle: Tin\n" + LAUGHS + "tags: [*i]\n---" + BODY, "tags"),
    "sample-as-text": ("---\ntitle: Tin\nsample: maybe\n---" + BODY, "sample"),
    "front-matter-is-a-list": ("---\n- a\n- b\n---" + BODY, "title"),
    "python-object-tag": ("---\ntitle: !!python/object/apply:os.system [echo hi]\n---" + BODY,
                          "YAML"),
    "deeply-nested": ("---\ntitle: Tin\nx: " + "[" * 5000 + "]" * 5000 + "\n---" + BODY,
                      "YAML"),
    "unclosed-front-matter": ("---\ntitle: Tin\n" + BODY, "title"),
    "binary-junk": ("---\ntitle: Tin\n---\n\x00\x01\x02\x00", "binary"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_front_matter_is_a_bad_file_not_a_crash(tmp_path: Path, name: str) -> None:
    text, reason = MALFORMED[name]
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    loaded = load_knowledge(tmp_path)
    assert [a.id for a in loaded.articles] == ["good"]
    assert [b.path.name for b in loaded.bad] == [f"{name}.md"]
    assert reason.lower() in loaded.bad[0].reason.lower()


def test_huge_article_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    with open(tmp_path / "huge.md", "wb") as handle:
        handle.write(b"---\ntitle: Tin\n---\n")
        handle.write(b"a" * (MAX_ARTICLE_BYTES + 10))
    loaded = load_knowledge(tmp_path)
    assert [b.path.name for b in loaded.bad] == ["huge.md"]
    assert "MB" in loaded.bad[0].reason


def test_index_build_with_an_impossible_date_reports_the_file_and_indexes_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "good.md").write_text(GOOD, encoding="utf-8")
    (knowledge / "bad-date.md").write_text(MALFORMED["impossible-date"][0], encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    result = CliRunner().invoke(app, ["build"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "1 added" in result.stdout
    assert "bad-date.md" in result.stderr and "published" in result.stderr
