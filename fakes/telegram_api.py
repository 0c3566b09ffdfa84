"""A fake Telegram Bot API server on 127.0.0.1 for driving the real PTB client in tests.

It speaks the real wire protocol (``POST /bot<token>/<method>``, ``{"ok": ..., "result": ...}``)
so the bot's own python-telegram-bot code (requests, retries, update parsing) is what gets tested.
Errors mimic Telegram's wording, so code that branches on them behaves as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

BOT_USER: dict[str, Any] = {
    "id": 1000, "is_bot": True, "first_name": "Hỏi đáp", "username": "hoidap_test_bot",
}
ME: dict[str, Any] = {
    **BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
    "supports_inline_queries": False, "can_connect_to_business": False,
    "has_main_web_app": False,
}
# Form posts carry every value as a string; these stay strings, the rest are JSON-decoded.
_STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "data", "url", "secret_token", "inline_message_id",
    "callback_query_id", "language_code", "action", "file_id", "business_connection_id",
    "message_effect_id", "ip_address", "name", "description", "short_description", "emoji",
    "title", "query", "next_offset", "sticker", "photo", "document", "voice", "audio",
})
_HTML_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
})
_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
Handler = Callable[[dict[str, Any]], Any]


class ApiError(Exception):
    """An error answer (``ok: false``); raise it from a custom handler set with ``on``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": False, "error_code": self.status,
                               "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


@dataclass
class Call:
    """One recorded request: decoded params, the answer, uploaded files.

    Recorded on arrival, so ``result`` is still None while a long poll is parked.
    ``result`` is the API result (e.g. the sent Message dict) or the error body.
    """

    method: str
    params: dict[str, Any]
    index: int
    status: int = 200
    result: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    content_type: str = ""
    consumed: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == 200


