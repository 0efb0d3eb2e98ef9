"""An uploaded file taken in safely: a printable base name, a type jixiao reads, within the size limit, not empty."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from api.problems import Problem
from extractor.readers.limits import Limits
from kernel.settings import Settings
from usecases.batch import SUPPORTED

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")  # controls, bidi overrides
MAX_NAME = 200
# The OpenAPI description of the multipart body, which the routes read themselves (after the token was checked).
FILE_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


def safe_name(raw: str | None) -> str:
    """The file name a client sent, as stored: no folders, no control or bidi characters, at most 200 characters."""
    name = _UNSAFE.sub("", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = stem[: MAX_NAME - len(suffix) - 1] + dot + suffix if dot and len(suffix) <= 10 else name[:MAX_NAME]
    return name or "upload"


def suffix_of(name: str) -> str:
    """The lower-case extension with its dot ('' when none)."""
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


async def read_upload(request: Request, settings: Settings) -> tuple[str, bytes]:
    """(safe name, bytes) of the multipart field `file`; a problem when it cannot be taken.

    Called inside the route, so the body is parsed only for a caller whose token passed; a form of many parts or
    fields is refused by the parser's own caps.
    """
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Problem("bad-request", "请求须为 multipart/form-data，文件放在字段 file 中")
    try:
        form = await request.form(max_files=1, max_fields=10)
    except (HTTPException, MultiPartException) as exc:  # a malformed body (bad boundary, too many parts)
        raise Problem("bad-request", f"multipart 请求无法解析：{str(getattr(exc, 'detail', exc))[:200]}") from exc
    file = form.get("file")
    if not isinstance(file, StarletteUpload):
        raise Problem("bad-request", "缺少 multipart 字段 file（须为文件）")
    return await _take(file, settings)


async def _take(file: UploadFile | StarletteUpload, settings: Settings) -> tuple[str, bytes]:
    name = safe_name(file.filename)
    if suffix_of(name) not in SUPPORTED:
        raise Problem("unsupported-type", f"不支持的文件类型：{suffix_of(name) or '（无扩展名）'}；"
                      f"支持：{'、'.join(sorted(SUPPORTED))}")
    limits = Limits.from_settings(settings, name)
    if file.size is not None:
        limits.check_file_size(file.size)  # FileTooLargeError -> 413, before the bytes are copied out
    data = await file.read()
    limits.check_file_size(len(data))
    if not data:
        raise Problem("unprocessable-file", f"{name}：文件为空")
    return name, data
