"""The one permission check every console view calls, and the page renderer that gives every
template its words, the CSRF token and who is signed in."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot.domain.console_access import MODERATOR, STAFF
from bot.domain.console_store import Session
from bot.present.web_texts import words_for
from bot.web.context import WebContext

SESSION_COOKIE = "hd_session"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class NeedLogin(Exception):
    """No session (or an expired one): the login page answers."""


class NotAllowed(Exception):
    """A session without the role the page needs: 403."""


def web(request: Request) -> WebContext:
    return request.app.state.web


def signed_in(request: Request) -> Session | None:
    return web(request).access.session(request.cookies.get(SESSION_COOKIE))


def require(request: Request, *roles: str) -> Session:
    """The session of the request, holding one of `roles` (any role when none is named)."""
    session = signed_in(request)
    if session is None:
        raise NeedLogin
    if roles and not session.roles & set(roles):
        raise NotAllowed
    request.state.session = session
    return session


def audit(request: Request, session: Session, action: str, detail: str = "") -> None:
    web(request).store.audit(session.actor_key, session.actor_name, action, detail[:500])


def page(request: Request, template: str, status_code: int = 200, **context: object) -> Response:
    session = getattr(request.state, "session", None)
    csrf = request.scope.get("csrftoken")
    return TEMPLATES.TemplateResponse(request, template, {
        "t": words_for(request.headers.get("accept-language")),
        "session": session, "csrf": csrf() if csrf else "",
        "can_moderate": bool(session and MODERATOR in session.roles),
        "can_staff": bool(session and STAFF in session.roles),
        **context}, status_code=status_code)
