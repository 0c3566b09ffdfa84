"""The citizens' web chat (`/`, when WEB_CHAT=true) and its API: `POST /api/ask` answers as
`python -m bot ask --json` does, through the same answerer Telegram uses, under the same rules
(rate limit, length cap, logging with a pseudonym, 👍/👎, erasure).

A browser is known by a random negative number in a signed cookie (Telegram ids are positive,
so the two never meet in the question log); no IP address is stored. A request without the
cookie is rate-limited by its address, in memory only.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.domain.question_log import Asked
from bot.domain.ratelimit import Verdict
from bot.domain.too_short import too_short
from bot.present.plain import answer_json
from bot.present.texts import texts_for
from bot.present.web_texts import words_for
from bot.web.access import page, web
from bot.web.context import WebContext

CLIENT_COOKIE = "hd_client"
CLIENT_COOKIE_DAYS = 365
MAX_BODY_BYTES = 16_000  # a question is at most MAX_QUESTION_CHARS; JSON around it is small


def _signer(ctx: WebContext) -> URLSafeSerializer:
    return URLSafeSerializer(ctx.client_secret, salt="web-client")


def client_id(request: Request) -> int | None:
    """The browser's pseudonymous number, if its cookie is genuine."""
    cookie = request.cookies.get(CLIENT_COOKIE)
    if not cookie:
        return None
    try:
        value = _signer(web(request)).loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, int) and value < 0 else None


def _new_client() -> int:
    return -(secrets.randbits(62) + 1)


def _remember(request: Request, response: Response, client: int) -> Response:
    ctx = web(request)
    response.set_cookie(CLIENT_COOKIE, _signer(ctx).dumps(client),
                        max_age=CLIENT_COOKIE_DAYS * 86400, httponly=True, samesite="lax",
                        secure=ctx.secure_cookies, path="/")
    return response


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_body(request: Request) -> dict | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _error(415, "send JSON: Content-Type: application/json")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "request too large")
    try:
        data = json.loads(body)
    except ValueError:
        return _error(400, "the body is not JSON")
    if not isinstance(data, dict):
        return _error(400, "send a JSON object")
    return data


async def chat_page(request: Request) -> Response:
    ctx = web(request)
    response = page(request, "chat.html", max_chars=ctx.settings.max_question_chars,
                    privacy_days=ctx.settings.log_retention_days)
    client = client_id(request)
    return response if client is not None else _remember(request, response, _new_client())


async def ask(request: Request) -> Response:
    ctx = web(request)
    received = time.perf_counter()
    data = await _json_body(request)
    if isinstance(data, JSONResponse):
        return data
    lang = words_for(request.headers.get("accept-language"))["lang"]
    texts = texts_for(lang)
    question, after = data.get("question"), data.get("after")
    if not isinstance(question, str) or (after is not None and not isinstance(after, str)):
        return _error(400, '"question" must be a string, "after" a string or absent')
    question = question.strip()
    if too_short(question):
        return _error(400, texts.too_short)
    if len(question) > ctx.settings.max_question_chars:
        return _error(400, texts.too_long.format(limit=ctx.settings.max_question_chars))
    client = client_id(request)
    known = client is not None
    if client is None:
        client = _new_client()
    # Without a cookie the address stands in for the browser (stored as a keyed hash only).
    bucket = ("web", client) if known else ("web-address", request.client.host
                                            if request.client else "?")
    if await asyncio.to_thread(ctx.limiter.take, bucket) is not Verdict.ALLOWED:
        return _error(429, texts.rate_limited)
    previous = (after or "").strip()[:ctx.settings.max_question_chars] or None

    def answer_and_record() -> dict:
        index = ctx.assistant.index
        index.reload_if_changed()
        answer = ctx.assistant.answer(question, after=previous)
        latency_s = time.perf_counter() - received
        ctx.metrics.observe("web", answer, latency_s)
        stats = index.stats() if answer.small_talk is not None and index.is_built else None
        result = answer_json(answer, stats)
        if answer.small_talk is None:
            result["question_id"] = ctx.log.record(Asked(
                user_id=client, chat_type="web", question=answer.question or question,
                answer=answer, latency_ms=round(latency_s * 1000), language=lang,
                index_generation=index.generation))
        return result

    result = await asyncio.get_running_loop().run_in_executor(ctx.executor, answer_and_record)
    response = JSONResponse(result)
    return response if known else _remember(request, response, client)


async def feedback(request: Request) -> Response:
    """👍 (1) or 👎 (-1) on one of this browser's answers; a 👎 sends it to review."""
    data = await _json_body(request)
    if isinstance(data, JSONResponse):
        return data
    client = client_id(request)
    question_id, vote = data.get("question_id"), data.get("vote")
    if client is None or not isinstance(question_id, int) or vote not in (1, -1):
        return _error(400, '"question_id" (from /api/ask) and "vote" (1 or -1) are needed')
    recorded = await asyncio.to_thread(web(request).log.record_feedback, question_id, client,
                                       vote)
    return JSONResponse({"recorded": recorded}, status_code=200 if recorded else 404)


async def forget(request: Request) -> Response:
    """Erase every question this browser asked; it gets a new pseudonym."""
    data = await _json_body(request)
    if isinstance(data, JSONResponse):
        return data
    client = client_id(request)
    erased = 0 if client is None else await asyncio.to_thread(web(request).log.forget_user,
                                                              client)
    return _remember(request, JSONResponse({"erased": erased}), _new_client())


def routes(web_chat: bool) -> list[Route]:
    """The chat and its API exist only when WEB_CHAT=true."""
    if not web_chat:
        return []
    return [Route("/", chat_page, methods=["GET"]),
            Route("/api/ask", ask, methods=["POST"]),
            Route("/api/feedback", feedback, methods=["POST"]),
            Route("/api/forget", forget, methods=["POST"])]
