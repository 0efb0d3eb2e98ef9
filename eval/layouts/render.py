"""Render a layout spec to file bytes in one format, reproducibly (same spec → same bytes)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from eval.layouts.spec import Format, LayoutSpec

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)
SUFFIX = {"xlsx": ".xlsx", "docx": ".docx", "pdf": ".pdf"}


def stable_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member timestamps so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into dcterms:modified whatever the workbook says: pin it
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2024-01-01T00:00:00Z\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def render(spec: LayoutSpec, fmt: Format) -> bytes:
    """The file bytes of a spec in xlsx, docx or pdf."""
    if fmt == "xlsx":
        from eval.layouts.render_xlsx import render_xlsx

        return stable_zip(render_xlsx(spec))
    if fmt == "docx":
        from eval.layouts.render_docx import render_docx

        return stable_zip(render_docx(spec))
    if fmt == "pdf":
        from eval.layouts.render_pdf import render_pdf

        return render_pdf(spec)
    raise ValueError(f"unknown format {fmt!r}")
