"""Answer quality on the sample knowledge plus real news, and the "not covered" threshold.

    python -m benchmarks.answers [--part design|check|all] [--misses] [--no-write]

Knowledge: the ten articles of knowledge/samples and the news articles whose ids are listed in
benchmarks/data/answer_news_ids.txt, read from ../shared/data/news at run time and written as
Markdown into a temporary knowledge folder (the text belongs to its publishers; only the ids
are kept here). Questions: benchmarks/data/answer_questions.jsonl, every kind, scored by
benchmarks/scoring.py in its two halves (`design` = odd ids, `check` = even ids). The same
questions answered at threshold 0 calibrate ANSWER_MIN_CONFIDENCE. Writes the "answers"
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from benchmarks.scoring import (
    KINDS,
    Outcome,
    arguments,
    ask,
    finish,
    in_part,
    nfc,
    part_tables,
    score_parts,
)
from bot.domain.assistant import open_answerer
from bot.settings import BotSettings
from index import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = DATA / "answer_questions.jsonl"
NEWS_IDS = DATA / "answer_news_ids.txt"
NEWS = ROOT.parent / "shared" / "data" / "news" / "vn_news_fulltext_crawl_2026" / "news.jsonl"
SAMPLES = ROOT / "knowledge" / "samples"
THRESHOLDS = [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60]
# Site furniture the crawler kept around 24h.com.vn bodies; not part of any article.
CRAWL_CHROME = ("Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu",
                "Nguồn: [Link nguồn]")
PHRASE_WORDS = range(2, 7)


class QuestionSetError(SystemExit):
    """The question set does not match the articles it is asked about."""


def write_knowledge(folder: Path) -> dict[str, str]:
    """Samples and the chosen news as Markdown under `folder`; their bodies by article stem."""
    shutil.copytree(SAMPLES, folder / "samples")
    wanted = [line.strip() for line in NEWS_IDS.open(encoding="utf-8") if line.strip()]
    rows = {}
    with NEWS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                rows[row["id"]] = row
    missing = [news_id for news_id in wanted if news_id not in rows]
    if missing:
        raise QuestionSetError(f"{NEWS} has no article with id {', '.join(missing)} "
                               f"(listed in {NEWS_IDS})")
    (folder / "news").mkdir(parents=True)
    for news_id in wanted:
        row = rows[news_id]
        meta = {"title": row["title"], "url": row["url"],
                "published": dt.date.fromisoformat(row["date"][:10]),
                "source": urlsplit(row["url"]).hostname.removeprefix("www.")}
        header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
        (folder / "news" / f"news-{news_id}.md").write_text(
            f"---\n{header}\n---\n\n{news_body(row['text'])}\n", encoding="utf-8")
    loaded = load_knowledge(folder)
    if loaded.bad:
        raise QuestionSetError("unreadable knowledge files:\n" + "\n".join(map(str, loaded.bad)))
    return {a.id.rsplit("/", 1)[-1]: a.body for a in loaded.articles}


def news_body(text: str) -> str:
    for chrome in CRAWL_CHROME:
        text = text.replace(chrome, " ")
    return " ".join(text.split())


def check_questions(cases: list[dict], bodies: dict[str, str]) -> None:
    """Every expected phrase is 2-6 words copied verbatim (NFC) from its article's body."""
    problems, seen = [], set()
    for case in cases:
        where = f"{QUESTIONS.name} {case.get('id')}"
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
        body = bodies.get(case.get("article", ""))
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


def calibration(at_zero: list[Outcome], default: float) -> list[str]:
    """Answers given at threshold 0, judged as if each threshold had refused below it."""
    answerable = [o for o in at_zero if o.case["answerable"]]
    unanswerable = [o for o in at_zero if not o.case["answerable"]]
    lines = ["| ANSWER_MIN_CONFIDENCE | answerable answered correctly | answered wrongly | "
             "unanswerable refused |", "|---|---|---|---|"]
    for threshold in THRESHOLDS:
        right = sum(1 for o in answerable if o.correct and o.confidence >= threshold)
        wrong = sum(1 for o in answerable
                    if o.answered and not o.correct and o.confidence >= threshold)
        refused = sum(1 for o in unanswerable if not o.answered or o.confidence < threshold)
        mark = " (default)" if abs(threshold - default) < 1e-9 else ""
        lines.append(f"| {threshold:.2f}{mark} | {right}/{len(answerable)} | {wrong} | "
                     f"{refused}/{len(unanswerable)} ({refused / max(len(unanswerable), 1):.0%}) |")
    return lines


def main() -> None:
    args = arguments(__doc__)
    cases = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as scratch:
        knowledge = Path(scratch) / "knowledge"
        bodies = write_knowledge(knowledge)
        check_questions(cases, bodies)
        settings = BotSettings(data_dir=Path(scratch) / "data", knowledge_dir=knowledge,
                               _env_file=None)
        outcomes = score_parts(open_answerer(settings), cases, args.part)
        calibrating = open_answerer(BotSettings(data_dir=Path(scratch) / "data",
                                                knowledge_dir=knowledge, _env_file=None,
                                                answer_min_confidence=0.0))
        at_zero = [ask(calibrating, c) for c in cases if in_part(c, args.part)]
    news = len(bodies) - sum(1 for _ in SAMPLES.glob("*.md"))
    lines = ["## Answers and the confidence threshold", "",
             f"{len(cases)} questions of every kind on the {len(bodies) - news} sample articles "
             f"and {news} real news articles about local government "
             "(`benchmarks/data/answer_questions.jsonl`); correct = answered with an expected "
             "phrase in the quote and the right article cited (unanswerable: no quote). "
             "`design` = odd question ids, `check` = even ids. Machine load at start "
             f"{os.getloadavg()[0]:.1f}. `python -m benchmarks.answers`.", ""]
    lines += part_tables(outcomes)
    lines += [f"Calibration ({len(at_zero)} questions answered at threshold 0; a threshold "
              "refuses every answer whose confidence is below it):", "",
              *calibration(at_zero, settings.answer_min_confidence), ""]
    worst = sorted((o for o in at_zero if not o.case["answerable"] and o.answered),
                   key=lambda o: -o.confidence)[:5]
    lines += ["Most confident answers to unanswerable questions (threshold 0):", ""]
    lines += [f"- {o.case['question']} ({o.confidence:.2f})" for o in worst] or ["- none"]
    finish("\n".join(lines), outcomes, "answers", misses=args.misses, write=not args.no_write,
           dump=args.dump)


if __name__ == "__main__":
    main()
