"""HTML for Telegram: escaped, linked sources, and never more than 4,096 characters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

import pytest

from bot.domain.answer import Answer, Answerer
from bot.present.render import (
    MAX_MESSAGE,
    clip_escaped,
    render_answer,
    render_passages,
    render_welcome,
    size,
    source_line,
)
from bot.present.texts import EN, VI

ANSWERED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"


class _Tags(HTMLParser):
    """Checks that every tag closes, and keeps the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag in {"a", "b", "i"}, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible(html: str) -> str:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return "".join(parser.text)


@pytest.fixture
def answer(answerer: Answerer) -> Answer:
    return answerer.answer(ANSWERED)


def test_answer_then_sources_as_linked_titles_with_publisher_and_date(answer: Answer) -> None:
    html = render_answer(answer, VI)
    body, sources = html.split("\n\n<b>Nguồn:</b>\n")
    assert visible(body) == answer.text
    first = answer.sources[0]
    assert sources.startswith(f'1. <a href="{first.url}">')
    assert visible(sources).startswith(f"1. {first.title} — Kinh tế & Đô thị, 16/02/2023")


def test_at_most_three_sources(answer: Answer) -> None:
    many = dataclasses.replace(answer, sources=[answer.sources[0]] * 5)
    assert render_answer(many, VI).count("<a href=") == 3


def test_english_users_get_an_english_label(answer: Answer) -> None:
    assert "<b>Sources:</b>" in render_answer(answer, EN)


def test_everything_from_articles_is_escaped() -> None:
    line = source_line('<b>&"\'<script>', 'https://x.org/?a=1&b="2"', dt.date(2024, 1, 2),
                       "<i>Báo</i>")
    assert line == ('<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">'
                    "&lt;b&gt;&amp;&quot;&#x27;&lt;script&gt;</a> — "
                    "&lt;i&gt;Báo&lt;/i&gt;, 02/01/2024")


def test_only_web_links_become_links() -> None:
    assert "<a" not in source_line("Tiêu đề", "javascript:alert(1)", None, None)
    assert source_line("Tiêu đề", None, None, None) == "Tiêu đề"


def test_a_long_answer_is_cut_at_a_word_within_the_limit(answer: Answer) -> None:
    long = dataclasses.replace(answer, text="Tổng thu ngân sách đạt 14.732 tỷ đồng & hơn. " * 400)
    html = render_answer(long, VI)
    assert size(html) <= MAX_MESSAGE
    body = html.split("\n\n<b>Nguồn:</b>")[0]
    assert body.endswith("…")
    words = visible(body).removesuffix("…").split()
    assert set(words) <= set("Tổng thu ngân sách đạt 14.732 tỷ đồng & hơn.".split())
    assert "<b>Nguồn:</b>" in html  # the sources survive the cut


def test_cutting_never_splits_an_entity_and_counts_emoji_as_two() -> None:
    text = "&&&& " * 50
    clipped = clip_escaped(text, 23)
    assert size(clipped) <= 23 and clipped == "&amp;&amp;&amp;&amp;…"
    emoji = clip_escaped("👍👍👍👍👍 x", 7)
    assert size(emoji) <= 7 and emoji == "👍👍👍…"


def test_a_single_giant_word_is_cut_between_characters() -> None:
    clipped = clip_escaped("a" * 10_000, 100)
    assert size(clipped) == 100 and clipped.endswith("…")


def test_giant_titles_and_urls_still_fit(answer: Answer) -> None:
    source = dataclasses.replace(answer.sources[0], title="<b>" * 2000,
                                 url="https://x.org/" + "y" * 5000, publisher="&" * 3000)
    html = render_answer(dataclasses.replace(answer, text="chữ " * 3000,
                                             sources=[source] * 3), VI)
    assert size(html) <= MAX_MESSAGE
    visible(html)
    assert "<a href" not in html  # an absurd url is shown as plain title


def test_passages_fit_one_message_under_their_titles(answerer: Answerer) -> None:
    hits = answerer.more(ANSWERED, 0, 3)
    html = render_passages(hits, VI)
    assert size(html) <= MAX_MESSAGE
    text = visible(html)
    assert text.startswith("Các đoạn liên quan khác:")
    for number, hit in enumerate(hits, start=1):
        assert f"{number}. {hit.article.title}" in text
    huge = [dataclasses.replace(h, text="lời " * 5000) for h in hits]
    assert size(render_passages(huge, VI)) <= MAX_MESSAGE


def test_welcome_names_publishers_count_and_newest(answerer: Answerer) -> None:
    stats = answerer.index.stats()
    text = visible(render_welcome(stats, VI, in_group=False))
    assert "10 bài viết" in text and "05/06/2024" in text and "và 6 nguồn khác" in text
    group = visible(render_welcome(stats, VI, in_group=True))
    assert "• /hoi " in group
    odd = dataclasses.replace(stats, publishers=["<Báo & Đài>"])
    assert "&lt;Báo &amp; Đài&gt;" in render_welcome(odd, VI, in_group=False)
    empty = dataclasses.replace(stats, articles=0, publishers=[], newest=None)
    assert "chưa có bài viết" in render_welcome(empty, VI, in_group=False)


def test_three_sources_with_the_longest_links_kept_still_leave_room(answerer: Answerer) -> None:
    hits = answerer.more(ANSWERED, 0, 3)
    article = dataclasses.replace(hits[0].article, title="Tiêu đề & " * 100,
                                  url="https://x.org/" + "y" * 490, publisher="Báo & " * 100)
    long = [dataclasses.replace(h, article=article, text="lời " * 3000) for h in hits]
    html = render_passages(long, VI)
    assert size(html) <= MAX_MESSAGE and html.count("<a href") == 3
    assert visible(html).count("lời lời") >= 3  # every passage keeps some text
