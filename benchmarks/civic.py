"""Answers on real local-government pages, scored the held-out way.

    python -m benchmarks.civic [--part design|check|all] [--set dev|extra|news|near|fresh|
                               news2|news3|english|news4|news5|news6|
                               news7|english2|talk|
                               both|all]
                               [--misses] [--no-write]

Scored by benchmarks/scoring.py: correct = answered with an expected phrase in the quote and
the expected page cited (unanswerable: no quote). Fourteen question sets: civic_dev's own 120 over
its 60 pages (`dev`), 120 more over the same pages written by a second engineer who never read
the answer code (`extra`, benchmarks/data/civic_extra.jsonl), and 120 over 40 news articles of
the kind a ward or city portal publishes, pages nobody designed on (`news`,
benchmarks/data/civic_news.jsonl; the articles are read from ../shared/data/news at run time
by the ids in civic_news_ids.txt); and 50 near misses over civic_dev's pages (`near`,
benchmarks/data/near_miss_fresh.jsonl, all looked at while designing); and 50 more of every
kind over the same pages (`fresh`, benchmarks/data/answerable_fresh.jsonl, scored once as
written, then looked at); and 100 of every kind over 40 other news articles (`news2`,
benchmarks/data/civic_news2.jsonl, civic_news2_ids.txt; scored once as written); and 80 of
every kind over 30 more (`news3`, benchmarks/data/civic_news3.jsonl, civic_news3_ids.txt;
scored once as written); and 80, most of them in English, over 30 more (`english`,
benchmarks/data/civic_english.jsonl, civic_english_ids.txt; scored once as written); and 80
of every kind over 30 more (`news4`, civic_news4.jsonl, civic_news4_ids.txt; scored once as
written); and 80 of every kind over 30 more (`news5`, civic_news5.jsonl, civic_news5_ids.txt;
scored once as written); and 80 more, the same way, over 30 more (`news6`, civic_news6.jsonl,
civic_news6_ids.txt; scored once as written); and 80 more over 30 more (`news7`,
civic_news7.jsonl, civic_news7_ids.txt; scored once as written); and 80, most of them in
English, over civic_dev's pages (`english2`, civic_english2.jsonl; scored once as written);
and 40 small-talk messages (`talk`,
civic_talk.jsonl, over civic_dev's pages; scored once as written). `both` = dev and extra,
`all` = every set. Each set is split in two fixed halves by id: `design` (odd numbers) is the
one to look at while changing the answer code, `check` (even numbers) is only scored. Writes
each set's section of RESULTS.md.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.news_knowledge import bodies, check_questions, write_news
from benchmarks.scoring import arguments, finish, part_tables, score_parts
from bot.domain.assistant import open_answerer
from bot.settings import BotSettings

CIVIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "civic_dev"
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class QuestionSet:
    section: str
    heading: str
    questions: Path
    described: str
    news_ids: Path | None = None  # None: civic_dev's own pages

    @property
    def pages(self) -> str:
        if self.news_ids is None:
            return "60 real pages of `../shared/data/civic_dev`"
        return (f"{len(self.news_ids.read_text(encoding='utf-8').split())} news articles of "
                f"the local-government kind (`benchmarks/data/{self.news_ids.name}`, read from "
                "`../shared/data/news`)")


SETS = {
    "dev": QuestionSet("civic", "Answers on real local-government pages (civic_dev)",
                       CIVIC / "questions.jsonl",
                       "120 questions from `../shared/data/civic_dev`"),
    "extra": QuestionSet("civic-extra",
                         "Answers on real local-government pages: a second question set",
                         DATA / "civic_extra.jsonl",
                         "120 more questions (`benchmarks/data/civic_extra.jsonl`, written by "
                         "an engineer who never read the answer code)"),
    "news": QuestionSet("civic-news",
                        "Answers on pages nobody designed on: a third question set",
                        DATA / "civic_news.jsonl",
                        "120 questions (`benchmarks/data/civic_news.jsonl`, written by an "
                        "engineer who never read the answer code, before the bot was run on "
                        "them; see civic_news.md)",
                        news_ids=DATA / "civic_news_ids.txt"),
    "near": QuestionSet("civic-near-miss",
                        "Near misses on real local-government pages: a fourth question set",
                        DATA / "near_miss_fresh.jsonl",
                        "50 near-miss questions (`benchmarks/data/near_miss_fresh.jsonl`: another "
                        "year, place, number, office holder or date than the pages give; written "
                        "by an engineer who never read the answer code, and every one of them "
                        "looked at while designing)"),
    "fresh": QuestionSet("civic-fresh",
                         "Answers on real local-government pages: a fifth question set",
                         DATA / "answerable_fresh.jsonl",
                         "50 questions (`benchmarks/data/answerable_fresh.jsonl`: 40 answerable, "
                         "one per page, and 10 out of scope; written by an engineer who never read "
                         "the answer code, scored once as written, 42/50, then every miss looked "
                         "at while designing)"),
    "news2": QuestionSet("civic-news2",
                         "Answers on news nobody designed on: a sixth question set",
                         DATA / "civic_news2.jsonl",
                         "100 questions (`benchmarks/data/civic_news2.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news2.md)",
                         news_ids=DATA / "civic_news2_ids.txt"),
    "news3": QuestionSet("civic-news3",
                         "Answers on news nobody designed on: a seventh question set",
                         DATA / "civic_news3.jsonl",
                         "80 questions (`benchmarks/data/civic_news3.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news3.md)",
                         news_ids=DATA / "civic_news3_ids.txt"),
    "english": QuestionSet("civic-english",
                           "English questions on news nobody designed on: an eighth set",
                           DATA / "civic_english.jsonl",
                           "80 questions, 64 of them in English or mixed (`benchmarks/data/"
                           "civic_english.jsonl`, written by an AI helper who never read the "
                           "answer code, before the bot was run on them; see civic_english.md)",
                           news_ids=DATA / "civic_english_ids.txt"),
    "news4": QuestionSet("civic-news4",
                         "Answers on news nobody designed on: a ninth question set",
                         DATA / "civic_news4.jsonl",
                         "80 questions (`benchmarks/data/civic_news4.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news4.md)",
                         news_ids=DATA / "civic_news4_ids.txt"),
    "news5": QuestionSet("civic-news5",
                         "Answers on news nobody designed on: an eleventh question set",
                         DATA / "civic_news5.jsonl",
                         "80 questions (`benchmarks/data/civic_news5.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news5.md)",
                         news_ids=DATA / "civic_news5_ids.txt"),
    "news6": QuestionSet("civic-news6",
                         "Answers on news nobody designed on: a twelfth question set",
                         DATA / "civic_news6.jsonl",
                         "80 questions (`benchmarks/data/civic_news6.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news6.md)",
                         news_ids=DATA / "civic_news6_ids.txt"),
    "news7": QuestionSet("civic-news7",
                         "Answers on news nobody designed on: a fourteenth question set",
                         DATA / "civic_news7.jsonl",
                         "80 questions (`benchmarks/data/civic_news7.jsonl`, written by an AI "
                         "helper who never read the answer code, before the bot was run on them; "
                         "see civic_news7.md)",
                         news_ids=DATA / "civic_news7_ids.txt"),
    "english2": QuestionSet("civic-english2",
                            "English questions on real local-government pages: a thirteenth "
                            "question set",
                            DATA / "civic_english2.jsonl",
                            "80 questions, 62 of them in English or mixed, over civic_dev's "
                            "pages (`benchmarks/data/civic_english2.jsonl`, written by an AI "
                            "helper who never read the answer code, before the bot was run on "
                            "them; see civic_english2.md)"),
    "talk": QuestionSet("civic-talk", "Small talk: a tenth question set",
                        DATA / "civic_talk.jsonl",
                        "40 greetings, thanks and questions about the bot (`benchmarks/data/"
                        "civic_talk.jsonl`, written by an AI helper who never read the answer "
                        "code, before the bot was run on them)"),
}
GROUPS = {"both": ("dev", "extra"), "all": tuple(SETS)}


def knowledge(chosen: QuestionSet, scratch: Path) -> Path:
    """civic_dev's pages as they are, or the chosen news written into `scratch` once."""
    if chosen.news_ids is None:
        return CIVIC / "knowledge"
    folder = scratch / f"knowledge-{chosen.news_ids.stem}"
    if not folder.exists():
        write_news(chosen.news_ids, folder)
    return folder


