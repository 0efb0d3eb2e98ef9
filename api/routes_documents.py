"""Documents: extract without storing, list and read stored ones, versions and restore, the 审核意见表."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict

from api.auth import Reader, Writer
from api.problems import Problem
from api.state import services_of
from api.uploads import FILE_BODY, read_upload
from extractor.export import to_json
from retrieval.store import queries, versions
from usecases import records
from usecases.isolated import extract_isolated
from usecases.versions import restore_version

router = APIRouter(prefix="/v1", tags=["documents"])
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RestoreRequest(BaseModel):
    """Make a stored version current again."""

    model_config = ConfigDict(extra="forbid")
    carry: bool = False  # copy the current version's human corrections onto it first


def _tag(value: object) -> str:
    return f'"{value}"'


def _match(if_match: str | None) -> str | None:
    return None if if_match is None else if_match.strip().removeprefix("W/").strip('"')


@router.post("/extract", summary="Read one file into the export format (format 1.1, with quality); nothing stored",
             openapi_extra=FILE_BODY)
async def extract(request: Request, _: Reader) -> Response:
    """The export JSON of one file, read in the isolated worker; a file that cannot be read is a 422 problem."""
    services = services_of(request)
    name, data = await read_upload(request, services.settings)
    result = await run_in_threadpool(extract_isolated, data, name, services.settings.effective_backend(),
                                     services.settings, None)
    if result.document is None:
        raise Problem("unprocessable-file", f"{name}：" + "；".join(e.message for e in result.errors))
    return Response(to_json([result.document]), media_type=JSON)


@router.get("/documents", summary="Current documents, newest first")
def list_documents(request: Request, _: Reader, department: str | None = Query(None, max_length=200),
                   year: int | None = Query(None, ge=1900, le=2200), needs_review: bool | None = None) -> dict:
    """Current documents with counts and the extractor's needs-review flag."""
    docs = records.list_documents(services_of(request), department, year, needs_review)
    return {"documents": jsonable_encoder(docs)}


@router.get("/documents/{document_id}", summary="One stored document in the export format (with corrections)")
def get_document(request: Request, _: Reader, document_id: int) -> Response:
    """{"documents": [one]} exactly as `jixiao extract` writes it."""
    doc = records.document(services_of(request), document_id)
    if doc is None:
        raise Problem("not-found", f"文档 {document_id} 不存在")
    return Response(to_json([doc]), media_type=JSON)


@router.get("/documents/{document_id}/projects", summary="A document's projects with their ids")
def document_projects(request: Request, _: Reader, document_id: int) -> dict:
    """Projects in printed order: ids for /v1/projects/{id}."""
    services = services_of(request)
    if records.document(services, document_id) is None:
        raise Problem("not-found", f"文档 {document_id} 不存在")
    return {"projects": queries.projects(services.store, document_id)}


@router.get("/documents/{document_id}/versions", summary="Every stored version of this disclosure")
def document_versions(request: Request, response: Response, _: Reader, document_id: int) -> dict:
    """Versions oldest first; the ETag names the lineage's newest revision (If-Match of a restore)."""
    services = services_of(request)
    found = versions.versions(services.store, document_id)
    if not found:
        raise Problem("not-found", f"文档 {document_id} 不存在")
    response.headers["ETag"] = _tag(versions.lineage_base(services.store, document_id))
    return {"versions": [dataclasses.asdict(v) for v in found]}


@router.post("/documents/{document_id}/restore", summary="Make a stored version current again")
def restore(request: Request, who: Writer, document_id: int, body: RestoreRequest | None = None,
            if_match: Annotated[str | None, Header()] = None) -> dict:
    """With If-Match (the versions ETag) a change made to the disclosure since is a 412, nothing written."""
    services = services_of(request)
    base = _match(if_match)
    if base is not None and not base.isdigit():
        raise Problem("precondition-failed", "If-Match 与版本列表的 ETag 不符")
    if not versions.versions(services.store, document_id):
        raise Problem("not-found", f"文档 {document_id} 不存在")
    done = restore_version(services, document_id, who.name, (body or RestoreRequest()).carry,
                           base=int(base) if base is not None else None)
    return {"document_id": document_id, **dataclasses.asdict(done)}


@router.get("/documents/{document_id}/audit", summary="绩效目标审核 of a stored document: JSON, XLSX or HTML")
def audit(request: Request, _: Reader, document_id: int,
          format: Literal["json", "xlsx", "html"] = "json") -> Response:
    """The 审核意见表 with the document's corrections."""
    services = services_of(request)
    if records.document(services, document_id) is None:
        raise Problem("not-found", f"文档 {document_id} 不存在")
    report = records.audit_report(services, [document_id], format)
    media = {"json": JSON, "xlsx": XLSX, "html": "text/html; charset=utf-8"}[format]
    headers = {"Content-Disposition": f'attachment; filename="audit-{document_id}.xlsx"'} if format == "xlsx" else {}
    return Response(report, media_type=media, headers=headers)
