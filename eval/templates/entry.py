"""What `jixiao eval --templates` runs: option checks, a throw-away work folder, the report and its Markdown."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import typer

from eval.layouts.spec import FORMATS
from eval.templates.report import render_markdown
from eval.templates.run import SplitChoice, run_template_eval
from kernel.settings import Settings

log = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parent.parent / "gold"
SPLIT_CHOICES: tuple[SplitChoice, ...] = ("tune", "heldout", "both")


def template_report(formats: str, split: str, report_dir: Path, settings: Settings, backend: str
                    ) -> tuple[Path, dict[str, Any], str]:
    """Run the template eval; returns (report folder, report, Markdown). The generated files are deleted afterwards."""
    choice = next((c for c in SPLIT_CHOICES if c == split), None)
    if choice is None:
        raise typer.BadParameter(f"--split 只能是 {'、'.join(SPLIT_CHOICES)}")
    fmts = [f.strip() for f in formats.split(",") if f.strip() in FORMATS]
    if not fmts:
        raise typer.BadParameter(f"--templates 支持的格式：{','.join(FORMATS)}")
    out_dir = Path("eval") / "templates" if report_dir == Path("eval") else report_dir  # the eval command's default
    with tempfile.TemporaryDirectory(prefix="jixiao-templates-") as tmp:
        report = run_template_eval(GOLD_DIR, Path(tmp), choice, fmts, settings, backend)
    log.info("template eval: %s files in %.1f s", report["variants"], report["seconds"])
    return out_dir, report, render_markdown(report)
