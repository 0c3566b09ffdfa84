"""The question log: search by text and date, and the same CSV as `bot review export`."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.domain.console_access import MODERATOR
from bot.domain.export import csv_text
from bot.web.access import audit, page, require, web
from bot.web.views.review import text_and_dates

PAGE_SIZE = 50
EXPORT_LIMIT = 200_000  # the whole log of a district, and a bound on one response


async def question_log(request: Request) -> Response:
    require(request, MODERATOR)
    ctx = web(request)
    chosen_filter, chosen = text_and_dates(request)
    offset = max(0, int(request.query_params.get("offset", "0") or 0))

    def read() -> tuple[list, int]:
        return (ctx.store.search(chosen_filter, PAGE_SIZE, offset),
                ctx.store.count(chosen_filter))

    questions, total = await asyncio.to_thread(read)
    return page(request, "log.html", questions=questions, total=total, chosen=chosen,
                offset=offset, page_size=PAGE_SIZE, query=urlencode(chosen))


async def export(request: Request) -> Response:
    """CSV in UTF-8 with a BOM (spreadsheets then show Vietnamese); masked like Telegram's."""
    session = require(request, MODERATOR)
    ctx = web(request)
    chosen_filter, chosen = text_and_dates(request)

    def write() -> str:
        questions = ctx.store.search(chosen_filter, EXPORT_LIMIT, 0, oldest_first=True)
        return csv_text(ctx.log, questions)

    text = await asyncio.to_thread(write)
    audit(request, session, "log.export", urlencode(chosen))
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="questions.csv"'})


routes = [
    Route("/console/log", question_log, methods=["GET"]),
    Route("/console/log.csv", export, methods=["GET"]),
]
