"""The Telegram webhook: Telegram POSTs each update to WEBHOOK_URL with WEBHOOK_SECRET in a
header. It is one route of the web app (`bot.web.app`), PTB's custom-webhook pattern: the
update is put on `application.update_queue`.

PTB's own webhook handler compares that header with `!=`, whose running time depends on how
many leading characters match; here the secret is checked in constant time
(`hmac.compare_digest`) before anything else is read from the request.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram accepts 1-256 of these characters; fewer than 32 can be guessed (one character was,
# in 17 requests). 32 URL-safe characters are 192 bits.
SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
MAX_UPDATE_BYTES = 1_000_000  # an update is a few kilobytes; refuse anything near this early


def check_secret(secret: str | None) -> str:
    """WEBHOOK_SECRET if it is long and safe enough to guard the webhook; ValueError otherwise."""
    if not secret or not SECRET.fullmatch(secret):
        raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET: 32-256 characters of A-Z, a-z, "
                         "0-9, _ and - (Telegram sends it with every update; others are "
                         f"refused). Generate one with: {GENERATE_SECRET}")
    return secret


def webhook_route(app: Application, path: str, secret: str) -> Route:
    """POST `path`: the secret first (403), then JSON (415, 413, 400), then the update queue."""
    expected = secret.encode("ascii")

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
            log.debug("webhook request without the right secret")
            return Response(status_code=HTTPStatus.FORBIDDEN)
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/json":
            return Response(status_code=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_UPDATE_BYTES:
                return Response(status_code=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except Exception as error:  # whatever it was, it was not an update
            log.warning("webhook: not an update (%s)", error)
            return Response(status_code=HTTPStatus.BAD_REQUEST)
        await app.update_queue.put(update)
        return Response(status_code=HTTPStatus.OK)

    return Route("/" + path.strip("/"), receive_update, methods=["POST"])
