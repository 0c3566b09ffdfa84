"""The Telegram bot, wired in one place: read `build_application` to know the whole bot.

Long polling when TELEGRAM_BOT_TOKEN is set; a webhook (a route of the web app on PORT,
WEBHOOK_SECRET checked in constant time on every request) when WEBHOOK_URL is set too. The web
app (`bot.web.app`: console, web chat, /healthz, /metrics) runs in the same event loop in
webhook mode, and in polling mode when WEB_BASE_URL is set.
TELEGRAM_BASE_URL points the client at a self-hosted Bot API server, or at the fake one in
the tests.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.domain.answer import Answerer
from bot.domain.assistant import curated_first, open_answerer, open_question_log
from bot.domain.console_access import session_secret
from bot.domain.conversation import Conversations
from bot.domain.moderation import Moderation
from bot.domain.question_log import QuestionLog
from bot.domain.ratelimit import RateLimiter
from bot.present.texts import EN, VI
from bot.settings import BotSettings
from bot.telegram import access, jobs
from bot.telegram import citizens as handlers
from bot.telegram import moderators as handlers_moderation
from bot.telegram import staff as handlers_staff
from bot.telegram.context import BotData, Unconfirmed, staff_writer
from bot.telegram.transport import AiohttpRequest, never_sent
from bot.telegram.web_login import web_link
from bot.telegram.webhook import check_secret, webhook_route
from bot.web.app import build_web_app, web_context
from bot.web.server import WebServer
from bot.web.views.overview import warm as warm_overview
from index import (
    EmbeddingError,
    Index,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotBuiltError,
    LockTimeoutError,
)

log = logging.getLogger(__name__)

# Handler groups run lowest first, and every group sees every update. Staff commands (/add,
# /reindex, /stats) and moderation (/review, /faq, /xoadulieu, a moderator's typed answer) add
# their handlers in groups below CITIZENS, so they can claim an update (ApplicationHandlerStop)
# before it is taken for a citizen's question.
# RATE comes first: one rate limit for every question, command and button.
RATE, STAFF, MODERATION, CITIZENS = -3, -2, -1, 0
# Ids in callback data: ASCII digits (\d also takes other scripts' digits, which int() reads),
# at most 18, so one always fits SQLite's 64-bit integers.
ID = r"([0-9]{1,18})"
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
POLL_TIMEOUT_S = 30
READ_TIMEOUT_S = 15  # after this a sent call is unconfirmed (see DeliveryLimiter)
# Answer workers embed in parallel, one engine thread each; more threads per call only fight
# over the cores (measured: 40 ms a query with 1 thread, 80 ms with 2).
ENGINE_THREADS_PER_WORKER = 1
# Open connections to the Bot API for calls other than getUpdates (PTB's default, 256, let 32
# handlers each open their own; 8 carry the 30 messages/s Telegram allows).
CONNECTION_POOL_SIZE = 8
CONNECT_TIMEOUT_S, WRITE_TIMEOUT_S, POOL_TIMEOUT_S = 5, 15, 5
_servers: dict[int, WebServer] = {}  # id(app) -> its running web server, between start/stop


class DeliveryLimiter(AIORateLimiter):
    """Telegram's flood limits (30 messages/s, 20/min per group), retrying what surely failed.

    AIORateLimiter waits out a 429 RetryAfter; this also retries 5xx answers and connections
    that failed before the request was sent, with exponential backoff, so a reply is not lost to
    one bad moment. A call that was sent but not answered (a read timeout, a dropped connection)
    may already have taken effect: only calls that are safe to repeat are retried then; a
    message is never sent (or edited) twice. Chat actions ("typing…") and callback answers are
    not messages: they do not spend the 30/s budget.
    """

    _NOT_MESSAGES = frozenset({"sendChatAction", "answerCallbackQuery"})
    _SAFE_TO_REPEAT = frozenset({
        "getMe", "getUpdates", "getChat", "getFile", "getWebhookInfo", "getMyCommands",
        "setMyCommands", "deleteMyCommands", "setWebhook", "deleteWebhook", "sendChatAction"})

    def __init__(self, max_retries: int, backoff_s: float = 0.5) -> None:
        super().__init__(max_retries=max_retries)
        self._retries = max_retries
        self._backoff_s = backoff_s

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        for attempt in range(self._retries + 1):
            try:
                if endpoint in self._NOT_MESSAGES:
                    return await callback(*args, **kwargs)
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                     rate_limit_args)
            except (BadRequest, Forbidden, InvalidToken):
                raise  # our mistake or the user's choice: retrying changes nothing
            except NetworkError as error:  # includes timeouts and 5xx answers
                if not _surely_not_done(error) and endpoint not in self._SAFE_TO_REPEAT:
                    log.warning("%s to chat %s not confirmed (%s): not sent again, Telegram may "
                                "or may not have done it", endpoint, (data or {}).get("chat_id"),
                                _reason(error))
                    raise Unconfirmed(f"{endpoint} not confirmed: {_reason(error)}") from error
                if attempt == self._retries:
                    raise
                delay = self._backoff_s * 2 ** attempt
                log.warning("%s failed (%s); retry %d in %.1f s", endpoint, _reason(error),
                            attempt + 1, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def _surely_not_done(error: NetworkError) -> bool:
    """Telegram answered with an error (5xx), or the request never left (no connection)."""
    cause = error.__cause__
    if isinstance(error, Unconfirmed):
        return False
    if cause is None:
        return not isinstance(error, TimedOut)
    return never_sent(cause)


def _transport(pool_size: int) -> AiohttpRequest:
    return AiohttpRequest(pool_size, connect_timeout=CONNECT_TIMEOUT_S,
                          read_timeout=READ_TIMEOUT_S, write_timeout=WRITE_TIMEOUT_S,
                          pool_timeout=POOL_TIMEOUT_S)


def _reason(error: NetworkError) -> str:
    cause = error.__cause__
    return f"{type(cause).__name__}: {cause}" if cause is not None else str(error)


def build_application(settings: BotSettings, answerer: Answerer,
                      question_log: QuestionLog) -> Application:
    """The bot: client, limits and every handler. Starting it is the caller's choice."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(_file_url(settings.telegram_base_url))
        .request(_transport(CONNECTION_POOL_SIZE))
        .get_updates_request(_transport(1))  # one long poll at a time
        .rate_limiter(DeliveryLimiter(max_retries=settings.telegram_max_retries))
        # A citizen who deletes the question while it is being answered still gets the answer.
        .defaults(Defaults(allow_sending_without_reply=True))
        .concurrent_updates(settings.concurrent_updates)
        .context_types(ContextTypes(bot_data=BotData))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    if app.job_queue is None:
        raise RuntimeError("the bot needs PTB's job queue: pip install "
                           "'python-telegram-bot[job-queue]'")
    data: BotData = app.bot_data
    data.settings, data.log = settings, question_log
    data.moderation = Moderation(question_log, settings)
    data.answerer = curated_first(answerer, question_log, settings)
    data.curated = data.answerer.curated
    data.conversations = Conversations(settings.conversation_ttl_s)
    data.limiter = RateLimiter(question_log, settings.rate_limit_questions,
                               settings.rate_limit_window_s)
    data.executor = ThreadPoolExecutor(settings.answer_workers, thread_name_prefix="answer")
    if settings.console_url is not None:
        data.web = web_context(settings, question_log, data.answerer, data.executor,
                               lambda: staff_writer(data), metrics=data.metrics,
                               limiter=data.limiter, moderation=data.moderation, bot=app.bot,
                               production=bool(settings.webhook_url))

    app.job_queue.run_repeating(jobs.pick_up_new_index, interval=jobs.NEW_INDEX_EVERY_S,
                                name=jobs.NEW_INDEX)
    # Retention runs once at start-up (_post_init), then daily.
    app.job_queue.run_repeating(jobs.purge_expired, interval=jobs.RETENTION_EVERY_S,
                                name=jobs.RETENTION)
    if settings.moderator_chat_id is not None:
        app.job_queue.run_repeating(jobs.announce_new_questions,
                                    interval=settings.moderator_announce_interval_s,
                                    name=jobs.ANNOUNCE)
    if settings.crawl_every_s is not None:  # FEEDS kept fresh by itself; see README "Freshness"
        app.job_queue.run_repeating(jobs.crawl_feeds, interval=settings.crawl_every_s,
                                    name=jobs.CRAWL)

    private = filters.ChatType.PRIVATE
    in_group = filters.ChatType.GROUPS & handlers.AddressedToBot()
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    media = (filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
             | filters.VIDEO_NOTE | filters.Document.ALL | filters.LOCATION | filters.CONTACT
             | filters.ANIMATION)
    app.add_handlers([
        MessageHandler(messages & (private | in_group | filters.COMMAND), access.within_rate),
        CallbackQueryHandler(access.within_rate),
    ], group=RATE)
    app.add_handlers([
        CommandHandler("add", handlers_staff.add),
        CommandHandler("reindex", handlers_staff.reindex),
        CommandHandler("stats", handlers_staff.stats),
        CommandHandler("web", web_link),
    ], group=STAFF)
    app.add_handlers([
        CommandHandler("review", handlers_moderation.review),
        CommandHandler("faq", handlers_moderation.faq),
        CommandHandler("huy", handlers_moderation.cancel),
        CommandHandler(["xoadulieu", "forgetme"], handlers_moderation.forget_me),
        CallbackQueryHandler(handlers_moderation.review_fine, pattern=rf"^rv:ok:{ID}\Z"),
        CallbackQueryHandler(handlers_moderation.review_spam, pattern=rf"^rv:spam:{ID}\Z"),
        CallbackQueryHandler(handlers_moderation.review_answer,
                             pattern=rf"^rv:(?:edit|faq):{ID}\Z"),
        CallbackQueryHandler(handlers_moderation.review_skip, pattern=rf"^rv:skip:{ID}\Z"),
        CallbackQueryHandler(handlers_moderation.forget_button,
                             pattern=rf"^forget:(yes|no):{ID}\Z"),
        MessageHandler(messages & filters.TEXT & ~filters.COMMAND,
                       handlers_moderation.moderator_answer),
    ], group=MODERATION)
    app.add_handlers([
        CommandHandler(["start", "help"], handlers.start),
        CommandHandler("privacy", handlers.privacy),
        CommandHandler(["hoi", "ask"], handlers.ask_command),
        MessageHandler(messages & private & filters.TEXT & ~filters.COMMAND,
                       handlers.private_question),
        MessageHandler(messages & in_group & filters.TEXT & ~filters.COMMAND,
                       handlers.group_question),
        MessageHandler(filters.UpdateType.MESSAGE & (private | in_group) & media,
                       handlers.media),
        CallbackQueryHandler(handlers.feedback, pattern=rf"^fb:{ID}:(1|-1)\Z"),
        CallbackQueryHandler(handlers.more, pattern=rf"^more:{ID}:([0-9]{{1,2}})\Z"),
        CallbackQueryHandler(handlers.ignore_button),
    ], group=CITIZENS)
    app.add_error_handler(handlers.on_error)
    return app


