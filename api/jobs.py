"""Upload jobs: each file is extracted in the isolated worker on a background thread; a new version waits for a
caller's decision (replace / keep_both / cancel), as the app's upload page holds it for the person."""

from __future__ import annotations

import dataclasses
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from extractor.schema import Extraction
from retrieval.services import Services
from retrieval.store.versions import VersionDiff
from usecases.ingest import FileOutcome, ingest_one, store_extracted
from usecases.isolated import extract_isolated

log = logging.getLogger(__name__)
Decision = Literal["replace", "keep_both", "cancel"]
OPEN = ("queued", "running", "waiting")  # a job in one of these still holds a slot
KEEP_FINISHED = 500  # finished jobs remembered for GET /v1/jobs/{id}


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Job:
    """One uploaded file's way into the store."""

    id: str
    name: str
    who: str
    status: str = "queued"  # queued / running / waiting (for a decision) / done / failed / cancelled
    stage: str = ""
    page: int = 0
    pages: int = 0
    outcome: dict[str, Any] | None = None
    versions: list[dict[str, Any]] = field(default_factory=list)  # what a waiting file would replace
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    held: tuple[bytes, Extraction] | None = field(default=None, repr=False)

    def public(self) -> dict[str, Any]:
        """The job as the API shows it."""
        return {k: v for k, v in dataclasses.asdict(self).items() if k != "held"} | {
            "decisions": ["replace", "keep_both", "cancel"] if self.status == "waiting" else []}


class Busy(Exception):
    """Too many uploads open at once."""


class Jobs:
    """The app's upload jobs, in memory: a restart forgets them, never a stored document (one transaction each)."""

    def __init__(self, services: Services, max_open: int, workers: int = 1) -> None:
        self.services, self.max_open = services, max_open
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jixiao-upload")

    def submit(self, name: str, data: bytes, who: str) -> Job:
        """Queue a file; Busy when max_open uploads are already open."""
        with self._lock:
            if sum(j.status in OPEN for j in self._jobs.values()) >= self.max_open:
                raise Busy
            job = Job(uuid.uuid4().hex, name, who)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, data)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id."""
        with self._lock:
            return self._jobs.get(job_id)

    def decide(self, job: Job, decision: Decision) -> Job:
        """Store a waiting file as decided; ValueError when the job waits for nothing (any more)."""
        with self._lock:
            if job.status != "waiting" or job.held is None:
                raise ValueError(job.status)
            data, extraction = job.held
            job.held, job.status = None, "running"  # taken: a second decision at once finds nothing to decide
        try:
            if decision == "cancel":
                outcome = FileOutcome(job.name, "cancelled", "已取消，未导入")
            else:
                outcome = store_extracted(self.services, job.name, data, extraction, who=job.who,
                                          supersede=decision == "replace")
            self._finish(job, outcome)
        except Exception as exc:
            log.exception("storing %s failed", job.name)
            self._finish(job, FileOutcome(job.name, "failed", f"内部错误：{type(exc).__name__}"))
        return job

    def _forget_old(self) -> None:
        done = [j for j in self._jobs.values() if j.status not in OPEN]
        for j in done[: max(0, len(done) - KEEP_FINISHED)]:
            del self._jobs[j.id]

    def _run(self, job: Job, data: bytes) -> None:
        job.status, job.updated_at = "running", _now()

        def progress(i: int, n: int, stage: str) -> None:
            job.page, job.pages, job.stage, job.updated_at = i, n, stage, _now()

        def hold(extraction: Extraction, diffs: list[VersionDiff]) -> FileOutcome:
            job.held, job.versions = (data, extraction), [dataclasses.asdict(d) for d in diffs]
            return FileOutcome(job.name, "pending", "是已导入文件的新版本，请选择 replace / keep_both / cancel")

        try:
            outcome = ingest_one(self.services, job.name, data, who=job.who, progress=progress,
                                 extractor=extract_isolated, decide=hold)
        except Exception as exc:  # one bad file must not stop the queue
            log.exception("ingesting %s failed", job.name)
            outcome = FileOutcome(job.name, "failed", f"内部错误：{type(exc).__name__}")
        if outcome.status == "pending":
            with self._lock:
                job.status, job.outcome, job.updated_at = "waiting", dataclasses.asdict(outcome), _now()
            return
        self._finish(job, outcome)

    def _finish(self, job: Job, outcome: FileOutcome) -> None:
        with self._lock:
            job.outcome = dataclasses.asdict(outcome)
            job.status = {"failed": "failed", "cancelled": "cancelled"}.get(outcome.status, "done")
            job.updated_at = _now()

    def close(self) -> None:
        """Stop taking jobs; running extractions finish (their worker processes die with the server)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
