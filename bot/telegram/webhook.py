"""The webhook server: Telegram POSTs each update to WEBHOOK_URL with WEBHOOK_SECRET in a header.

PTB's own webhook handler compares that header with `!=`, whose running time depends on how
many leading characters match; this is the same tornado server with the secret checked in
constant time (`hmac.compare_digest`) before anything else is read from the request.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

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


class _UpdateHandler(tornado.web.RequestHandler):
    """One POSTed update: the secret first (403), then JSON (400), then the update queue."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, app: Application, secret: bytes) -> None:  # tornado's constructor
        self._app, self._secret = app, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self._secret):
            log.debug("webhook request without the right secret from %s", self.request.remote_ip)
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        try:
            update = Update.de_json(json.loads(self.request.body), self._app.bot)
        except Exception as error:  # whatever it was, it was not an update
            log.warning("webhook: not an update (%s)", error)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self._app.update_queue.put(update)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """HTTP errors are answers, not failures: log them quietly."""
        log.debug("webhook: %s", value)


class _WebhookApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot logs what it does with each update."""


class Webhook:
    """The HTTP server on PORT at WEBHOOK_URL's path, and the registration with Telegram."""

    def __init__(self, app: Application, options: dict[str, Any]) -> None:
        self._app, self._options = app, options
        secret = options["secret_token"].encode("ascii")
        path = "/" + options["url_path"].strip("/")
        routes = [(rf"{re.escape(path)}/?", _UpdateHandler, {"app": app, "secret": secret})]
        self._server = HTTPServer(_WebhookApp(routes), max_body_size=MAX_UPDATE_BYTES)

    async def start(self) -> None:
        """Listen first, then tell Telegram where to POST."""
        self._server.listen(self._options["port"], address=self._options["listen"])
        await self._app.bot.set_webhook(
            url=self._options["webhook_url"], secret_token=self._options["secret_token"],
            allowed_updates=self._options["allowed_updates"],
            drop_pending_updates=self._options["drop_pending_updates"])

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