async def _post_init(app: Application) -> None:
    """Register the command menu (Vietnamese, and English for English clients); warm the model;
    purge expired questions before the first update arrives."""
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in VI.commands])
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in EN.commands], language_code="en")
    data: BotData = app.bot_data
    loop = asyncio.get_running_loop()
    # The first questions would otherwise pay for loading the embedding model and building
    # the word channels of the index (seconds on a large one).
    await loop.run_in_executor(data.executor, _warm_up, data.answerer.index)
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(jobs.RETENTION):
        await job.run(app)  # APScheduler cannot run a repeating job at once (first=0)


def _warm_up(index: Index) -> None:
    index.similarity("xin chào", ["xin chào"])
    if index.is_built:
        index.search("xin chào", k=1)


async def _post_shutdown(app: Application) -> None:
    data: BotData = app.bot_data
    if data.web is not None:
        data.web.jobs.shutdown()
    data.executor.shutdown(wait=True, cancel_futures=True)


def polling_options(poll_timeout: float = POLL_TIMEOUT_S) -> dict[str, Any]:
    return {"allowed_updates": ALLOWED_UPDATES, "timeout": poll_timeout, "poll_interval": 0,
            "drop_pending_updates": False}


def webhook_options(settings: BotSettings, listen: str = "0.0.0.0") -> dict[str, Any]:
    """The webhook server on PORT at WEBHOOK_URL's path; requests without the secret: 403.
    ValueError when WEBHOOK_SECRET is missing or too weak to guard it."""
    if not settings.webhook_url:
        raise ValueError("WEBHOOK_URL is not set")
    secret = check_secret(settings.webhook_secret.get_secret_value()
                          if settings.webhook_secret else None)
    return {"listen": listen, "port": settings.port,
            "url_path": urlparse(settings.webhook_url).path.strip("/"),
            "webhook_url": settings.webhook_url, "secret_token": secret,
            "allowed_updates": ALLOWED_UPDATES, "drop_pending_updates": False}