def main() -> None:
    args = arguments(__doc__, sets=(*SETS, *GROUPS), default_set="both")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        answerers = {}
        for name in GROUPS.get(args.set, (args.set,)):
            chosen = SETS[name]
            cases = [json.loads(line) for line in chosen.questions.open(encoding="utf-8")]
            folder = knowledge(chosen, Path(scratch))
            if chosen.news_ids is not None:
                check_questions(cases, bodies(folder), chosen.questions.name)
            if folder not in answerers:
                answerers[folder] = open_answerer(BotSettings(
                    data_dir=Path(scratch) / f"data-{len(answerers)}", knowledge_dir=folder,
                    _env_file=None))
            outcomes = score_parts(answerers[folder], cases, args.part)
            lines = [f"## {chosen.heading}", "",
                     f"{chosen.pages} and {chosen.described}; correct = answered with an "
                     "expected phrase in the quote and the right page cited (unanswerable: no "
                     "quote). `design` = odd question ids (looked at while designing), "
                     f"`check` = even ids (only scored). Machine load at start {load:.1f}. "
                     f"`python -m benchmarks.civic --set {name}`.", ""]
            lines += part_tables(outcomes)
            finish("\n".join(lines), outcomes, chosen.section, misses=args.misses,
                   write=not args.no_write, dump=args.dump)


if __name__ == "__main__":
    main()
