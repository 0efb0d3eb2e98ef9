"""Uploads into the store: POST /v1/documents answers 202 with a job; a new version waits for a decision."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from api.auth import Reader, Writer
from api.jobs import Busy, Decision, Job, Jobs
from api.problems import Problem
from api.state import services_of
from api.uploads import FILE_BODY, read_upload

router = APIRouter(prefix="/v1", tags=["uploads"])


class DecisionRequest(BaseModel):
    """What to do with a file that is a new version of a stored document."""

    model_config = ConfigDict(extra="forbid")
    decision: Decision  # replace: becomes current; keep_both: kept as a version; cancel: nothing stored


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def _job(request: Request, job_id: str) -> Job:
    job = _jobs(request).get(job_id) if len(job_id) <= 64 else None
    if job is None:
        raise Problem("not-found", f"任务 {job_id[:64]} 不存在（任务只保存在服务进程内存中）")
    return job


@router.post("/documents", status_code=202, summary="Upload a file into the store (extraction runs as a job)",
             openapi_extra=FILE_BODY)
async def upload(request: Request, response: Response, who: Writer) -> dict:
    """202 with the job; poll GET /v1/jobs/{id}. The same bytes twice is a `duplicate` outcome, not a copy."""
    name, data = await read_upload(request, services_of(request).settings)
    try:
        job = _jobs(request).submit(name, data, who.name)
    except Busy as exc:
        raise Problem("busy", "上传任务过多，请稍后重试（JIXIAO_API_MAX_UPLOAD_JOBS）",
                      headers={"Retry-After": "5"}) from exc
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return job.public()


@router.get("/jobs/{job_id}", summary="An upload job: status, stage progress, outcome")
def get_job(request: Request, _: Reader, job_id: str) -> dict:
    """queued / running (stage, page of pages) / waiting (for a decision) / done / failed / cancelled."""
    return _job(request, job_id).public()


@router.post("/jobs/{job_id}/decision", summary="Decide what a new version of a stored document does")
async def decide(request: Request, _: Writer, job_id: str, body: DecisionRequest) -> dict:
    """replace / keep_both / cancel, as the app's upload page offers; 409 when the job waits for nothing."""
    job = _job(request, job_id)
    try:
        await run_in_threadpool(_jobs(request).decide, job, body.decision)
    except ValueError as exc:
        raise Problem("conflict", f"任务状态为 {job.status}，无需决定") from exc
    return job.public()