async def start(app: Application, settings: BotSettings, listen: str = "0.0.0.0",
                poll_timeout: float = POLL_TIMEOUT_S) -> None:
    """Start without blocking (tests, benchmarks; `run_telegram` waits for a signal after it).
    The web server listens before Telegram is told where to POST."""
    options = webhook_options(settings, listen) if settings.webhook_url else None
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    data: BotData = app.bot_data
    if data.web is not None:
        route = (webhook_route(app, options["url_path"], options["secret_token"])
                 if options is not None else None)
        server = WebServer(build_web_app(data.web, route), listen, settings.port)
        await server.start()
        _servers[id(app)] = server
        warm_overview(data.web)
    if options is not None:
        await app.bot.set_webhook(
            url=options["webhook_url"], secret_token=options["secret_token"],
            allowed_updates=options["allowed_updates"],
            drop_pending_updates=options["drop_pending_updates"])
    else:
        assert app.updater is not None
        await app.updater.start_polling(**polling_options(poll_timeout))


async def stop(app: Application) -> None:
    """Stop fetching updates, finish the ones in hand, release everything."""
    if (server := _servers.pop(id(app), None)) is not None:
        await server.stop()
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def run_telegram(settings: BotSettings) -> None:
    """`python -m bot` with a token: serve until SIGINT/SIGTERM, then finish what is in hand."""
    production = bool(settings.webhook_url)
    try:
        if production:
            webhook_options(settings)  # refuse a webhook without a valid secret before anything
        # In production a real LOG_SECRET, else one generated into DATA_DIR and kept.
        question_log = open_question_log(settings, production=production)
        session_secret(settings, production)  # the console's key: refused now if too weak
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    try:
        answerer = open_answerer(settings, threads=ENGINE_THREADS_PER_WORKER)
    except (ValueError, IndexMismatchError, IndexCorruptError, IndexNotBuiltError,
            EmbeddingError, LockTimeoutError) as error:
        question_log.close()
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    app = build_application(settings, answerer, question_log)
    try:
        if settings.webhook_url:
            log.info("webhook mode on port %d for %s", settings.port, settings.webhook_url)
        else:
            log.info("long polling %s", settings.telegram_base_url)
        if settings.console_url:
            log.info("web console on %s:%d, login links to %s (send /web to the bot)",
                     settings.web_host, settings.port, settings.console_url)
        asyncio.run(_serve_until_signal(app, settings))
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        question_log.close()


async def _serve_until_signal(app: Application, settings: BotSettings) -> None:
    """The webhook's run loop: start, wait for SIGINT/SIGTERM, finish what is in hand."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    try:
        await start(app, settings, listen=settings.web_host)
        await stopping.wait()
    finally:
        await stop(app)


def _file_url(base_url: str) -> str:
    """Downloads live beside the API: https://api.telegram.org/bot -> .../file/bot."""
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else f"{base_url}/file"
