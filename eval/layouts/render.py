"""Render a layout spec to file bytes in one format, reproducibly (same spec → same bytes)."""

from __future__ import annotations

from eval.layouts.spec import Format, LayoutSpec
from eval.layouts.stable import stable_zip

SUFFIX = {"xlsx": ".xlsx", "docx": ".docx", "pdf": ".pdf"}


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
