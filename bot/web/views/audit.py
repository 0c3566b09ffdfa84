"""The audit log: who did what in the console, and when."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.access import page, require, web

PAGE_SIZE = 200


async def audit_log(request: Request) -> Response:
    require(request)
    offset = max(0, int(request.query_params.get("offset", "0") or 0))
    entries = await asyncio.to_thread(web(request).store.audit_entries, PAGE_SIZE, offset)
    return page(request, "audit.html", entries=entries, offset=offset, page_size=PAGE_SIZE)


routes = [Route("/console/audit", audit_log, methods=["GET"])]
