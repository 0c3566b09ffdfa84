"""Several bot replicas behind one webhook: two real bots (two Applications, each with its own
question log engine, index and rate limiter, as on two machines) share one database and one
DATA_DIR. Each replica talks to its own fake Bot API server: the updates a load balancer
would route to it. On PostgreSQL, and on SQLite shared through DATA_DIR."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.present.texts import MODERATOR, VI
from bot.settings import BotSettings
from bot.telegram.jobs import ANNOUNCE
from fakes.news_site import NewsSite
from fakes.telegram_api import FakeTelegram
from index import Embedder, Index
from tests import telegram_harness as harness
from tests.conftest import BACKENDS
from tests.test_telegram_moderation import buttons, open_review, to
from tests.test_telegram_staff import PARAGRAPHS, QUESTION, TITLE

ALICE, MOD1, MOD2, STAFF = 501, 601, 602, 900
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"
COVERED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
ARTICLE = "/tin/chuong-duong.html"
CITED_WITHIN_S = 60  # the promise in README "Several replicas"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@dataclass
class Replica:
    fake: FakeTelegram
    log: QuestionLog
    answerer: Answerer
    app: Application


@pytest.fixture
def settings(sample_settings: BotSettings, database_url: str, tmp_path: Path) -> BotSettings:
    """What every replica is configured with: one DATA_DIR, one knowledge folder (staff
    write into it), one DATABASE_URL."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(sample_settings.knowledge_dir, knowledge)
    return sample_settings.model_copy(update={
        "knowledge_dir": knowledge, "database_url": SecretStr(database_url), "staff_ids": {STAFF},
        "moderator_ids": {MOD1, MOD2}, "allow_private_urls": True})


@asynccontextmanager
async def replicas(settings: BotSettings, model: Embedder, count: int = 2,
                   **overrides: object) -> AsyncIterator[list[Replica]]:
    """`count` replicas started as `python -m bot` starts one, each on its own fake server."""
    async with AsyncExitStack() as stack:
        started = []
        for _ in range(count):
            fake = await stack.enter_async_context(FakeTelegram())
            log = QuestionLog.open(settings.data_dir, "test-secret",
                                   url=settings.database_url.get_secret_value())
            stack.callback(log.close)
            answerer = Answerer(Index.open(settings, embedder=model), settings)
            app = await stack.enter_async_context(
                harness.running(fake, answerer, log, **overrides))
            started.append(Replica(fake, log, answerer, app))
        yield started


async def test_two_moderators_on_two_replicas_pressing_answer_at_once_exactly_one_wins(
        settings: BotSettings, model: Embedder) -> None:
    async with replicas(settings, model) as (a, b):
        a.fake.push_text(ALICE, NOT_COVERED)
        await a.fake.wait_for("sendMessage", to(ALICE, "chưa có thông tin"))
        question_id = a.log.latest()[0].id
        first, second = await open_review(a.fake, MOD1), await open_review(b.fake, MOD2)
        assert f"#{question_id}" in first.result["text"]  # replica B sees A's question
        assert buttons(second) == buttons(first)
        a.fake.push_callback(MOD1, first, f"rv:edit:{question_id}")
        b.fake.push_callback(MOD2, second, f"rv:edit:{question_id}")
        pressed = [await r.fake.wait_for("answerCallbackQuery", timeout=30) for r in (a, b)]
        refused = [c for c in pressed if c.params.get("text") == MODERATOR.taken]
        assert len(refused) == 1 and refused[0].params["show_alert"] is True
        winner, winner_replica = (MOD2, b) if refused[0] is pressed[0] else (MOD1, a)
        prompt = await winner_replica.fake.wait_for("sendMessage", to(winner, "Gõ câu trả lời"))
        assert f"#{question_id}" in prompt.result["text"]
        for replica in (a, b):
            assert replica.log.question(question_id).claimed_by == a.log.user_key(winner)


