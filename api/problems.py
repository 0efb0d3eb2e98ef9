"""Errors as RFC 9457 problem details (application/problem+json), titled in Chinese and English; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kernel import errors

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://jixiao.invalid/problems/"  # stable identifiers, not fetched: no public host is implied

# slug -> (status, Chinese title, English title)
KINDS: dict[str, tuple[int, str, str]] = {
    "bad-request": (400, "请求无效", "Bad request"),
    "unauthorized": (401, "未授权", "Unauthorized"),
    "forbidden": (403, "权限不足", "Forbidden"),
    "not-found": (404, "未找到", "Not found"),
    "method-not-allowed": (405, "不支持的请求方法", "Method not allowed"),
    "conflict": (409, "状态冲突", "Conflict"),
    "precondition-failed": (412, "记录已被他人修改", "Precondition failed"),
    "too-large": (413, "请求或文件过大", "Payload too large"),
    "unsupported-type": (415, "不支持的文件类型", "Unsupported media type"),
    "unprocessable-file": (422, "文件无法读取", "Unprocessable file"),
    "invalid-input": (422, "输入无效", "Invalid input"),
    "precondition-required": (428, "需要 If-Match", "Precondition required"),
    "rate-limited": (429, "请求过于频繁", "Too many requests"),
    "busy": (503, "服务繁忙", "Service busy"),
    "internal": (500, "内部错误", "Internal error"),
}
# The exception tree's meaning for a caller; the most specific class wins (checked in this order).
_ERRORS: list[tuple[type[Exception], str]] = [
    (errors.ConflictError, "precondition-failed"),
    (errors.FileTooLargeError, "too-large"),
    (errors.UnsupportedFileError, "unsupported-type"),
    (errors.EmptyFileError, "unprocessable-file"),
    (errors.CorruptFileError, "unprocessable-file"),
    (errors.EncryptedFileError, "unprocessable-file"),
    (errors.NoTextLayerError, "unprocessable-file"),
    (errors.NothingFoundError, "unprocessable-file"),
    (errors.NothingRecognisedError, "unprocessable-file"),
    (errors.JixiaoError, "invalid-input"),
]


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, kind: str, detail: str = "", headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or kind)
        self.kind, self.detail, self.headers, self.extra = kind, detail, headers or {}, extra


def body(kind: str, detail: str = "", instance: str | None = None, **extra: Any) -> dict[str, Any]:
    """The problem document of a kind (unknown kinds are internal errors)."""
    status, zh, en = KINDS.get(kind, KINDS["internal"])
    doc: dict[str, Any] = {"type": TYPE_BASE + kind, "title": f"{zh} / {en}", "status": status,
                           "title_zh": zh, "title_en": en}
    if detail:
        doc["detail"] = detail
    if instance:
        doc["instance"] = instance
    return {**doc, **extra}


def response(kind: str, detail: str = "", instance: str | None = None, headers: dict[str, str] | None = None,
             **extra: Any) -> JSONResponse:
    """A problem as a response."""
    doc = body(kind, detail, instance, **extra)
    return JSONResponse(doc, status_code=doc["status"], media_type=MEDIA_TYPE, headers=headers)


def kind_of(exc: Exception) -> str:
    """The problem kind of a jixiao error."""
    return next(kind for cls, kind in _ERRORS if isinstance(exc, cls))


def _http_kind(status: int) -> str:
    return next((k for k, (s, _, _) in KINDS.items() if s == status), "bad-request" if status < 500 else "internal")


def install(app: FastAPI) -> None:
    """Every error the app can raise answered as a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return response(exc.kind, exc.detail, request.url.path, exc.headers, **exc.extra)

    @app.exception_handler(errors.JixiaoError)
    async def _jixiao(request: Request, exc: errors.JixiaoError) -> JSONResponse:
        return response(kind_of(exc), str(exc), request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # the location and message only: pydantic's `input` would echo a hostile or huge value back
        found = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        first = found[0] if found else {"loc": [], "msg": ""}
        return response("invalid-input", f"{'.'.join(first['loc'])}: {first['msg']}", request.url.path,
                        errors=found[:20])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in ("Not Found",) else ""
        return response(_http_kind(exc.status_code), detail, request.url.path, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)  # the server log keeps the traceback, not the caller
        return response("internal", f"服务器内部错误（{type(exc).__name__}）", request.url.path)
