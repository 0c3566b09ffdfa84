"""Plain text and JSON for the faces that are not Telegram: the console chat and `bot ask`.

The words are the same as on Telegram (bot.present.texts), in the question's language.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.answer import Answer
from bot.domain.smalltalk import SmallTalk
from bot.present.texts import Texts, texts_for
from index import IndexStats

MAX_PUBLISHERS = 4


def describe_knowledge(stats: IndexStats | None, texts: Texts,
                       escape: Callable[[str], str] = str) -> str:
    """What the bot knows: how many articles, from which publishers, how recent."""
    if stats is None or stats.articles == 0:
        return texts.knows_nothing
    names = [escape(p) for p in stats.publishers[:MAX_PUBLISHERS]]
    rest = len(stats.publishers) - len(names)
    if rest > 0:
        names.append(texts.and_others.format(count=rest))
    publishers = ", ".join(names) or texts.some_publishers
    newest = stats.newest.published if stats.newest else None
    if newest:
        return texts.knows.format(articles=stats.articles, publishers=publishers,
                                  newest=newest.strftime("%d/%m/%Y"))
    return texts.knows_undated.format(articles=stats.articles, publishers=publishers)


def reply_text(answer: Answer, stats: IndexStats | None = None) -> str:
    """What the bot says, without its sources: the quote, the curated answer, a friendly word,
    or that the articles do not cover it."""
    texts = texts_for(answer.language)
    if answer.small_talk is SmallTalk.THANKS:
        return texts.you_are_welcome
    if answer.small_talk is SmallTalk.GOODBYE:
        return texts.goodbye
    if answer.small_talk is not None:
        examples = "\n".join(f"  • {e}" for e in texts.examples)
        return (f"{texts.greeting}\n{describe_knowledge(stats, texts)}\n{texts.how_to_ask}\n"
                f"{texts.examples_label}\n{examples}")
    if not answer.answered:
        return texts.not_covered
    if answer.curated_id is not None:
        return f"{texts.verified}\n{answer.text}"
    return answer.text


def format_plain(answer: Answer, stats: IndexStats | None = None) -> str:
    """The reply, then its sources one a line: title, publisher, date, link."""
    lines = [reply_text(answer, stats)]
    if answer.sources:
        lines.append(texts_for(answer.language).sources)
        for source in answer.sources:
            details = ", ".join(x for x in [
                source.publisher,
                source.published.strftime("%d/%m/%Y") if source.published else None,
            ] if x)
            line = f"  - {source.title}" + (f" ({details})" if details else "")
            if source.url:
                line += f"\n    {source.url}"
            lines.append(line)
    return "\n".join(lines)


def answer_json(answer: Answer, stats: IndexStats | None = None) -> dict:
    """The machine-readable answer of `bot ask --json` (and, later, the web API)."""
    return {
        "answered": answer.answered,
        "verified_by_moderators": answer.curated_id is not None,
        "answer": answer.text if answer.answered else reply_text(answer, stats),
        "confidence": round(answer.confidence, 3),
        "language": answer.language,
        "small_talk": answer.small_talk.value if answer.small_talk else None,
        "question": answer.question,
        "sources": [
            {"title": s.title, "url": s.url,
             "published": s.published.isoformat() if s.published else None,
             "source": s.publisher, "publisher": s.publisher}
            for s in answer.sources
        ],
    }
