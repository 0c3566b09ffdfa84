"""Property-based: whatever a citizen types, an article holds or a client sends as callback
data, the bot renders valid Telegram HTML within one message, or answers (or stays silent)
without an exception."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.answer import Answer, Answerer
from bot.domain.question_log import QuestionLog
from bot.present.render import MAX_MESSAGE, clip_escaped, render_answer, size
from bot.present.texts import EN, VI
from fakes.telegram_api import FakeTelegram, render_text
from index import Citation
from tests.telegram_harness import running

CITIZEN, MODERATOR = 501, 601
ANSWERED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
# Any text Telegram could carry, markup-looking text and long runs included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300) | st.text(
    "<>&\"' \n/ab👍", max_size=300) | st.builds(lambda s, n: s * n, st.text(max_size=5),
                                               st.integers(0, 3000))
CITATION = st.builds(Citation, id=st.text(max_size=10), title=TEXT,
                     url=st.none() | st.just("https://a.example/") | TEXT.map("https://".__add__),
                     published=st.none() | st.dates(dt.date(1990, 1, 1)),
                     publisher=st.none() | TEXT)


@given(text=TEXT, sources=st.lists(CITATION, max_size=5), curated=st.booleans(),
       english=st.booleans())
def test_any_answer_renders_as_balanced_html_within_one_message(
        text: str, sources: list[Citation], curated: bool, english: bool) -> None:
    answer = Answer(text, sources, 0.9, True, curated_id=1 if curated else None)
    html_text = render_answer(answer, EN if english else VI)
    assert size(html_text) <= MAX_MESSAGE
    render_text(html_text, "HTML")  # Telegram's parser: raises on an unbalanced tag


@given(text=TEXT, budget=st.integers(1, 5000))
def test_clipping_any_text_stays_escaped_and_within_its_budget(text: str, budget: int) -> None:
    clipped = clip_escaped(text, budget)
    assert size(clipped) <= max(budget, size("…"))
    visible = render_text(clipped, "HTML")
    assert visible.removesuffix("…").rstrip() == html.unescape(clipped).removesuffix("…").rstrip()
    assert text.startswith(visible.removesuffix("…").rstrip()) or visible.endswith("…")


CALLBACK_DATA = st.text(max_size=64) | st.from_regex(
    r"(fb|more|rv:ok|rv:edit|rv:faq|rv:spam|rv:skip|forget:yes|forget:no|noop)"
    r"(:[-0-9٠-٩]{0,22}){0,3}\n?", fullmatch=True)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(presses=st.lists(st.tuples(st.sampled_from([CITIZEN, MODERATOR]), CALLBACK_DATA),
                        min_size=1, max_size=25))
def test_any_callback_data_ends_in_a_reply_or_silence_never_an_exception(
        answerer: Answerer, question_log: QuestionLog, caplog: pytest.LogCaptureFixture,
        presses: list[tuple[int, str]]) -> None:
    caplog.set_level(logging.ERROR)

    async def scenario() -> None:
        async with FakeTelegram() as fake, running(
                fake, answerer, question_log, moderator_ids={MODERATOR},
                rate_limit_questions=1000) as app:
            fake.push_text(CITIZEN, ANSWERED)
            answer = await fake.wait_for("sendMessage")
            for user, data in presses:
                last = fake.push_callback(user, answer, data)
            await fake.wait_for("getUpdates", lambda c: int(c.params.get("offset") or 0)
                                > last["update_id"], since=0)
            await app.update_queue.join()
            await asyncio.sleep(0.2)  # replies started by the last handlers
            errors = [c for c in fake.sent_messages() if c["text"].startswith("Xin lỗi, đã có")]
            assert errors == []

    asyncio.run(scenario())
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
