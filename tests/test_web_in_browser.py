"""The console and the web chat as a person uses them: Debian's Chromium, headless, driven by
Playwright (its own browser downloads are never used), against the running bot and the fake
Bot API. Every page visited is saved as a screenshot under the test's tmp_path."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from fakes.telegram_api import FakeTelegram
from tests import telegram_harness as harness
from tests.conftest import SAMPLE_KNOWLEDGE
from tests.test_web_with_telegram import MODERATOR, STAFF, login_link, settings_for
from tests.test_web_with_telegram import free_port as _free_port

CHROMIUM = Path("/usr/bin/chromium")
CITIZEN = 901
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"
ASKED = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    # CI installs it (.ci/run); there a missing browser is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)",
                allow_module_level=True)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                    args=["--no-sandbox"])
        yield launched
        await launched.close()


async def shot(page: Page, folder: Path, name: str) -> None:
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert (folder / f"{name}.png").stat().st_size > 0


async def fits_the_screen(page: Page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1")


async def test_a_moderator_logs_in_from_telegram_answers_a_question_and_downloads_the_csv(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog, browser: Browser,
        tmp_path: Path) -> None:
    port = _free_port()
    async with harness.running(fake, answerer, question_log, **settings_for(port)):
        fake.push_text(CITIZEN, NOT_COVERED)
        await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == CITIZEN)
        link = await login_link(fake, MODERATOR)
        context = await browser.new_context(accept_downloads=True, locale="vi-VN")
        page = await context.new_page()
        await page.goto(link)
        await shot(page, tmp_path, "login")
        await page.locator("#log-in").click()
        await expect(page).to_have_url(re.compile(r"/console/$"))
        await shot(page, tmp_path, "overview")
        for chart in ("#chart-questions", "#chart-votes"):
            assert await page.locator(f"{chart} g.day").count() == 30
            assert await page.locator(f"{chart} rect").count() > 0
        assert await page.locator("#chart-share circle.point").count() == 30
        box = await page.locator("#chart-questions").bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50

        await page.get_by_role("link", name="Duyệt câu hỏi").first.click()
        await shot(page, tmp_path, "review")
        await page.get_by_role("link", name=re.compile(re.escape(NOT_COVERED))).click()
        await expect(page.locator("#question-text")).to_have_text(NOT_COVERED)
        await shot(page, tmp_path, "review-question")
        mark = fake.mark()
        await page.locator("textarea[name=answer]").fill("Giá vàng do các ngân hàng công bố.")
        await page.locator("#send-answer").click()
        await expect(page.locator("#notice")).to_contain_text("Đã gửi")
        await shot(page, tmp_path, "review-answered")
        call = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == CITIZEN,
                                   since=mark)
        assert "Giá vàng do các ngân hàng công bố." in call.result["text"]

        await page.get_by_role("link", name="Nhật ký câu hỏi").click()
        await expect(page.locator("table.log")).to_contain_text(NOT_COVERED)
        await shot(page, tmp_path, "log")
        async with page.expect_download() as download_info:
            await page.locator("#export-csv").click()
        download = await download_info.value
        saved = tmp_path / "questions.csv"
        await download.save_as(saved)
        exported = saved.read_text(encoding="utf-8-sig")
        assert NOT_COVERED in exported and "Giá vàng do các ngân hàng công bố." in exported
        assert str(CITIZEN) not in exported

        await page.get_by_role("link", name="Nhật ký thao tác").click()
        await expect(page.locator("table.audit")).to_contain_text("review.answer")
        await shot(page, tmp_path, "audit")
        phone = await context.new_page()
        await phone.set_viewport_size(PHONE)
        await phone.goto(f"http://127.0.0.1:{port}/console/review/1")
        assert await fits_the_screen(phone)
        await shot(phone, tmp_path, "review-phone")
        await context.close()


async def test_staff_upload_an_article_and_watch_the_progress_finish(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog, browser: Browser,
        tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SAMPLE_KNOWLEDGE, knowledge)
    article = tmp_path / "upload" / "gio-tiep-dan.md"
    article.parent.mkdir()
    article.write_text(
        "---\ntitle: \"Phường Tràng Tiền đổi giờ tiếp công dân\"\n"
        "url: https://trangtien.example.gov.vn/gio-tiep-dan\npublished: 2024-05-02\n"
        "source: UBND phường Tràng Tiền\n---\n"
        "Từ ngày 6 tháng 5 năm 2024, Ủy ban nhân dân phường Tràng Tiền tiếp công dân vào "
        "sáng thứ Ba và chiều thứ Năm hằng tuần tại trụ sở số 12 phố Tràng Tiền. Người dân "
        "mang theo giấy tờ tùy thân và các tài liệu liên quan đến nội dung kiến nghị.\n",
        encoding="utf-8")
    port = _free_port()
    async with harness.running(fake, answerer, question_log, knowledge_dir=knowledge,
                               **settings_for(port)):
        link = await login_link(fake, STAFF)
        context = await browser.new_context(locale="en-GB")  # English when the browser asks
        page = await context.new_page()
        await page.goto(link)
        await page.locator("#log-in").click()
        await page.get_by_role("link", name="Articles").click()
        await expect(page.locator("#index-stats")).to_be_visible()
        await shot(page, tmp_path, "knowledge")
        await page.locator("input[name=files]").set_input_files(str(article))
        await page.locator("#add-button").click()
        finished = page.locator("#job-finished")
        await expect(finished).to_be_visible(timeout=120_000)
        await expect(page.locator("#job-items")).to_contain_text(
            "added  Phường Tràng Tiền đổi giờ tiếp công dân")
        await expect(page.locator("#job-summary")).to_contain_text("1 added")
        await shot(page, tmp_path, "knowledge-added")
        await page.goto(f"http://127.0.0.1:{port}/console/knowledge?q=tràng tiền")
        await expect(page.locator("table.articles")).to_contain_text("đổi giờ tiếp công dân")
        assert len(list(knowledge.rglob("*.md"))) == len(list(SAMPLE_KNOWLEDGE.rglob("*.md"))) + 1
        await context.close()


async def test_a_citizen_asks_in_the_web_chat_votes_and_opens_a_source(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog, browser: Browser,
        tmp_path: Path) -> None:
    port = _free_port()
    async with harness.running(fake, answerer, question_log, web_chat=True,
                               **settings_for(port)):
        context = await browser.new_context(locale="vi-VN", viewport=PHONE)
        opened: list[str] = []

        async def article(route) -> None:  # the sources are on the internet, which is not here
            opened.append(route.request.url)
            await route.fulfill(body="<h1>Bài viết</h1>", content_type="text/html")

        await context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), article)
        page = await context.new_page()
        await page.goto(f"http://127.0.0.1:{port}/")
        await shot(page, tmp_path, "chat")
        await page.locator("#question").fill(ASKED)
        await page.locator("#question").press("Enter")
        source = page.locator("a.source").first
        await expect(source).to_be_visible(timeout=60_000)
        assert "Ban Dân vận" in await page.locator("#messages li.bot").first.inner_text()
        assert "16/02/2023" in await source.inner_text()  # the quote's date, as on Telegram
        assert await fits_the_screen(page)
        await shot(page, tmp_path, "chat-answered")
        href = await source.get_attribute("href")
        async with page.expect_popup() as popup_info:
            await source.click()
        popup = await popup_info.value
        await popup.wait_for_load_state()
        assert popup.url == href and opened == [href]
        await page.locator("button.vote-up").click()
        await expect(page.locator(".votes")).to_have_text("Cảm ơn bạn đã góp ý!")
        logged = question_log.latest(1)[0]
        assert logged.chat_type == "web" and logged.feedback == 1 and logged.question == ASKED
        await context.close()
