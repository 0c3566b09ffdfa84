"""The web console inside the running bot (polling mode with WEB_BASE_URL): `/web` gives a
login link, and an answer given in the console reaches the citizen through the bot."""

from __future__ import annotations

import re
import socket

import httpx

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from fakes.telegram_api import FakeTelegram
from tests import telegram_harness as harness
from tests.web_harness import CSRF, open_link

CITIZEN, MODERATOR, STAFF, STRANGER = 811, 812, 813, 814
NOT_COVERED = "Giá vàng hôm nay bao nhiêu?"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/console/login\?token=\S+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_for(port: int) -> dict:
    return {"web_base_url": f"http://127.0.0.1:{port}", "port": port,
            "moderator_ids": {MODERATOR}, "staff_ids": {STAFF}}


async def login_link(fake: FakeTelegram, user_id: int) -> str:
    fake.push_text(user_id, "/web")
    call = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == user_id)
    found = LINK.search(call.result["text"])
    assert found, call.result["text"]
    return found.group(0)


async def test_web_gives_moderators_and_staff_a_login_link_and_no_one_else(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    port = free_port()
    async with harness.running(fake, answerer, question_log, **settings_for(port)):
        fake.push_text(STRANGER, "/web")
        refused = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == STRANGER)
        assert "token=" not in refused.result["text"]
        fake.push_text(MODERATOR, "/web", chat_id=-100123, chat_type="supergroup")
        group = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == -100123)
        assert "token=" not in group.result["text"] and "riêng" in group.result["text"]
        link = await login_link(fake, STAFF)
        async with httpx.AsyncClient() as http:
            assert (await open_link(http, link)).status_code == 303
            assert (await http.get(f"http://127.0.0.1:{port}/console/knowledge")).status_code \
                == 200
            assert (await http.get(f"http://127.0.0.1:{port}/console/review")).status_code \
                == 403
            health = await http.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200


async def test_an_answer_given_in_the_console_reaches_the_citizen_through_the_bot(
        fake: FakeTelegram, answerer: Answerer, question_log: QuestionLog) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with harness.running(fake, answerer, question_log, **settings_for(port)):
        fake.push_text(CITIZEN, NOT_COVERED)
        await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == CITIZEN)
        link = await login_link(fake, MODERATOR)
        async with httpx.AsyncClient() as http:
            await open_link(http, link)
            queue = await http.get(f"{base}/console/review")
            question_id = int(re.search(r'href="/console/review/(\d+)"', queue.text).group(1))
            page = await http.get(f"{base}/console/review/{question_id}")
            token = CSRF.search(page.text).group(1)
            mark = fake.mark()
            done = await http.post(f"{base}/console/review/{question_id}/answer",
                                   data={"csrftoken": token,
                                         "answer": "Giá vàng do ngân hàng công bố hằng ngày."})
            assert done.status_code == 303 and "msg=delivered" in done.headers["location"]
        call = await fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == CITIZEN,
                                   since=mark)
        assert "Giá vàng do ngân hàng công bố hằng ngày." in call.result["text"]
        assert question_log.question(question_id).review_state == "reviewed"
