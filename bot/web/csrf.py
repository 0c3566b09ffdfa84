"""CSRF protection for every console form: a signed double-submit token.

The token lives in a cookie (signed with itsdangerous, so only this server makes them) and in a
hidden `csrftoken` field of every form; a POST whose field (or `X-CSRFToken` header) does not
match its cookie gets 403 before any view runs. This is asgi-csrf's design; asgi-csrf itself
cannot read multipart forms with the python-multipart that Starlette needs (it passes an
argument the parser no longer takes), and the upload form is multipart, so the check is here,
reading forms with Starlette's own parser. A request with no cookie at all carries no session
to abuse and passes (the session check refuses it).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "csrftoken"
FIELD = "csrftoken"
HEADER = b"x-csrftoken"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_FORM_BYTES = 50_000_000  # uploads of a few articles; refuse anything near this early

Refusal = Callable[[Scope, Send, str], Awaitable[None]]


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, secret: str, refuse: Refusal,
                 skip: Callable[[Scope], bool] = lambda scope: False,
                 secure: bool = False) -> None:
        self.app, self.refuse, self.skip, self.secure = app, refuse, skip, secure
        self._signer = URLSafeSerializer(secret, salt="csrf")

    def _valid(self, token: str | None) -> bool:
        if not token:
            return False
        try:
            self._signer.loads(token)
        except BadSignature:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie_header = headers.get(b"cookie", b"").decode("latin-1")
        jar = SimpleCookie()
        jar.load(cookie_header)
        given = jar[COOKIE].value if COOKIE in jar else None
        token = given if self._valid(given) else None
        fresh = token is None
        if token is None:
            token = self._signer.dumps(secrets.token_urlsafe(16))
        scope = {**scope, "csrftoken": lambda: token}

        skipped = self.skip(scope)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and fresh and not skipped:
                response_headers = MutableHeaders(scope=message)
                attributes = f"{COOKIE}={token}; Path=/; SameSite=Lax"
                response_headers.append("set-cookie", attributes + ("; Secure" if self.secure
                                                                    else ""))
            await send(message)

        if scope["method"] in SAFE_METHODS or skipped or not cookie_header:
            await self.app(scope, receive, send_with_cookie)
            return
        header = headers.get(HEADER, b"").decode("latin-1")
        if not fresh and header and secrets.compare_digest(header, token):
            await self.app(scope, receive, send_with_cookie)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_FORM_BYTES:
                await self.refuse(scope, send, "too large")
                return
            if not message.get("more_body", False):
                break
        submitted = await _field(scope, body)
        if fresh or not submitted or not secrets.compare_digest(submitted, token):
            await self.refuse(scope, send, "csrf")
            return
        await self.app(scope, _replay(body, receive), send_with_cookie)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _field(scope: Scope, body: bytes) -> str | None:
    """The form's `csrftoken`, from a url-encoded or multipart body; None for anything else."""
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0]
    if content_type not in (b"application/x-www-form-urlencoded", b"multipart/form-data"):
        return None

    async def nothing_more() -> Message:
        return {"type": "http.disconnect"}

    request = Request(scope, _replay(body, nothing_more))
    try:
        form = await request.form()
    except Exception:  # a malformed body has no token
        return None
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()