async def test_forget_me_on_one_replica_erases_what_another_replica_logged(
        settings: BotSettings, model: Embedder) -> None:
    async with replicas(settings, model) as (a, b):
        b.fake.push_text(ALICE, NOT_COVERED)
        await b.fake.wait_for("sendMessage", to(ALICE))
        a.fake.push_text(ALICE, COVERED)
        await a.fake.wait_for("sendMessage", to(ALICE))
        a.fake.push_text(ALICE, "/xoadulieu")
        confirm = await a.fake.wait_for("sendMessage", to(ALICE, "xoá toàn bộ 2 câu hỏi"))
        a.fake.push_callback(ALICE, confirm, f"forget:yes:{ALICE}")
        done = await a.fake.wait_for("editMessageText")
        assert done.result["text"] == "Đã xoá 2 câu hỏi của bạn."
        assert b.log.count_for_user(ALICE) == 0 and b.log.latest() == []
        b.fake.push_text(ALICE, "/xoadulieu")
        nothing = await b.fake.wait_for("sendMessage", to(ALICE))
        assert nothing.result["text"] == VI.forget_nothing


async def test_the_per_user_rate_limit_holds_across_replicas(
        settings: BotSettings, model: Embedder) -> None:
    """Three questions allowed per hour: two on A, one on B, and B refuses the fourth,
    though B alone has seen only two."""
    async with replicas(settings, model, rate_limit_questions=3,
                        rate_limit_window_s=3600.0) as (a, b):
        for replica in (a, a, b):
            replica.fake.push_text(ALICE, COVERED)
            reply = await replica.fake.wait_for("sendMessage", to(ALICE), timeout=30)
            assert "Nguồn:" in reply.result["text"]
        b.fake.push_text(ALICE, COVERED)
        notice = await b.fake.wait_for("sendMessage", to(ALICE))
        assert notice.result["text"] == VI.rate_limited
        assert len(a.log.latest()) == 3


@pytest.mark.parametrize("backend", ["sqlite"])  # the index is shared through DATA_DIR alone
async def test_an_article_added_on_one_replica_is_cited_by_the_other_without_a_restart(
        settings: BotSettings, model: Embedder) -> None:
    """Staff /add on A publishes a new generation into the shared DATA_DIR; B's job picks
    it up (every 5 s) and cites it within a minute. While B swaps generations, every answer
    it gives comes whole from one of them: the new article cited with its text, or absent."""
    with NewsSite(name="Cổng thông tin điện tử quận Hoàn Kiếm") as site:
        site.add_article(ARTICLE, TITLE, PARAGRAPHS, dt.date(2024, 9, 12))
        async with replicas(settings, model) as (a, b):
            before = b.answerer.index.generation
            watching = threading.Event()
            seen: list[tuple[bool, bool]] = []  # (cites the new article, quotes its text)
            errors: list[BaseException] = []

            def ask_b_continuously() -> None:
                while not watching.is_set():
                    try:
                        answer = b.answerer.answer(QUESTION)
                    except BaseException as error:  # any error is the finding
                        errors.append(error)
                        return
                    cites = any(s.title == TITLE for s in answer.sources)
                    seen.append((cites, "6h00" in answer.text))

            asker = threading.Thread(target=ask_b_continuously)
            asker.start()
            try:
                a.fake.push_text(STAFF, f"/add {site.url(ARTICLE)}")
                await a.fake.wait_for("editMessageText",
                                      lambda c: "Đã thêm" in (c.params.get("text") or ""),
                                      timeout=120)
                for _ in range(CITED_WITHIN_S * 10):
                    if any(cites for cites, _ in seen) or errors:
                        break
                    await asyncio.sleep(0.1)
            finally:
                watching.set()
                await asyncio.to_thread(asker.join)
            assert b.answerer.index.generation > before, "B never picked up the new index"
            assert not errors, errors
            assert all(cites == quotes for cites, quotes in seen), seen
            assert not seen[0][0] and seen[-1][0]  # B answered across the swap
            b.fake.push_text(ALICE, QUESTION)
            answer = await b.fake.wait_for("sendMessage", to(ALICE), timeout=30)
            assert "6h00" in answer.result["text"] and TITLE in answer.result["text"]


