"""The console beside the console chat (`make run` without a token): the same web app in a
background thread on 127.0.0.1:PORT, and a login link printed for the person at the keyboard
(moderator and staff at once: there is no Telegram to ask /web of)."""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.domain.console_access import LOCAL_ACTOR_ID, MODERATOR, STAFF
from bot.domain.curated import CuratedFirst
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.web.app import build_web_app, web_context
from bot.web.server import WebServer
from bot.web.views.overview import warm as warm_overview
from index import Index, load_embedder

log = logging.getLogger(__name__)
LOCAL_HOST = "127.0.0.1"  # a developer's machine: not reachable from the network


def serve_locally(settings: BotSettings, question_log: QuestionLog,
                  assistant: CuratedFirst) -> str:
    """Start the web app in a daemon thread; its login link (OSError if it cannot listen)."""
    base_url = settings.web_base_url or f"http://{LOCAL_HOST}:{settings.port}"
    executor = ThreadPoolExecutor(settings.answer_workers, thread_name_prefix="web-answer")
    writer: list[Index] = []

    def staff_index() -> Index:
        if not writer:  # a private model, so the chat never waits for staff's embedding
            embedder = load_embedder(settings.embedding_model, shared=False,
                                     engine=settings.embedding_engine)
            writer.append(Index.open(settings, embedder=embedder))
        return writer[0]

    ctx = web_context(settings, question_log, assistant, executor, staff_index)
    server = WebServer(build_web_app(ctx), LOCAL_HOST, settings.port)
    started: list[BaseException | None] = []
    ready = threading.Event()

    def run() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(server.start())
            started.append(None)
        except BaseException as error:  # told to the caller, which goes on without the web
            started.append(error)
            ready.set()
            return
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, name="web", daemon=True).start()
    ready.wait()
    if started[0] is not None:
        raise OSError(str(started[0]))
    warm_overview(ctx)
    return ctx.access.login_link(base_url, LOCAL_ACTOR_ID, "console",
                                 frozenset({MODERATOR, STAFF}))
