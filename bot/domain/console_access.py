"""Who may enter the web console: one-time login links and the sessions they open.

`/web` on Telegram (or `make run` in console mode) asks for a link; the link is signed with
WEB_SESSION_SECRET (itsdangerous), expires after LINK_MINUTES and works once (its nonce is
stored when used). Opening it starts a session of SESSION_HOURS whose cookie is a random token;
the database keeps only its hash. Roles follow MODERATOR_IDS and STAFF_IDS when the link is made.
Nothing here holds a Telegram id: actors are pseudonyms (the question log's HMAC keys).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from bot.domain.console_store import ConsoleStore, Session
from bot.domain.question_log import DEFAULT_SECRET, MIN_SECRET_CHARS, QuestionLog
from bot.settings import BotSettings

LINK_MINUTES = 10
SESSION_HOURS = 8
MODERATOR, STAFF = "moderator", "staff"
SECRET_FILENAME = "web-session-secret"
LOCAL_ACTOR_ID = 0  # `make run` in console mode: the person at the keyboard
_SALT = "console-login"


class LoginRefused(Exception):
    """A login link that cannot open a session; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Actor:
    key: str
    name: str
    roles: frozenset[str]


def session_secret(settings: BotSettings, production: bool) -> str:
    """WEB_SESSION_SECRET, or one generated into DATA_DIR once and kept (mode 0600): random
    either way, so links and cookies stay valid across restarts. In production a configured
    key must be long enough to resist guessing (ValueError)."""
    configured = settings.web_session_secret.get_secret_value()
    if configured and configured != DEFAULT_SECRET:
        if production and len(configured) < MIN_SECRET_CHARS:
            raise ValueError(f"WEB_SESSION_SECRET is too short: at least {MIN_SECRET_CHARS} "
                             "characters (python -c \"import secrets; "
                             "print(secrets.token_urlsafe(32))\")")
        return configured
    return _kept_secret(settings.data_dir / SECRET_FILENAME)


def _kept_secret(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        kept = path.read_text(encoding="ascii").strip()
        if not kept:
            raise ValueError(f"{path} is empty: delete it or set WEB_SESSION_SECRET") from None
        return kept
    generated = secrets.token_urlsafe(MIN_SECRET_CHARS)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(generated + "\n")
    return generated


def roles_of(user_id: int, settings: BotSettings) -> frozenset[str]:
    roles = set()
    if user_id in settings.moderator_ids:
        roles.add(MODERATOR)
    if user_id in settings.staff_ids:
        roles.add(STAFF)
    return frozenset(roles)


def _signer_on(clock: Callable[[], dt.datetime]) -> type[TimestampSigner]:
    """itsdangerous's timestamps read our clock, so tests can let a link expire."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return ClockSigner


class ConsoleAccess:
    """Makes login links, opens sessions from them, and finds the session of a cookie."""

    def __init__(self, store: ConsoleStore, log: QuestionLog, secret: str,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.store, self.log = store, log
        self._signer = URLSafeTimedSerializer(secret, salt=_SALT, signer=_signer_on(clock))
        self._clock = clock

    def login_link(self, base_url: str, user_id: int, name: str,
                   roles: frozenset[str]) -> str:
        """A link to `base_url/console/login` for one person; ValueError without a role."""
        if not roles:
            raise ValueError("only moderators and staff may open the console")
        token = self._signer.dumps({"k": self.log.user_key(user_id), "n": name[:64],
                                    "r": sorted(roles), "nonce": secrets.token_urlsafe(16)})
        return f"{base_url.rstrip('/')}/console/login?{urlencode({'token': token})}"

    def _read(self, token: str) -> dict:
        try:
            data = self._signer.loads(token, max_age=LINK_MINUTES * 60)
        except SignatureExpired:
            raise LoginRefused("Liên kết đăng nhập đã hết hạn: gửi /web cho bot để lấy "
                               "liên kết mới.") from None
        except BadSignature:
            raise LoginRefused("Liên kết đăng nhập không hợp lệ.") from None
        if not isinstance(data, dict) or not {"k", "n", "r", "nonce"} <= data.keys():
            raise LoginRefused("Liên kết đăng nhập không hợp lệ.")
        return data

    def check(self, token: str) -> Actor:
        """Who a link is for, without using it (a link preview or a scanner that opens it
        does not log anyone in); LoginRefused if it is forged or expired."""
        data = self._read(token)
        return Actor(str(data["k"]), str(data["n"]), frozenset(data["r"]))

    def log_in(self, token: str) -> tuple[str, Actor]:
        """A new session's cookie value and its actor; LoginRefused if the link is forged,
        expired or was used before."""
        data = self._read(token)
        now = self._clock()
        if not self.store.use_nonce(str(data["nonce"]), now):
            raise LoginRefused("Liên kết đăng nhập này đã được dùng: mỗi liên kết chỉ dùng "
                               "một lần. Gửi /web cho bot để lấy liên kết mới.")
        self.store.forget_nonces_before(now - dt.timedelta(minutes=2 * LINK_MINUTES))
        actor = Actor(str(data["k"]), str(data["n"]), frozenset(data["r"]))
        cookie = secrets.token_urlsafe(32)
        self.store.open_session(cookie, actor.key, actor.name, sorted(actor.roles), now,
                                dt.timedelta(hours=SESSION_HOURS))
        self.store.audit(actor.key, actor.name, "login", ", ".join(sorted(actor.roles)), now)
        return cookie, actor

    def session(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        return self.store.session(cookie, self._clock())

    def log_out(self, cookie: str, actor: Session) -> None:
        self.store.audit(actor.actor_key, actor.actor_name, "logout", "", self._clock())
        self.store.close_session(cookie, self._clock())