async def test_replicas_announcing_at_once_announce_each_question_once_and_retry_a_failure(
        settings: BotSettings, model: Embedder) -> None:
    group = -100888
    async with replicas(settings, model, moderator_chat_id=group) as (a, b):
        asked = [(a, NOT_COVERED), (b, "Tỷ giá đô la Mỹ hôm nay là bao nhiêu?")]
        for replica, question in asked:
            replica.fake.push_text(ALICE, question)
            await replica.fake.wait_for("sendMessage", to(ALICE, "chưa có thông tin"))
        jobs = [r.app.job_queue.get_jobs_by_name(ANNOUNCE)[0] for r in (a, b)]
        a.fake.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        await asyncio.gather(jobs[0].run(a.app), jobs[1].run(b.app))
        await asyncio.gather(jobs[0].run(a.app), jobs[1].run(b.app))  # A's failure, retried
        texts = [m["text"] for r in (a, b) for m in r.fake.sent_messages(group)]
        for _, question in asked:
            assert sum(t.count(question) for t in texts) == 1, texts
        assert a.log.unannounced() == []


async def test_a_moderators_answer_may_reach_another_replica_than_their_button(
        settings: BotSettings, model: Embedder) -> None:
    answer = "Giá vàng do doanh nghiệp niêm yết, không thuộc phạm vi của phường."
    async with replicas(settings, model) as (a, b):
        a.fake.push_text(ALICE, NOT_COVERED)
        await a.fake.wait_for("sendMessage", to(ALICE, "chưa có thông tin"))
        question_id = a.log.latest()[0].id
        review = await open_review(a.fake, MOD1)
        a.fake.push_callback(MOD1, review, f"rv:edit:{question_id}")
        prompt = await a.fake.wait_for("sendMessage", to(MOD1, "Gõ câu trả lời"))
        b.fake.push_text(MOD1, answer, reply_to=prompt.result)  # routed to replica B
        await b.fake.wait_for("sendMessage", to(MOD1, "Đã gửi câu trả lời"))
        delivered = await b.fake.wait_for("sendMessage", to(ALICE, "cán bộ phụ trách"))
        assert answer in delivered.result["text"]
        logged = a.log.question(question_id)
        assert logged.review_state == "reviewed" and logged.moderator_answer == answer
        a.fake.push_text(MOD1, "Thủ tục cấp lại căn cước?")  # answered: a question again
        reply = await a.fake.wait_for("sendMessage", to(MOD1))
        assert "Đã gửi" not in reply.result["text"]


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_python_m_bot_processes_on_one_postgresql_share_log_erasure_and_limits(
        settings: BotSettings, database_url: str, tmp_path: Path) -> None:
    """As deployed: two `python -m bot` processes, DATABASE_URL in their environment. Alice
    asks on A; /xoadulieu on B finds and erases it; her fourth message of an hour (three
    allowed, spent on both) is refused on A."""
    async with FakeTelegram() as fake_a, FakeTelegram() as fake_b:
        processes = []
        try:
            for fake in (fake_a, fake_b):
                env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST",
                       "TELEGRAM_BASE_URL": fake.base_url, "DATABASE_URL": database_url,
                       "DATA_DIR": str(settings.data_dir), "LOG_SECRET": "process-secret",
                       "KNOWLEDGE_DIR": str(settings.knowledge_dir), "WEBHOOK_URL": "",
                       "RATE_LIMIT_QUESTIONS": "3", "RATE_LIMIT_WINDOW_S": "3600",
                       "PYTHONPATH": str(ROOT)}
                processes.append(await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL))
            for fake in (fake_a, fake_b):
                await fake.wait_for("getUpdates", timeout=120)
            fake_a.push_text(ALICE, COVERED)
            answer = await fake_a.wait_for("sendMessage", to(ALICE), timeout=60)
            assert "Nguồn:" in answer.result["text"]
            fake_b.push_text(ALICE, "/xoadulieu")
            confirm = await fake_b.wait_for("sendMessage", to(ALICE, "xoá toàn bộ 1 câu hỏi"))
            fake_b.push_callback(ALICE, confirm, f"forget:yes:{ALICE}")
            done = await fake_b.wait_for("editMessageText", timeout=30)
            assert done.result["text"] == "Đã xoá 1 câu hỏi của bạn."
            fake_a.push_text(ALICE, COVERED)
            notice = await fake_a.wait_for("sendMessage", to(ALICE), timeout=30)
            assert notice.result["text"] == VI.rate_limited
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await asyncio.wait_for(process.wait(), 60)
    log = QuestionLog.open(tmp_path, "process-secret", url=database_url)
    assert log.count_for_user(ALICE) == 0 and log.questions() == []
    log.close()
