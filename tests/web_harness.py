"""The web app in-process, shared by the web tests: its context on the sample index, a movable
clock, and an httpx client that logs in through a real login link."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import httpx

from bot.domain.answer import Answerer
from bot.domain.assistant import curated_first
from bot.domain.console_access import MODERATOR, STAFF
from bot.domain.question_log import QuestionLog
from bot.web.app import build_web_app, web_context
from bot.web.context import WebContext
from index import Index

BASE = "http://testserver"
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
MODERATOR_ID, STAFF_ID = 424242001, 424242002


class Clock:
    """Now, unless a test moves it."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset


@asynccontextmanager
async def web_app(answerer: Answerer, log: QuestionLog, clock: Clock | None = None,
                  **overrides: Any) -> AsyncIterator[tuple[WebContext, Any]]:
    settings = answerer.settings.model_copy(update={
        "web_base_url": BASE, "web_chat": True, "moderator_ids": {MODERATOR_ID},
        "staff_ids": {STAFF_ID}, **overrides})
    executor = ThreadPoolExecutor(1)
    assistant = curated_first(Answerer(answerer.index, settings), log, settings)
    ctx = web_context(settings, log, assistant, executor, lambda: Index.open(settings),
                      clock=clock or Clock())
    try:
        yield ctx, build_web_app(ctx)
    finally:
        ctx.jobs.shutdown()
        executor.shutdown(wait=True)


def client(app: Any, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE,
                             follow_redirects=False, **kwargs)


async def log_in(http: httpx.AsyncClient, ctx: WebContext, user_id: int = MODERATOR_ID,
                 roles: frozenset[str] = frozenset({MODERATOR}), name: str = "Lan") -> None:
    response = await open_link(http, ctx.access.login_link(BASE, user_id, name, roles))
    assert response.status_code == 303, response.text


async def open_link(http: httpx.AsyncClient, link: str) -> httpx.Response:
    """What a person does with a login link: open it, press the button."""
    page = await http.get(link)
    if page.status_code != 200:
        return page
    token = CSRF.search(page.text).group(1)
    login_token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    action = link.split("/console/login")[0] + "/console/login"
    return await http.post(action, data={"csrftoken": token, "token": login_token})


async def csrf_of(http: httpx.AsyncClient, path: str) -> str:
    """The CSRF token of a page's forms (and its cookie, kept by the client)."""
    page = await http.get(path)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found, "the page has no form"
    return found.group(1)


STAFF_ROLES = frozenset({STAFF})
