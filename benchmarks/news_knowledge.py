"""Knowledge folders made at run time from the shared news, and question sets checked against them.

The news text belongs to its publishers, so the project keeps only article ids
(benchmarks/data/*_ids.txt); each benchmark writes the articles as Markdown into a temporary
knowledge folder. Two corpora are read: the 2026 crawl (URL and date kept in the front matter)
and VLSP 2022 AbMuSu (no URL or date in the source, so the front matter has only the title).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from benchmarks.scoring import KINDS, nfc
from index import load_knowledge

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
CRAWL = NEWS / "vn_news_fulltext_crawl_2026" / "news.jsonl"
VLSP = NEWS / "vlsp2022_abmusu_news" / "corpus.jsonl"
# Site furniture the crawler kept around 24h.com.vn bodies; not part of any article.
CRAWL_CHROME = ("Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu",
                "Nguồn: [Link nguồn]")
PHRASE_WORDS = range(2, 7)


class QuestionSetError(SystemExit):
    """The question set does not match the articles it is asked about."""


def read_ids(ids_file: Path) -> list[str]:
    return [line.strip() for line in ids_file.open(encoding="utf-8") if line.strip()]


def write_news(ids_file: Path, folder: Path) -> None:
    """The articles listed in `ids_file`, from whichever corpus has them, as `news-<id>.md`."""
    wanted = read_ids(ids_file)
    rows = {}
    for corpus in (CRAWL, VLSP):
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row["id"] in wanted:
                    rows[row["id"]] = row
    missing = [news_id for news_id in wanted if news_id not in rows]
    if missing:
        raise QuestionSetError(f"neither {CRAWL} nor {VLSP} has an article with id "
                               f"{', '.join(missing)} (listed in {ids_file})")
    folder.mkdir(parents=True)
    for news_id in wanted:
        row = rows[news_id]
        meta: dict[str, object] = {"title": row["title"]}
        if row.get("url"):
            meta |= {"url": row["url"], "published": dt.date.fromisoformat(row["date"][:10]),
                     "source": urlsplit(row["url"]).hostname.removeprefix("www.")}
            body = news_body(row["text"])
        else:  # VLSP keeps the source's paragraphs; the crawl lost them
            body = "\n\n".join(" ".join(p.split()) for p in row["text"].splitlines() if p.strip())
        header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
        (folder / f"news-{news_id}.md").write_text(f"---\n{header}\n---\n\n{body}\n",
                                                   encoding="utf-8")


def news_body(text: str) -> str:
    for chrome in CRAWL_CHROME:
        text = text.replace(chrome, " ")
    return " ".join(text.split())


def bodies(folder: Path) -> dict[str, str]:
    """Every article under `folder` as the index reads it, by file stem; a bad file stops here."""
    loaded = load_knowledge(folder)
    if loaded.bad:
        raise QuestionSetError("unreadable knowledge files:\n" + "\n".join(map(str, loaded.bad)))
    return {a.id.rsplit("/", 1)[-1]: a.body for a in loaded.articles}


def check_questions(cases: list[dict], bodies: dict[str, str], name: str) -> None:
    """Every expected phrase is 2-6 words copied verbatim (NFC) from its article's body."""
    problems, seen = [], set()
    for case in cases:
        where = f"{name} {case.get('id')}"
        if case["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(case["id"])
        if case["kind"] not in KINDS:
            problems.append(f"{where}: unknown kind {case['kind']!r}")
        if (case["kind"] == "followup") != bool(case.get("context")):
            problems.append(f"{where}: a follow-up (and only a follow-up) has a context")
        if not case["answerable"]:
            if case.get("article") or case.get("expect_any"):
                problems.append(f"{where}: unanswerable but names an article or phrases")
            continue
        body = bodies.get(case.get("article", "").removesuffix(".md"))
        if body is None:
            problems.append(f"{where}: no article {case.get('article')!r} in the knowledge")
            continue
        if not case.get("expect_any"):
            problems.append(f"{where}: answerable without expected phrases")
        for phrase in case.get("expect_any", []):
            if sum(any(ch.isalnum() for ch in word) for word in phrase.split()) not in PHRASE_WORDS:
                problems.append(f"{where}: {phrase!r} is not 2-6 words")
            if nfc(phrase) not in nfc(body):
                problems.append(f"{where}: {phrase!r} is not in the body of {case['article']}")
    if problems:
        raise QuestionSetError("The question set is out of step with its articles:\n  "
                               + "\n  ".join(problems))
