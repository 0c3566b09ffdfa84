"""Telegram HTML for answers, passages and the greeting: escaped, and always within 4,096 chars.

Text from articles and users is escaped here and only here, word by word as it is measured, so
a message cut to fit never ends inside a tag, an entity or a word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from html import escape

from bot.domain.answer import Answer
from bot.present.texts import Texts
from index import Hit, IndexStats

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units
MAX_SOURCES = 3
MAX_TITLE = 160
MAX_URL = 512  # longer links are shown as plain titles, so three always fit
MAX_EXCERPT = 900
MAX_PUBLISHERS = 4
ELLIPSIS = "…"
_SPACES = re.compile(r"(\s+)")


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def clip_escaped(text: str, budget: int) -> str:
    """`text` escaped, cut at a word boundary (with "…") so the result fits in `budget`."""
    whole = escape(text)
    if size(whole) <= budget:
        return whole
    room = budget - size(ELLIPSIS)
    out: list[str] = []
    used = 0
    for piece in _SPACES.split(text):
        if not piece:
            continue
        escaped = escape(piece)
        if used + size(escaped) > room:
            if not out:  # one word longer than the budget: cut it between characters
                out.append(_clip_chars(piece, room))
            break
        out.append(escaped)
        used += size(escaped)
    return "".join(out).rstrip() + ELLIPSIS


def _clip_chars(word: str, room: int) -> str:
    out, used = [], 0
    for char in word:
        escaped = escape(char)
        if used + size(escaped) > room:
            break
        out.append(escaped)
        used += size(escaped)
    return "".join(out)


def source_line(title: str, url: str | None, published: dt.date | None,
                publisher: str | None) -> str:
    """A linked title (when there is a safe url), then publisher and date."""
    name = clip_escaped(title or "—", MAX_TITLE)
    if url and url.startswith(("https://", "http://")) and len(url) <= MAX_URL:
        name = f'<a href="{escape(url, quote=True)}">{name}</a>'
    details = [clip_escaped(publisher, MAX_TITLE) if publisher else "",
               published.strftime("%d/%m/%Y") if published else ""]
    details = [d for d in details if d]
    return f"{name} — {', '.join(details)}" if details else name


def render_answer(answer: Answer, texts: Texts) -> str:
    """The answer, then "Nguồn:" and up to three sources."""
    lines = [f"<b>{texts.sources}</b>"]
    for number, src in enumerate(answer.sources[:MAX_SOURCES], start=1):
        lines.append(f"{number}. {source_line(src.title, src.url, src.published, src.publisher)}")
    sources = "\n".join(lines) if len(lines) > 1 else ""
    label = f"<b>{texts.verified}</b>\n" if answer.curated_id is not None else ""
    budget = MAX_MESSAGE - size(sources) - size(label) - 2
    body = label + clip_escaped(answer.text.strip(), budget)
    return f"{body}\n\n{sources}" if sources else body


def render_passages(hits: Sequence[Hit], texts: Texts) -> str:
    """"Xem thêm": each further passage under its linked title, cut to fit one message."""
    heads = []
    for number, hit in enumerate(hits, start=1):
        ref = hit.article
        heads.append(f"<b>{number}.</b> "
                     f"{source_line(ref.title, ref.url, ref.published, ref.publisher)}")
    fixed = size(texts.more_heading) + sum(size(h) + 3 for h in heads) + 2
    each = max(0, min(MAX_EXCERPT, (MAX_MESSAGE - fixed) // max(len(hits), 1)))
    blocks = [texts.more_heading]
    for head, hit in zip(heads, hits, strict=True):
        blocks.append(f"{head}\n{clip_escaped(_without_title(hit), each)}")
    return "\n\n".join(blocks)


def _without_title(hit: Hit) -> str:
    """Passages open with the article title; the link above already shows it."""
    text = hit.text.strip()
    title = hit.article.title.strip()
    if title and text.startswith(title):
        text = text[len(title):].strip()
    return text or hit.text


def render_welcome(stats: IndexStats, texts: Texts, in_group: bool) -> str:
    """What the bot knows (publishers, number of articles, newest), how to ask, examples."""
    if stats.articles == 0:
        knows = texts.knows_nothing
    else:
        names = [escape(p) for p in stats.publishers[:MAX_PUBLISHERS]]
        rest = len(stats.publishers) - len(names)
        if rest > 0:
            names.append(texts.and_others.format(count=rest))
        publishers = ", ".join(names) or texts.some_publishers
        newest = stats.newest.published if stats.newest else None
        if newest:
            knows = texts.knows.format(articles=stats.articles, publishers=publishers,
                                       newest=newest.strftime("%d/%m/%Y"))
        else:
            knows = texts.knows_undated.format(articles=stats.articles, publishers=publishers)
    how = f"{texts.how_to_ask} {texts.how_to_ask_group}" if in_group else texts.how_to_ask
    prefix = f"/{texts.ask_command} " if in_group else ""
    examples = "\n".join(f"• {prefix}{escape(e)}" for e in texts.examples)
    return f"{texts.welcome}\n\n{knows}\n\n{how}\n{texts.examples_label}\n{examples}"
