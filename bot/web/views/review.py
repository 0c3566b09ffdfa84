"""The review queue, as `/review` on Telegram: the same questions, claims and actions
(`bot.domain.moderation`); a moderators' answer reaches the citizen through the bot."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.domain.console_access import MODERATOR
from bot.domain.console_store import QuestionFilter
from bot.domain.moderation import ReviewError
from bot.domain.question_log import AWAITING_REVIEW
from bot.telegram.moderators import deliver_answer, split_source
from bot.web.access import audit, page, require, web

PAGE_SIZE = 50
PASSAGES = 3
FILTERS = {"unanswered": ("unanswered",), "downvoted": ("downvoted",), "low": ("low",),
           "": AWAITING_REVIEW}


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def text_and_dates(request: Request, states: tuple[str, ...] = ()
                   ) -> tuple[QuestionFilter, dict[str, str]]:
    """The text and date filter the review queue and the question log share, and the values
    chosen, to show back in the form."""
    params = request.query_params
    chosen = {"q": params.get("q", "")[:200], "from": params.get("from", ""),
              "to": params.get("to", "")}
    return QuestionFilter(text=chosen["q"], since=parse_date(chosen["from"]),
                          until=parse_date(chosen["to"]), states=states), chosen


def _filter(request: Request) -> tuple[QuestionFilter, dict[str, str]]:
    state = request.query_params.get("state", "")
    state = state if state in FILTERS else ""
    chosen_filter, chosen = text_and_dates(request, FILTERS[state])
    return chosen_filter, {"state": state, **chosen}


async def queue(request: Request) -> Response:
    require(request, MODERATOR)
    ctx = web(request)
    chosen_filter, chosen = _filter(request)
    offset = max(0, int(request.query_params.get("offset", "0") or 0))

    def read() -> tuple[list, int]:
        return (ctx.store.search(chosen_filter, PAGE_SIZE, offset, oldest_first=True),
                ctx.store.count(chosen_filter))

    questions, total = await asyncio.to_thread(read)
    return page(request, "review.html", questions=questions, total=total, chosen=chosen,
                offset=offset, page_size=PAGE_SIZE, message=request.query_params.get("msg"),
                faq_id=request.query_params.get("faq"), query=urlencode(chosen))


async def question(request: Request) -> Response:
    session = require(request, MODERATOR)
    ctx = web(request)
    question_id = request.path_params["question_id"]
    found = await asyncio.to_thread(ctx.log.question, question_id)
    if found is None:
        return page(request, "message.html", status_code=404, message="404")
    index = ctx.assistant.index
    hits = await asyncio.get_running_loop().run_in_executor(
        ctx.executor, lambda: index.search(found.question, k=PASSAGES) if index.is_built
        else [])
    held = found.claimed_by not in (None, session.actor_key)
    return page(request, "review_question.html", q=found, hits=hits, held_by_other=held,
                awaiting=found.review_state in AWAITING_REVIEW)


def _back(message: str, **extra: object) -> RedirectResponse:
    return RedirectResponse("/console/review?" + urlencode({"msg": message, **extra}),
                            status_code=303)


async def answer(request: Request) -> Response:
    """Answer a question (optionally saved as a curated answer): claim it first, so a
    moderator on Telegram cannot answer it too, then deliver, then record."""
    session = require(request, MODERATOR)
    ctx = web(request)
    question_id = request.path_params["question_id"]
    form = await request.form()
    text = str(form.get("answer", "")).strip()
    source_url = str(form.get("source_url", "")).strip() or None
    as_faq = form.get("save_faq") == "1"
    if not text:
        return RedirectResponse(f"/console/review/{question_id}", status_code=303)
    if source_url is None and as_faq:
        text, source_url = split_source(text)
    mod, key = ctx.moderation, session.actor_key
    if not await asyncio.to_thread(mod.claim, question_id, key):
        return _back("held_by_other")
    found = await asyncio.to_thread(ctx.log.question, question_id)
    message = "web_question"
    if found is not None and found.chat_id is not None:
        try:
            target = await asyncio.to_thread(mod.delivery_target, question_id, key)
        except ReviewError:
            return _back("held_by_other")
        delivered = ctx.bot is not None and await deliver_answer(ctx.bot, target, text,
                                                                 source_url)
        message = "delivered" if delivered else "not_delivered"
    try:
        curated = await asyncio.to_thread(mod.record_answer, question_id, key, text, as_faq,
                                          source_url)
    except ReviewError:
        return _back("held_by_other")
    audit(request, session, "review.answer" + (".faq" if as_faq else ""),
          f"#{question_id} {message}" + (f", FAQ #{curated}" if curated else ""))
    return _back(message, **({"faq": curated} if curated else {}))


def _closing(verb_name: str, action: str):
    async def close(request: Request) -> Response:
        session = require(request, MODERATOR)
        question_id = request.path_params["question_id"]
        verb = getattr(web(request).moderation, verb_name)
        if not await asyncio.to_thread(verb, question_id, session.actor_key):
            return _back("held_by_other")
        audit(request, session, action, f"#{question_id}")
        return _back("done")
    return close


async def skip(request: Request) -> Response:
    session = require(request, MODERATOR)
    question_id = request.path_params["question_id"]
    await asyncio.to_thread(web(request).moderation.release, question_id, session.actor_key)
    audit(request, session, "review.skip", f"#{question_id}")
    return RedirectResponse("/console/review", status_code=303)


routes = [
    Route("/console/review", queue, methods=["GET"]),
    Route("/console/review/{question_id:int}", question, methods=["GET"]),
    Route("/console/review/{question_id:int}/answer", answer, methods=["POST"]),
    Route("/console/review/{question_id:int}/fine", _closing("mark_fine", "review.fine"),
          methods=["POST"]),
    Route("/console/review/{question_id:int}/spam", _closing("mark_spam", "review.spam"),
          methods=["POST"]),
    Route("/console/review/{question_id:int}/skip", skip, methods=["POST"]),
]
