"""Curated answers: list, search, edit, delete, and how often each was served."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.domain.console_access import MODERATOR
from bot.domain.scoring import content_terms
from bot.web.access import audit, page, require, web


def _matches(query: str, *texts: str) -> bool:
    # Read alike however either was typed: the folded function words decide for both.
    wanted = content_terms(query, marked=False)
    if not wanted:
        return query.lower() in " ".join(texts).lower()
    return set(wanted) <= set(content_terms(" ".join(texts), marked=False))


async def faq_list(request: Request) -> Response:
    require(request, MODERATOR)
    ctx = web(request)
    query = request.query_params.get("q", "")[:200]

    def read() -> tuple[list, dict[int, int]]:
        return ctx.assistant.curated.list(), ctx.store.served_counts()

    curated, served = await asyncio.to_thread(read)
    if query.strip():
        curated = [c for c in curated if _matches(query, c.question, c.answer)]
    return page(request, "faq.html", curated=curated, served=served, q=query,
                editing=request.query_params.get("edit"),
                message=request.query_params.get("msg"))


async def faq_edit(request: Request) -> Response:
    session = require(request, MODERATOR)
    curated_id = request.path_params["curated_id"]
    form = await request.form()
    question = str(form.get("question", "")).strip()
    answer = str(form.get("answer", "")).strip()
    source_url = str(form.get("source_url", "")).strip() or None
    try:
        changed = await asyncio.to_thread(web(request).assistant.curated.edit, curated_id,
                                          question, answer, source_url)
    except ValueError as error:
        return page(request, "message.html", status_code=400, message=str(error))
    if changed:
        audit(request, session, "faq.edit", f"#{curated_id}")
    return RedirectResponse("/console/faq?msg=done", status_code=303)


async def faq_delete(request: Request) -> Response:
    session = require(request, MODERATOR)
    curated_id = request.path_params["curated_id"]
    if await asyncio.to_thread(web(request).assistant.curated.delete, curated_id):
        audit(request, session, "faq.delete", f"#{curated_id}")
    return RedirectResponse("/console/faq?msg=done", status_code=303)


routes = [
    Route("/console/faq", faq_list, methods=["GET"]),
    Route("/console/faq/{curated_id:int}/edit", faq_edit, methods=["POST"]),
    Route("/console/faq/{curated_id:int}/delete", faq_delete, methods=["POST"]),
]
