"""The overview: the last 30 days as pictures, and the topics that need articles."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.domain.console_access import MODERATOR, STAFF
from bot.domain.topics import top_topics
from bot.web import charts
from bot.web.access import page, require, web
from bot.web.context import WebContext

DAYS = 30
TOPICS = 8
TOPIC_SAMPLE = 1000  # the most recent questions of each kind the topics are drawn from


def figures(ctx: WebContext) -> dict:
    now = ctx.clock()
    days = ctx.store.days(now.date(), DAYS)
    since = now - dt.timedelta(days=DAYS)
    unanswered = ctx.store.question_texts(since, states=("unanswered",), limit=TOPIC_SAMPLE)
    downvoted = ctx.store.question_texts(since, downvoted=True, limit=TOPIC_SAMPLE)
    return {"days": days, "stacked": charts.stacked_bars(days),
            "votes": charts.paired_bars(days), "share": charts.share_line(days),
            "width": charts.WIDTH, "height": charts.HEIGHT,
            "top_unanswered": top_topics(unanswered, TOPICS),
            "top_downvoted": top_topics(downvoted, TOPICS),
            "awaiting": ctx.store.awaiting_review(),
            "total": sum(d.questions for d in days), "computed_at": now}


async def overview(request: Request) -> Response:
    require(request, MODERATOR, STAFF)
    ctx = web(request)
    shown = await asyncio.to_thread(ctx.overview.get, lambda: figures(ctx))
    return page(request, "overview.html", **shown)


def warm(ctx: WebContext) -> None:
    """Compute the first copy in a thread at start-up, so no visitor waits for it."""
    threading.Thread(target=ctx.overview.get, args=(lambda: figures(ctx),), daemon=True,
                     name="overview").start()


routes = [Route("/console/", overview, methods=["GET"])]
