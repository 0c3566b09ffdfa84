"""The web app, wired in one place: read `build_web_app` to know every page and endpoint.

One ASGI app serves the Telegram webhook (when given), the console under `/console/`, the web
chat and `/api/...` (WEB_CHAT=true), `/healthz` and `/metrics`. Static files are the app's own
(`bot/web/static`): nothing comes from a CDN. Every console form carries a CSRF token
(`bot.web.csrf`, double submit with a signed cookie); the JSON API requires
`Content-Type: application/json`, which a cross-site form cannot send.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Scope, Send
from telegram import Bot

from bot.domain.console_access import ConsoleAccess, session_secret
from bot.domain.console_store import ConsoleStore
from bot.domain.curated import CuratedFirst
from bot.domain.metrics import CONTENT_TYPE, BotMetrics
from bot.domain.moderation import Moderation
from bot.domain.question_log import QuestionLog
from bot.domain.ratelimit import RateLimiter
from bot.present.web_texts import words_for
from bot.settings import BotSettings
from bot.web.access import NeedLogin, NotAllowed, page
from bot.web.context import WebContext
from bot.web.csrf import CSRFMiddleware
from bot.web.knowledge_jobs import KnowledgeJobs
from bot.web.views import audit, auth, chat, faq, knowledge, log, overview, review
from index import Index

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
API_PREFIX = "/api/"


def web_context(settings: BotSettings, question_log: QuestionLog, assistant: CuratedFirst,
                executor: Executor, writer: Callable[[], Index], *,
                metrics: BotMetrics | None = None, limiter: RateLimiter | None = None,
                moderation: Moderation | None = None, bot: Bot | None = None,
                production: bool = False,
                clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
                ) -> WebContext:
    """The console's objects, sharing what the Telegram bot already has (its rate limiter,
    moderation and metrics) when it runs in the same process."""
    secret = session_secret(settings, production)
    store = ConsoleStore(question_log)
    metrics = metrics or BotMetrics()
    ctx = WebContext(
        settings=settings, log=question_log, store=store,
        access=ConsoleAccess(store, question_log, secret, clock),
        moderation=moderation or Moderation(question_log, settings), assistant=assistant,
        limiter=limiter or RateLimiter(question_log, settings.rate_limit_questions,
                                       settings.rate_limit_window_s),
        executor=executor, metrics=metrics, jobs=KnowledgeJobs(settings, writer),
        client_secret=secret, bot=bot, clock=clock)
    metrics.watch(lambda: _gauges(ctx))
    return ctx


def _gauges(ctx: WebContext) -> dict[str, float]:
    index = ctx.assistant.index
    values: dict[str, float] = {"hoidap_review_queue_depth": ctx.store.awaiting_review()}
    if index.is_built:
        stats = index.stats()
        values |= {"hoidap_index_generation": stats.generation,
                   "hoidap_index_passages": stats.passages,
                   "hoidap_index_articles": stats.articles}
    return values


async def healthz(request: Request) -> Response:
    """Ready only when the index is loaded: a load balancer sends no citizen before."""
    index = request.app.state.web.assistant.index
    if not index.is_built:
        return JSONResponse({"status": "starting", "index": "not built"}, status_code=503)
    return JSONResponse({"status": "ok", "generation": index.generation})


async def metrics(request: Request) -> Response:
    return Response(request.app.state.web.metrics.render(), media_type=CONTENT_TYPE)


async def console_home(request: Request) -> Response:
    return RedirectResponse("/console/", status_code=307)


async def _need_login(request: Request, exc: Exception) -> Response:
    return page(request, "login.html", status_code=401)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return page(request, "message.html", status_code=403,
                message=words_for(request.headers.get("accept-language"))["forbidden"])


async def _csrf_failed(scope: Scope, send: Send, reason: str) -> None:
    """The CSRF check's refusal, in the console's words."""
    words = words_for(Request(scope).headers.get("accept-language"))
    status = 413 if reason == "too large" else 403
    response = Response(words["csrf_failed"] if status == 403 else reason, status_code=status,
                        media_type="text/plain; charset=utf-8")

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, no_body, send)


def build_web_app(ctx: WebContext, webhook: Route | None = None) -> CSRFMiddleware:
    routes = [
        *([webhook] if webhook is not None else []),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/console", console_home, methods=["GET"]),
        *auth.routes, *overview.routes, *review.routes, *faq.routes, *knowledge.routes,
        *log.routes, *audit.routes, *chat.routes(ctx.settings.web_chat),
    ]
    middleware = []
    if ctx.settings.web_chat and ctx.settings.web_chat_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=ctx.settings.web_chat_origins,
                                     allow_methods=["POST"], allow_headers=["Content-Type"]))
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={
        NeedLogin: _need_login, NotAllowed: _not_allowed})
    app.state.web = ctx
    webhook_path = webhook.path if webhook is not None else None

    def not_a_form(scope: dict) -> bool:
        """The JSON API and the webhook have their own guards (Content-Type, the secret);
        the machines' endpoints have no forms."""
        return (scope["path"].startswith(API_PREFIX) or scope["path"] == webhook_path
                or scope["path"] in ("/healthz", "/metrics"))

    return CSRFMiddleware(app, ctx.client_secret, _csrf_failed, skip=not_a_form,
                          secure=ctx.secure_cookies)
