"""Logging in with a one-time link from `/web`, and out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.domain.console_access import SESSION_HOURS, LoginRefused
from bot.web.access import SESSION_COOKIE, page, require, web


async def login_page(request: Request) -> Response:
    """With `?token=`: a button that logs in (opening a link must not use it: previews and
    mail scanners open links too); without: how to get a link."""
    token = request.query_params.get("token")
    if not token:
        return page(request, "login.html", status_code=401)
    try:
        actor = web(request).access.check(token)
    except LoginRefused as error:
        return page(request, "login.html", status_code=403, error=str(error))
    return page(request, "login.html", token=token, actor=actor)


async def login(request: Request) -> Response:
    """The button: use the link once, open a session, go to the overview."""
    form = await request.form()
    try:
        cookie, _ = web(request).access.log_in(str(form.get("token", "")))
    except LoginRefused as error:
        return page(request, "login.html", status_code=403, error=str(error))
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_HOURS * 3600, path="/",
                        httponly=True, samesite="lax", secure=web(request).secure_cookies)
    return response


async def logout(request: Request) -> Response:
    session = require(request)
    web(request).access.log_out(request.cookies.get(SESSION_COOKIE, ""), session)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route("/console/login", login_page, methods=["GET"]),
    Route("/console/login", login, methods=["POST"]),
    Route("/console/logout", logout, methods=["POST"]),
]
