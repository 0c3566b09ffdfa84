"""Staff work started from the console (add URLs, upload files, crawl, remove) runs in a worker
thread through the index's `Library`; the page polls the job for progress and, at the end,
shows the same per-item summary as `python -m index`.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from index import Index, IndexSettings, IngestReport, Library

log = logging.getLogger(__name__)

KEPT_JOBS = 50  # finished jobs remembered for their pages; older ones are forgotten


@dataclass
class Job:
    id: str
    kind: str
    stage: str = "queued"
    done: int = 0
    total: int = 0
    finished: bool = False
    report: IngestReport | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    def progress(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total

    def as_json(self) -> dict:
        """What the page shows: the stage and counts while running, then the summary."""
        data: dict = {"id": self.id, "kind": self.kind, "stage": self.stage,
                      "done": self.done, "total": self.total, "finished": self.finished,
                      "error": self.error}
        report = self.report
        if report is not None:
            data["summary"] = report.summary()
            data["ok"] = report.ok
            data["items"] = [
                {"status": item.status, "title": item.title or item.input,
                 "article_id": item.article_id, "url": item.url, "reason": item.reason,
                 "passages": item.passages} for item in report.in_summary_order()]
            data["notes"] = list(report.notes)
            if report.build is not None:
                data["generation"] = report.build.generation
                data["embedded"] = report.build.embedded_passages
        return data


class KnowledgeJobs:
    """One staff job at a time (the index has one writer); `writer` gives the index to build."""

    def __init__(self, settings: IndexSettings, writer: Callable[[], Index]) -> None:
        self.settings = settings
        self._writer = writer
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="knowledge")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, kind: str, work: Callable[[Library], IngestReport],
              cleanup: Path | None = None) -> Job:
        job = Job(secrets.token_urlsafe(9), kind)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEPT_JOBS]:
                del self._jobs[old]
        self._executor.submit(self._run, job, work, cleanup)
        return job

    def _run(self, job: Job, work: Callable[[Library], IngestReport],
             cleanup: Path | None) -> None:
        job.stage = "start"
        try:
            library = Library(self.settings, index=self._writer(), on_progress=job.progress)
            job.report = work(library)
            job.error = job.report.error
        except Exception as error:  # one failed job must not take the console down
            log.exception("knowledge job %s failed", job.kind)
            job.error = f"{type(error).__name__}: {error}"
        finally:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
            job.stage, job.finished = "done", True

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