def utf16_len(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units (emoji count as 2)."""
    return len(text.encode("utf-16-le")) // 2


def auto_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram's clients would attach: a leading /command and @mentions."""
    ents: list[dict[str, Any]] = []
    if text.startswith("/"):
        cmd = text.split(maxsplit=1)[0]
        ents.append({"type": "bot_command", "offset": 0, "length": utf16_len(cmd)})
    for m in re.finditer(r"(?<![\w/])@[A-Za-z]\w{4,31}", text):
        ents.append({"type": "mention", "offset": utf16_len(text[: m.start()]),
                     "length": utf16_len(m.group())})
    return ents


class _TelegramHtml(HTMLParser):
    """Checks a parse_mode=HTML text the way Telegram does and keeps the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise ApiError(400, "Bad Request: can't parse entities: "
                                f'Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f"Bad Request: can't parse entities: Unmatched end tag {tag!r}")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def render_text(text: str, parse_mode: str | None) -> str:
    """The plain text Telegram stores for a message (markup stripped, HTML validated)."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ApiError(400, "Bad Request: can't parse entities: Can't find end tag "
                            f'corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.out)


async def post_update_to_webhook(url: str, update: dict[str, Any],
                                 secret: str | None = None) -> int:
    """POST an update the way Telegram does to a webhook; returns the HTTP status."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with aiohttp.ClientSession() as session, session.post(
        url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
    ) as resp:
        return resp.status


class FakeTelegram:
    """In-process Bot API: records calls, queues pushed updates, serves long polling."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # pending, not yet confirmed by offset
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.answered_callbacks: dict[str, dict[str, Any]] = {}  # query id -> params
        self._callback_ids: set[str] = set()
        self.webhook: dict[str, Any] = {}
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.allowed_updates: list[str] = []
        self._handlers: dict[str, Handler] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._last_update_id = 0
        self._msg_ids: dict[int, itertools.count[int]] = {}
        self._ids = itertools.count(1)
        self._poll_generation = 0
        self._update_event = asyncio.Event()
        self._call_event = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        builtin: dict[str, Handler] = {
            "getMe": lambda p: ME, "getUpdates": self._get_updates,
            "sendMessage": self._send_message, "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "answerCallbackQuery": self._answer_callback, "sendChatAction": self._chat_action,
            "setMyCommands": self._set_commands,
            "getMyCommands": lambda p: self.commands.get(self._scope_key(p), []),
            "deleteMyCommands": self._delete_commands,
            "deleteWebhook": self._delete_webhook, "setWebhook": self._set_webhook,
            "getWebhookInfo": self._webhook_info, "close": lambda p: True,
            "logOut": lambda p: True, "deleteMessage": self._delete_message,
            "getFile": self._get_file,
        }
        self._builtin = {name.lower(): (name, fn) for name, fn in builtin.items()}

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Wake pending long polls first so shutdown never waits for their timeout."""
        self._closing = True
        self._update_event.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ test controls
    def on(self, method: str, handler: Handler) -> None:
        """Answer ``method`` with ``handler(params)``; may raise ApiError. Overrides built-ins."""
        self._handlers[method.lower()] = handler

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1,
                  times: int = 1, description: str | None = None) -> None:
        """Make the next ``times`` calls of ``method`` fail like Telegram does."""
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if status == 429
                           else _REASONS.get(status, "Error"))
        err = ApiError(status, description, retry_after if status == 429 else None)
        self._failures.setdefault(method.lower(), []).extend([err] * times)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def mark(self) -> int:
        """An index to pass as ``since`` to ``wait_for``: only later calls will match."""
        return len(self.calls)

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages returned by successful sendMessage calls (text is the rendered text)."""
        return [c.result for c in self.calls_to("sendMessage")
                if c.ok and (chat_id is None or c.result["chat"]["id"] == chat_id)]

    async def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                       timeout: float = 10, since: int | None = None) -> Call:
        """First matching call not yet returned by wait_for (or at index >= ``since``).

        Calls made before this is awaited still count, so push-then-wait is never racy.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            event = self._call_event
            pool = self.calls[since:] if since is not None else self.calls
            for call in pool:
                if (call.method.lower() == method.lower() and (since is not None or not
                        call.consumed) and (predicate is None or predicate(call))):
                    call.consumed = True
                    return call
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                if remaining <= 0:
                    raise TimeoutError
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                seen = [c.method for c in self.calls[-15:]]
                raise AssertionError(f"no matching {method} in {timeout}s; last: {seen}") from None

    # ------------------------------------------------------------- pushing updates
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (update_id added if missing); delivered to a webhook if set."""
        update.setdefault("update_id", self._last_update_id + 1)
        self._last_update_id = max(self._last_update_id, update["update_id"])
        self.updates.append(update)
        self._update_event.set()
        self._update_event = asyncio.Event()
        if self.webhook.get("url"):
            task = asyncio.get_running_loop().create_task(self._deliver(update))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return update

    def push_text(self, user_id: int, text: str, chat_id: int | None = None,
                  chat_type: str = "private", first_name: str = "Người dùng",
                  language_code: str = "vi", reply_to: dict[str, Any] | int | None = None,
                  entities: list[dict[str, Any]] | None = None, **who: Any) -> dict[str, Any]:
        """A user's text message; /commands and @mentions get entities like real clients."""
        ents = auto_entities(text) if entities is None else entities
        extra = {"entities": ents} if ents else {}
        who.update(chat_id=chat_id, chat_type=chat_type, first_name=first_name,
                   language_code=language_code, reply_to=reply_to)
        return self._push_message(user_id, who, text=text, **extra)

    def push_sticker(self, user_id: int, emoji: str = "👍", **who: Any) -> dict[str, Any]:
        fid, uid = self._register_file("stickers", b"RIFF-fake-webp", "webp")
        return self._push_message(user_id, who, sticker={
            "file_id": fid, "file_unique_id": uid, "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": emoji})

    def push_photo(self, user_id: int, caption: str | None = None,
                   content: bytes = b"\xff\xd8fake-jpeg", **who: Any) -> dict[str, Any]:
        fid, uid = self._register_file("photos", content, "jpg")
        sizes = [{"file_id": fid, "file_unique_id": uid, "width": w, "height": w * 3 // 4,
                  "file_size": len(content)} for w in (90, 320, 800)]
        extra = {"caption": caption} if caption else {}
        return self._push_message(user_id, who, photo=sizes, **extra)

    def push_voice(self, user_id: int, duration: int = 3, content: bytes = b"OggS-fake",
                   **who: Any) -> dict[str, Any]:
        fid, uid = self._register_file("voice", content, "oga")
        return self._push_message(user_id, who, voice={
            "file_id": fid, "file_unique_id": uid, "duration": duration,
            "mime_type": "audio/ogg", "file_size": len(content)})

    def push_location(self, user_id: int, latitude: float = 21.0285,
                      longitude: float = 105.8542, **who: Any) -> dict[str, Any]:
        return self._push_message(user_id, who,
                             location={"latitude": latitude, "longitude": longitude})

    def push_edited_text(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits a message they sent earlier (pass the update or message dict)."""
        old = self._stored(_as_message(message))
        new = {k: v for k, v in old.items() if k != "entities"}
        new.update(text=text, edit_date=int(time.time()))
        if ents := auto_entities(text):
            new["entities"] = ents
        self.messages[(new["chat"]["id"], new["message_id"])] = new
        return self.push_update({"edited_message": new})

    def push_callback(self, user_id: int, message: dict[str, Any] | Call, data: str,
                      first_name: str = "Người dùng",
                      language_code: str = "vi") -> dict[str, Any]:
        """The user presses an inline button under ``message`` (a sent message or its Call)."""
        msg = self._stored(_as_message(message.result if isinstance(message, Call) else message))
        query = {"id": str(9_000_000 + next(self._ids)), "message": msg, "data": data,
                 "from": self._user(user_id, first_name, language_code, None),
                 "chat_instance": str(abs(msg["chat"]["id"]) * 7 + 13)}
        self._callback_ids.add(query["id"])
        return self.push_update({"callback_query": query})

    def _push_message(self, user_id: int, who: dict[str, Any],
                      **content: Any) -> dict[str, Any]:
        """Build a user's message. ``who``: chat_id, chat_type, first_name, language_code,
        username, chat_title, reply_to (a message/update dict or a message_id)."""
        first_name, username = who.get("first_name") or "Người dùng", who.get("username")
        user = self._user(user_id, first_name, who.get("language_code") or "vi", username)
        chat_id, chat_type = who.get("chat_id"), who.get("chat_type") or "private"
        if chat_type == "private":
            chat: dict[str, Any] = {"id": chat_id or user_id, "type": "private",
                                    "first_name": first_name}
            if username:
                chat["username"] = username
        else:
            if chat_id is None or chat_id >= 0:
                raise ValueError("group chats need a negative chat_id")
            chat = {"id": chat_id, "type": chat_type,
                    "title": who.get("chat_title", "Nhóm hỏi đáp")}
        self.chats[chat["id"]] = chat
        msg = self._new_message(chat, user, **content)
        if (reply_to := who.get("reply_to")) is not None:
            rid = reply_to if isinstance(reply_to, int) else _as_message(reply_to)["message_id"]
            msg["reply_to_message"] = self._replied(chat["id"], rid)
        return self.push_update({"message": msg})

    # ------------------------------------------------------------- HTTP plumbing
    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        params, files = await _read_params(request)
        canonical, handler = self._builtin.get(name.lower(), (name, None))
        handler = self._handlers.get(name.lower(), handler)
        call = Call(canonical, params, len(self.calls), files=files,
                    content_type=request.content_type)
        self.calls.append(call)
        self._call_event.set()
        self._call_event = asyncio.Event()
        try:
            if failures := self._failures.get(name.lower()):
                raise failures.pop(0)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            try:
                result = handler(params)
                if asyncio.iscoroutine(result):
                    result = await result
            except (KeyError, ValueError, TypeError) as exc:  # missing/malformed parameter
                raise ApiError(400, f"Bad Request: bad or missing parameter ({exc!r})") from exc
        except ApiError as err:
            call.status, call.result = err.status, err.body()
            return _json(err.body(), err.status)
        call.result = result
        return _json({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        for path, content in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=content)
        return _json({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    async def _deliver(self, update: dict[str, Any]) -> None:
        status = await post_update_to_webhook(self.webhook["url"], update,
                                              self.webhook.get("secret_token"))
        self.webhook_deliveries.append((update["update_id"], status))
        if status == 200 and update in self.updates:
            self.updates.remove(update)

    # --------------------------------------------------------------- API methods
    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        if p.get("allowed_updates") is not None:
            self.allowed_updates = list(p["allowed_updates"])
        self._poll_generation += 1
        generation = self._poll_generation
        self._update_event.set()  # an older long poll is answered with 409, as by Telegram
        self._update_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(p.get("timeout") or 0)
        if offset < 0:  # "the last -offset updates; all previous ones are forgotten"
            self.updates = self.updates[offset:]
            offset = self.updates[0]["update_id"] if self.updates else 0
        while True:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if self.allowed_updates:
                self.updates = [u for u in self.updates if _kind(u) in self.allowed_updates]
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            if self.updates or self._closing or loop.time() >= deadline:
                return self.updates[:limit]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_event.wait(), deadline - loop.time())

    def _send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p["chat_id"])
        text = render_text(str(p.get("text") or ""), p.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        msg = self._new_message(chat, dict(BOT_USER), text=text)
        if "inline_keyboard" in (p.get("reply_markup") or {}):
            msg["reply_markup"] = p["reply_markup"]
        reply_id = (p.get("reply_parameters") or {}).get("message_id")
        reply_id = reply_id or p.get("reply_to_message_id")
        if reply_id:
            msg["reply_to_message"] = self._replied(chat["id"], int(reply_id))
        return msg

    def _editable(self, p: dict[str, Any]) -> dict[str, Any] | None:
        if p.get("inline_message_id"):
            return None
        key = (int(p.get("chat_id", 0)), int(p.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        if self.messages[key]["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return self.messages[key]

    def _apply_edit(self, msg: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        new = {k: v for k, v in new.items() if v is not None}
        if new == msg:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        new["edit_date"] = int(time.time())
        self.messages[(msg["chat"]["id"], msg["message_id"])] = new
        return new

    def _edit_text(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        text = render_text(str(p.get("text") or ""), p.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        msg = self._editable(p)
        if msg is None:
            return True
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        return self._apply_edit(msg, {**msg, "text": text, "reply_markup": p.get("reply_markup")})

    def _edit_markup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        msg = self._editable(p)
        if msg is None:
            return True
        markup = p.get("reply_markup")
        return self._apply_edit(msg, {**msg, "reply_markup": markup if markup and
                                      markup.get("inline_keyboard") else None})

    def _delete_message(self, p: dict[str, Any]) -> bool:
        if self.messages.pop((int(p["chat_id"]), int(p["message_id"])), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _answer_callback(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("callback_query_id"))
        if qid in self.answered_callbacks or qid not in self._callback_ids:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        self.answered_callbacks[qid] = p
        return True

    def _chat_action(self, p: dict[str, Any]) -> bool:
        self._chat(p["chat_id"])
        if p.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _set_commands(self, p: dict[str, Any]) -> bool:
        commands = list(p.get("commands") or [])
        if any(not re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", "")) for c in commands):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[self._scope_key(p)] = commands
        return True

    def _delete_commands(self, p: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def _set_webhook(self, p: dict[str, Any]) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = dict(p)
        self.allowed_updates = list(p.get("allowed_updates") or self.allowed_updates)
        return True

    def _delete_webhook(self, p: dict[str, Any]) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {}
        return True

    def _webhook_info(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.webhook.get("url", ""),
                                "has_custom_certificate": False,
                                "pending_update_count": len(self.updates)}
        if self.webhook.get("url"):
            info["max_connections"] = int(self.webhook.get("max_connections") or 40)
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return info

    def _get_file(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("file_id") not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = self.files[p["file_id"]]
        return {"file_id": p["file_id"], "file_unique_id": "u" + p["file_id"],
                "file_size": len(content), "file_path": path}

    # -------------------------------------------------------------------- helpers
    def _user(self, user_id: int, first_name: str, lang: str, username: str | None
              ) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": lang}
        if username:
            user["username"] = username
        return user

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        """Known chats as pushed; unknown numeric ids are inferred from their sign."""
        if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
            raise ApiError(400, "Bad Request: chat not found")
        cid = int(chat_id)
        if cid not in self.chats:
            kind = "private" if cid > 0 else "supergroup" if cid < -10**12 else "group"
            self.chats[cid] = {"id": cid, "type": kind}
        return self.chats[cid]

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any],
                     **content: Any) -> dict[str, Any]:
        counter = self._msg_ids.setdefault(chat["id"], itertools.count(1))
        msg = {"message_id": next(counter), "from": sender, "chat": dict(chat),
               "date": int(time.time()), **content}
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def _stored(self, msg: dict[str, Any]) -> dict[str, Any]:
        """The current version of a message (after edits), so updates carry fresh state."""
        return self.messages.get((msg["chat"]["id"], msg["message_id"]), msg)

    def _replied(self, chat_id: int, message_id: int) -> dict[str, Any]:
        msg = self.messages.get((chat_id, message_id))
        if msg is None:
            return {"message_id": message_id, "date": int(time.time()),
                    "chat": self._chat(chat_id)}
        return {k: v for k, v in msg.items() if k != "reply_to_message"}

    def _register_file(self, folder: str, content: bytes, ext: str) -> tuple[str, str]:
        n = next(self._ids)
        file_id = f"AgACAgIAAxkBAAI{n:06d}"
        self.files[file_id] = (f"{folder}/file_{n}.{ext}", content)
        return file_id, f"AQAD{n:06d}"

    @staticmethod
    def _scope_key(p: dict[str, Any]) -> str:
        return json.dumps([p.get("scope") or {"type": "default"}, p.get("language_code") or ""],
                          sort_keys=True)


def _as_message(obj: dict[str, Any]) -> dict[str, Any]:
    """Accept an update dict or a message dict."""
    return obj.get("message") or obj.get("edited_message") or obj


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def _json(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _decode(key: str, value: str) -> Any:
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Params from the query string, a JSON body, or a urlencoded/multipart form."""
    params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
    files: dict[str, bytes] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        for key, value in (body or {}).items():
            wants_json = isinstance(value, str) and value[:1] in "[{" and key not in _STRING_FIELDS
            params[key] = _decode(key, value) if wants_json else value
        return params, files
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
        else:
            params[key] = _decode(key, str(value))
    return params, files
