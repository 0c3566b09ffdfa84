"""What is indexed, for staff: list, search and filter; add URLs, upload files, crawl a feed or
sitemap, remove; each change runs as a job whose progress the page polls (`/jobs/ID`)."""

from __future__ import annotations

import asyncio
import re
import secrets
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.domain.console_access import STAFF
from bot.web.access import audit, page, require, web
from index import Library, chunk_article

PAGE_SIZE = 50
UPLOAD_SUFFIXES = (".md", ".html", ".htm", ".txt")
MAX_URLS = 50
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _listing(request: Request) -> dict:
    ctx = web(request)
    index = ctx.assistant.index
    index.reload_if_changed()
    listed, bad = Library(ctx.settings, index=index).list()
    query = request.query_params.get("q", "").strip().lower()[:200]
    publisher = request.query_params.get("publisher", "")
    publishers = sorted({item.article.publisher for item in listed if item.article.publisher})
    if query:
        listed = [item for item in listed if query in " ".join(
            x for x in (item.article.title, item.article.id, item.article.url or "") if x
        ).lower()]
    if publisher:
        listed = [item for item in listed if item.article.publisher == publisher]
    offset = max(0, int(request.query_params.get("offset", "0") or 0))
    shown = listed[offset:offset + PAGE_SIZE]
    settings = ctx.settings
    passages = {item.article.id: len(chunk_article(item.article, settings.chunk_words,
                                                   settings.chunk_overlap_words))
                for item in shown}
    return {"articles": shown, "total": len(listed), "offset": offset, "page_size": PAGE_SIZE,
            "passages": passages, "bad": bad, "stats": index.stats() if index.is_built else None,
            "q": query, "publisher": publisher, "publishers": publishers}


async def knowledge(request: Request) -> Response:
    require(request, STAFF)
    listing = await asyncio.to_thread(_listing, request)
    return page(request, "knowledge.html", job=request.query_params.get("job"), **listing)


def _started(job_id: str) -> RedirectResponse:
    return RedirectResponse(f"/console/knowledge?job={job_id}", status_code=303)


async def _save_uploads(request: Request, files: list[UploadFile]) -> tuple[Path | None,
                                                                          list[Path]]:
    """Uploaded files into a folder of their own under DATA_DIR; refused names are skipped."""
    ctx = web(request)
    if not files:
        return None, []
    folder = ctx.settings.data_dir / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    saved = []
    for upload in files:
        name = _UNSAFE.sub("-", Path(upload.filename or "").name).strip(".-")
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            continue
        content = await upload.read(ctx.settings.fetch_max_bytes + 1)
        if len(content) > ctx.settings.fetch_max_bytes:
            continue
        path = folder / name
        path.write_bytes(content)
        saved.append(path)
    return folder, saved


async def add(request: Request) -> Response:
    session = require(request, STAFF)
    form = await request.form()
    urls = [u.strip() for u in str(form.get("urls", "")).split() if u.strip()][:MAX_URLS]
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    folder, files = await _save_uploads(request, uploads)
    if not urls and not files:
        return RedirectResponse("/console/knowledge", status_code=303)

    def work(library: Library):
        report = library.add_urls(urls) if urls else None
        if files:
            from_files = library.add(files)
            if report is None:
                return from_files
            report.extend(from_files)
        return report

    job = web(request).jobs.start("add", work, cleanup=folder)
    audit(request, session, "knowledge.add", " ".join(urls + [p.name for p in files]))
    return _started(job.id)


async def crawl(request: Request) -> Response:
    session = require(request, STAFF)
    form = await request.form()
    source = str(form.get("source", "")).strip()
    try:
        limit = int(str(form.get("limit", "") or 0)) or None
    except ValueError:
        limit = None
    if not source:
        return RedirectResponse("/console/knowledge", status_code=303)
    job = web(request).jobs.start("crawl", lambda library: library.crawl(source, limit))
    audit(request, session, "knowledge.crawl", source)
    return _started(job.id)


async def remove(request: Request) -> Response:
    session = require(request, STAFF)
    form = await request.form()
    article = str(form.get("article", "")).strip()
    if not article:
        return RedirectResponse("/console/knowledge", status_code=303)
    job = web(request).jobs.start("remove", lambda library: library.remove([article]))
    audit(request, session, "knowledge.remove", article)
    return _started(job.id)


async def job_status(request: Request) -> Response:
    require(request, STAFF)
    job = web(request).jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse({"error": "no such job"}, status_code=404)
    return JSONResponse(job.as_json())


routes = [
    Route("/console/knowledge", knowledge, methods=["GET"]),
    Route("/console/knowledge/add", add, methods=["POST"]),
    Route("/console/knowledge/crawl", crawl, methods=["POST"]),
    Route("/console/knowledge/remove", remove, methods=["POST"]),
    Route("/console/knowledge/jobs/{job_id}", job_status, methods=["GET"]),
]
