"""The web console and web chat in-process: who may enter, CSRF, roles, the review queue shared
with Telegram, the chat API's rules, and hostile text escaped wherever it is shown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from bot.domain.answer import Answer, Answerer
from bot.domain.console_access import MODERATOR, STAFF
from bot.domain.question_log import Asked, QuestionLog
from bot.present.plain import answer_json
from bot.present.texts import VI
from tests.web_harness import (
    BASE,
    MODERATOR_ID,
    STAFF_ID,
    STAFF_ROLES,
    Clock,
    client,
    csrf_of,
    log_in,
    open_link,
    web_app,
)

CITIZEN = 987654321  # a Telegram id: it must never appear on a page
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> thu gom rác'
UNANSWERED = Answer("", [], 0.1, False)
CONSOLE_PAGES = ["/console/", "/console/review", "/console/faq", "/console/log",
                 "/console/knowledge", "/console/audit", "/console/log.csv"]


def _ask(log: QuestionLog, question: str, answer: Answer = UNANSWERED,
         user_id: int = CITIZEN) -> int:
    return log.record(Asked(user_id=user_id, chat_type="private", question=question,
                            answer=answer, latency_ms=12, chat_id=user_id, message_id=5))


async def test_without_a_session_every_console_page_shows_the_login_page(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (_, app), client(app) as http:
        for path in CONSOLE_PAGES:
            response = await http.get(path)
            assert response.status_code == 401, path
            assert "/web" in response.text and "Đăng nhập" in response.text
        async with client(app) as fresh:  # no cookie at all: nothing to forge, no session
            response = await fresh.post("/console/review/1/spam", data={"csrftoken": "x"})
            assert response.status_code == 401


async def test_a_login_link_opens_a_session_once_and_logout_ends_it(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        link = ctx.access.login_link(BASE, MODERATOR_ID, "Lan", frozenset({MODERATOR}))
        shown = await http.get(link)  # opening it shows a button; it does not use it
        assert shown.status_code == 200 and (await http.get(link)).status_code == 200
        first = await open_link(http, link)
        assert first.status_code == 303 and first.headers["location"] == "/console/"
        cookie = next(c for c in first.headers.get_list("set-cookie") if "hd_session" in c)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=28800" in cookie
        assert (await http.get("/console/")).status_code == 200
        async with client(app) as other:
            again = await open_link(other, link)
            assert again.status_code == 403 and "đã được dùng" in again.text
            assert (await other.get("/console/")).status_code == 401
        token = await csrf_of(http, "/console/")
        out = await http.post("/console/logout", data={"csrftoken": token})
        assert out.status_code == 303
        assert (await http.get("/console/")).status_code == 401
        actions = [e.action for e in ctx.store.audit_entries()]
        assert actions[:2] == ["logout", "login"]


async def test_an_expired_or_forged_login_link_is_refused_and_a_session_expires(
        answerer: Answerer, question_log: QuestionLog) -> None:
    clock = Clock()
    async with web_app(answerer, question_log, clock) as (ctx, app), client(app) as http:
        link = ctx.access.login_link(BASE, MODERATOR_ID, "Lan", frozenset({MODERATOR}))
        clock.offset = dt.timedelta(minutes=11)
        expired = await http.get(link)
        assert expired.status_code == 403 and "hết hạn" in expired.text
        token = http.cookies["csrftoken"]  # set with the page that said it expired
        posted = await http.post("/console/login", data={
            "csrftoken": token, "token": link.split("token=")[1]})
        assert posted.status_code == 403 and "hết hạn" in posted.text
        clock.offset = dt.timedelta()
        forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
        assert (await http.get(forged)).status_code == 403
        await log_in(http, ctx)
        assert (await http.get("/console/")).status_code == 200
        clock.offset += dt.timedelta(hours=8, minutes=1)
        assert (await http.get("/console/")).status_code == 401


async def test_a_form_without_its_csrf_token_is_refused(
        answerer: Answerer, question_log: QuestionLog) -> None:
    question_id = _ask(question_log, "Giờ làm việc của phường?")
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        await log_in(http, ctx)
        await csrf_of(http, "/console/review")  # the CSRF cookie is set
        refused = await http.post(f"/console/review/{question_id}/spam", data={})
        assert refused.status_code == 403
        wrong = await http.post(f"/console/review/{question_id}/spam",
                                data={"csrftoken": "forged"})
        assert wrong.status_code == 403
        assert question_log.question(question_id).review_state == "unanswered"
        token = await csrf_of(http, f"/console/review/{question_id}")
        done = await http.post(f"/console/review/{question_id}/spam", data={"csrftoken": token})
        assert done.status_code == 303
        assert question_log.question(question_id).review_state == "spam"


async def test_staff_cannot_reach_moderation_and_moderators_cannot_reach_knowledge(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (ctx, app):
        async with client(app) as staff:
            await log_in(staff, ctx, STAFF_ID, STAFF_ROLES)
            for path in ("/console/review", "/console/faq", "/console/log", "/console/log.csv"):
                assert (await staff.get(path)).status_code == 403, path
            assert (await staff.get("/console/knowledge")).status_code == 200
            assert (await staff.get("/console/")).status_code == 200
        async with client(app) as moderator:
            await log_in(moderator, ctx)
            assert (await moderator.get("/console/knowledge")).status_code == 403
            token = await csrf_of(moderator, "/console/review")
            post = await moderator.post("/console/knowledge/remove",
                                        data={"csrftoken": token, "article": "x"})
            assert post.status_code == 403
            assert (await moderator.get("/console/review")).status_code == 200


def test_a_login_link_is_only_for_moderators_and_staff(answerer: Answerer,
                                                       question_log: QuestionLog) -> None:
    from bot.domain.console_access import ConsoleAccess, roles_of
    from bot.domain.console_store import ConsoleStore

    settings = answerer.settings.model_copy(update={"moderator_ids": {1}, "staff_ids": {2}})
    assert roles_of(1, settings) == {MODERATOR} and roles_of(2, settings) == {STAFF}
    access = ConsoleAccess(ConsoleStore(question_log), question_log, "s" * 40)
    with pytest.raises(ValueError):
        access.login_link(BASE, 3, "someone", roles_of(3, settings))


async def test_an_answer_from_the_console_cannot_be_given_while_telegram_holds_the_question(
        answerer: Answerer, question_log: QuestionLog) -> None:
    question_id = _ask(question_log, "Khi nào thu gom rác cồng kềnh?")
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        await log_in(http, ctx)
        telegram_moderator = 5150
        assert ctx.moderation.claim(question_id, telegram_moderator)
        token = await csrf_of(http, f"/console/review/{question_id}")
        response = await http.post(f"/console/review/{question_id}/answer",
                                   data={"csrftoken": token, "answer": "Thứ bảy hằng tuần."})
        assert response.status_code == 303 and "held_by_other" in response.headers["location"]
        assert question_log.question(question_id).moderator_answer is None
        ctx.moderation.release(question_id, telegram_moderator)
        response = await http.post(f"/console/review/{question_id}/answer",
                                   data={"csrftoken": token, "answer": "Thứ bảy hằng tuần.",
                                         "save_faq": "1"})
        assert response.status_code == 303
        # No bot in this app: recorded, reported as not delivered, and saved as FAQ.
        assert "not_delivered" in response.headers["location"]
        done = question_log.question(question_id)
        assert done.review_state == "reviewed" and done.moderator_answer == "Thứ bảy hằng tuần."
        assert [c.answer for c in ctx.assistant.curated.list()] == ["Thứ bảy hằng tuần."]
        assert not ctx.moderation.claim(question_id, telegram_moderator)  # never twice


async def test_hostile_question_text_is_escaped_on_every_page_and_no_raw_id_is_shown(
        answerer: Answerer, question_log: QuestionLog) -> None:
    question_id = _ask(question_log, HOSTILE)
    _ask(question_log, HOSTILE + " lần hai")
    question_log.add_curated(HOSTILE, "<b>trả lời</b>")
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        await log_in(http, ctx, MODERATOR_ID, frozenset({MODERATOR, STAFF}), name="<i>Lan</i>")
        pages = ["/console/", "/console/review", f"/console/review/{question_id}",
                 "/console/faq", "/console/log", "/console/audit", "/console/knowledge",
                 "/console/review?q=" + HOSTILE]
        for path in pages:
            text = (await http.get(path)).text
            assert "<script>alert" not in text and "<img src=x" not in text, path
            assert "<i>Lan</i>" not in text and "<b>trả lời</b>" not in text, path
            assert str(CITIZEN) not in text and str(MODERATOR_ID) not in text, path
        review = (await http.get(f"/console/review/{question_id}")).text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in review
        csv_text = (await http.get("/console/log.csv")).text
        assert str(CITIZEN) not in csv_text


async def test_api_ask_answers_as_bot_ask_json_and_logs_under_a_pseudonym(
        answerer: Answerer, question_log: QuestionLog) -> None:
    question = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        page = await http.get("/")
        assert page.status_code == 200 and "hd_client" in page.headers["set-cookie"]
        response = await http.post("/api/ask", json={"question": question})
        assert response.status_code == 200
        body = response.json()
        expected = answer_json(ctx.assistant.answer(question))
        assert {k: v for k, v in body.items() if k != "question_id"} == expected
        assert body["answered"] and body["sources"][0]["url"].startswith("http")
        logged = question_log.question(body["question_id"])
        assert logged.chat_type == "web" and logged.chat_id is None
        assert logged.question == question and len(logged.user_key) == 64
        follow = await http.post("/api/ask", json={"question": "còn ở Ba Đình thì sao?",
                                                   "after": question})
        assert follow.status_code == 200 and "Ba Đình" in follow.json()["question"]


async def test_api_ask_keeps_the_rules_rate_limit_length_and_json(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log, rate_limit_questions=2) as (_ctx, app), \
            client(app) as http:
        await http.get("/")
        too_long = await http.post("/api/ask", json={"question": "a" * 501})
        assert too_long.status_code == 400 and "500" in too_long.json()["error"]
        for wordless in ("?", "😀😀😀", "..."):  # nothing to search, nothing to log
            reply = await http.post("/api/ask", json={"question": wordless})
            assert reply.status_code == 400 and reply.json()["error"] == VI.too_short
        assert question_log.latest() == []
        not_json = await http.post("/api/ask", data={"question": "giờ làm việc"})
        assert not_json.status_code == 415
        statuses = [(await http.post("/api/ask", json={"question": "Giờ làm việc?"})).status_code
                    for _ in range(3)]
        assert statuses == [200, 200, 429]
        async with client(app) as other:  # another browser has its own bucket
            await other.get("/")
            assert (await other.post("/api/ask",
                                     json={"question": "Giờ làm việc?"})).status_code == 200


async def test_web_chat_feedback_and_erasure_reach_only_that_browser(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (_ctx, app), client(app) as http, \
            client(app) as stranger:
        await http.get("/")
        await stranger.get("/")
        asked = (await http.post("/api/ask", json={"question": "Con mèo của tôi tên gì?"})).json()
        question_id = asked["question_id"]
        assert not asked["answered"]
        refused = await stranger.post("/api/feedback", json={"question_id": question_id,
                                                             "vote": -1})
        assert refused.status_code == 404
        voted = await http.post("/api/feedback", json={"question_id": question_id, "vote": -1})
        assert voted.json() == {"recorded": True}
        assert question_log.question(question_id).feedback == -1
        erased = await http.post("/api/forget", json={})
        assert erased.json() == {"erased": 1}
        assert question_log.question(question_id) is None


async def test_cors_is_off_unless_the_portal_is_listed(answerer: Answerer,
                                                       question_log: QuestionLog) -> None:
    preflight = {"Origin": "https://portal.example.gov.vn",
                 "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    async with web_app(answerer, question_log) as (_, app), client(app) as http:
        response = await http.options("/api/ask", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    async with web_app(answerer, question_log,
                       web_chat_origins=["https://portal.example.gov.vn"]) as (_, app), \
            client(app) as http:
        response = await http.options("/api/ask", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://portal.example.gov.vn"


async def test_the_chat_and_its_api_are_off_unless_web_chat_is_set(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log, web_chat=False) as (_, app), client(app) as http:
        assert (await http.get("/")).status_code == 404
        assert (await http.post("/api/ask", json={"question": "Giờ làm việc?"})).status_code \
            in (404, 405)


async def test_healthz_and_metrics(answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        health = await http.get("/healthz")
        assert health.status_code == 200 and health.json()["generation"] >= 1
        await http.get("/")
        await http.post("/api/ask", json={"question": "Con mèo của tôi tên gì?"})
        metrics = (await http.get("/metrics")).text
        assert 'hoidap_questions_total{face="web"} 1.0' in metrics
        assert 'hoidap_answers_total{outcome="refused"} 1.0' in metrics
        assert "hoidap_answer_latency_seconds_bucket" in metrics
        passages = re.search(r"^hoidap_index_passages (\S+)$", metrics, re.M)
        assert passages and float(passages.group(1)) == ctx.assistant.index.stats().passages
        assert re.search(r"^hoidap_review_queue_depth 1\.0$", metrics, re.M)


async def test_the_log_is_searched_by_text_and_date_and_exported_as_masked_csv(
        answerer: Answerer, question_log: QuestionLog) -> None:
    _ask(question_log, "Số điện thoại của tôi là 0912 345 678, hỏi về rác")
    _ask(question_log, "Giờ làm việc của phường Cửa Nam?")
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        await log_in(http, ctx)
        found = (await http.get("/console/log", params={"q": "cửa nam"})).text
        assert "Cửa Nam" in found and "hỏi về rác" not in found
        today = dt.date.today().isoformat()
        tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
        assert "Cửa Nam" not in (await http.get("/console/log",
                                                params={"from": tomorrow})).text
        exported = await http.get("/console/log.csv", params={"from": today})
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
        assert len(rows) == 2 and "0912" not in exported.text
        assert "[số điện thoại]" in rows[0]["question"]
        assert ctx.store.audit_entries()[0].action == "log.export"


async def test_faq_page_shows_how_often_each_answer_was_served_and_edits_it(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        curated_id = ctx.assistant.curated.add("Giờ làm việc của phường?",
                                               "Từ 7 giờ 30 đến 17 giờ.")
        await http.get("/")
        for _ in range(2):
            asked = await http.post("/api/ask", json={"question": "Giờ làm việc của phường?"})
            assert asked.json()["verified_by_moderators"]
        await log_in(http, ctx)
        page = (await http.get("/console/faq")).text
        assert re.search(r'class="served">2<', page)
        token = await csrf_of(http, "/console/faq")
        await http.post(f"/console/faq/{curated_id}/edit", data={
            "csrftoken": token, "question": "Giờ làm việc của phường?",
            "answer": "Từ 8 giờ.", "source_url": ""})
        assert ctx.assistant.curated.list()[0].answer == "Từ 8 giờ."
        await http.post(f"/console/faq/{curated_id}/delete", data={"csrftoken": token})
        assert ctx.assistant.curated.list() == []
        assert [e.action for e in ctx.store.audit_entries()][:2] == ["faq.delete", "faq.edit"]


async def test_overview_draws_one_bar_per_day_for_30_days(
        answerer: Answerer, question_log: QuestionLog) -> None:
    _ask(question_log, "Giờ làm việc của phường?")
    async with web_app(answerer, question_log) as (ctx, app), client(app) as http:
        await log_in(http, ctx)
        page = (await http.get("/console/")).text
        chart = page[page.index('id="chart-questions"'):page.index("</svg>")]
        assert chart.count('class="day"') == 30
        assert chart.count('class="not-covered"') == 30
        today = ctx.clock().date().isoformat()
        assert f"{today}: 1</title>" in chart


async def test_an_upload_needs_its_csrf_token_and_reports_each_file_as_the_cli_does(
        answerer: Answerer, question_log: QuestionLog, tmp_path) -> None:
    import asyncio
    import shutil

    from tests.conftest import SAMPLE_KNOWLEDGE

    knowledge = tmp_path / "knowledge"
    shutil.copytree(SAMPLE_KNOWLEDGE, knowledge)
    good = ("tiep-dan.md", "---\ntitle: \"Phường Tràng Tiền đổi giờ tiếp công dân\"\n"
            "published: 2024-05-02\nsource: UBND phường Tràng Tiền\n---\n" + "Ủy ban nhân dân "
            "phường Tràng Tiền tiếp công dân vào sáng thứ Ba và chiều thứ Năm hằng tuần. " * 4)
    empty = ("rong.txt", "")
    files = [("files", (name, text.encode(), "text/plain")) for name, text in (good, empty)]
    async with web_app(answerer, question_log, knowledge_dir=knowledge) as (ctx, app), \
            client(app) as http:
        await log_in(http, ctx, STAFF_ID, STAFF_ROLES)
        token = await csrf_of(http, "/console/knowledge")
        refused = await http.post("/console/knowledge/add", files=files)
        assert refused.status_code == 403
        started = await http.post("/console/knowledge/add", data={"csrftoken": token},
                                  files=files)
        assert started.status_code == 303
        job_id = started.headers["location"].split("job=")[1]
        for _ in range(600):
            job = (await http.get(f"/console/knowledge/jobs/{job_id}")).json()
            if job["finished"]:
                break
            await asyncio.sleep(0.2)
        assert job["summary"] == "1 added, 0 updated, 0 unchanged, 1 failed"
        added, failed = job["items"]
        assert added["status"] == "added" and added["passages"] >= 1
        assert added["title"] == "Phường Tràng Tiền đổi giờ tiếp công dân"
        assert failed["status"] == "failed" and "rong.txt" in failed["reason"]
        assert ctx.store.audit_entries()[0].action == "knowledge.add"


async def test_cookies_are_secure_when_the_console_is_served_over_https(
        answerer: Answerer, question_log: QuestionLog) -> None:
    async with web_app(answerer, question_log, web_base_url="https://hoidap.example.gov.vn") \
            as (ctx, app), client(app) as http:
        link = ctx.access.login_link(BASE, MODERATOR_ID, "Lan", frozenset({MODERATOR}))
        response = await open_link(http, link)
        cookies = response.headers.get_list("set-cookie")
        assert cookies and all("Secure" in c for c in cookies)
        chat = await http.get("/")
        assert all("Secure" in c for c in chat.headers.get_list("set-cookie"))
