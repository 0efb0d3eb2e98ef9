"""Corrections: read a project or an indicator (with an ETag), PATCH one field with a reason (If-Match -> 412)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Reader, Writer
from api.problems import Problem
from api.state import services_of
from usecases import records

router = APIRouter(prefix="/v1", tags=["corrections"])


class FieldChange(BaseModel):
    """One field's new value and why; the caller's token name is recorded as the reviewer."""

    model_config = ConfigDict(extra="forbid")
    field: str = Field(max_length=50)
    value: Any = None
    reason: str = Field(min_length=1, max_length=2000)


def _etag(record: dict[str, Any]) -> str:
    return f'"{records.version_tag(record["fields"])}"'


def _tagged(response: Response, record: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The record with its ETag set on the response (404 when it does not exist)."""
    if record is None:
        raise Problem("not-found", f"{what}不存在")
    response.headers["ETag"] = _etag(record)
    return record


def _checked(record: dict[str, Any] | None, what: str, if_match: str | None) -> dict[str, Any]:
    if record is None:
        raise Problem("not-found", f"{what}不存在")
    if if_match is None:
        raise Problem("precondition-required", "修改需要 If-Match：先 GET 该记录，把它的 ETag 放进 If-Match")
    wanted = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if "*" not in wanted and _etag(record) not in wanted:
        raise Problem("precondition-failed", f"{what}在你读取后已被修改，请重新读取后再改", etag=_etag(record))
    return record


@router.get("/projects/{project_id}", summary="A project's editable fields, its indicators' ids; ETag")
def get_project(request: Request, response: Response, _: Reader, project_id: int) -> dict:
    """The ETag goes into If-Match of a PATCH."""
    return _tagged(response, records.project(services_of(request), project_id), f"项目 {project_id} ")


@router.patch("/projects/{project_id}", summary="Correct one project field (a revision with the caller as reviewer)")
def patch_project(request: Request, response: Response, who: Writer, project_id: int, change: FieldChange,
                  if_match: Annotated[str | None, Header()] = None) -> dict:
    """412 when the project changed since the ETag; 422 when the value does not validate."""
    services = services_of(request)
    record = _checked(records.project(services, project_id), f"项目 {project_id} ", if_match)
    changed = records.correct_project_field(services, project_id, change.field, change.value, who.name,
                                            change.reason, base=record["fields"])
    after = _tagged(response, records.project(services, project_id) or record, f"项目 {project_id} ")
    return {**after, "changed": changed}


@router.get("/indicators/{indicator_id}", summary="An indicator's fields; ETag")
def get_indicator(request: Request, response: Response, _: Reader, indicator_id: int) -> dict:
    """The ETag goes into If-Match of a PATCH."""
    return _tagged(response, records.indicator(services_of(request), indicator_id), f"指标 {indicator_id} ")


@router.patch("/indicators/{indicator_id}", summary="Correct one indicator field (a revision, caller as reviewer)")
def patch_indicator(request: Request, response: Response, who: Writer, indicator_id: int, change: FieldChange,
                    if_match: Annotated[str | None, Header()] = None) -> dict:
    """A new target re-reads its operator and number, as a correction in the app does."""
    services = services_of(request)
    record = _checked(records.indicator(services, indicator_id), f"指标 {indicator_id} ", if_match)
    records.correct_indicator_field(services, indicator_id, change.field, change.value, who.name, change.reason,
                                    base=record["fields"])
    after = _tagged(response, records.indicator(services, indicator_id) or record, f"指标 {indicator_id} ")
    return {**after, "changed": after["fields"] != record["fields"]}
