"""What `jixiao eval --layouts` runs: option checks, a throw-away work folder, the report and its Markdown."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import typer

from eval.layouts.report import render_markdown
from eval.layouts.run import PoolChoice, run_layout_eval
from eval.layouts.spec import FORMATS
from kernel.settings import Settings

log = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parent.parent / "gold"
POOL_CHOICES: tuple[PoolChoice, ...] = ("tune", "heldout", "both")


def layout_report(formats: str, pool: str, report_dir: Path, settings: Settings, backend: str
                  ) -> tuple[Path, dict[str, Any], str]:
    """Run the layout eval; returns (report folder, report, Markdown). The generated files are deleted afterwards."""
    choice = next((c for c in POOL_CHOICES if c == pool), None)
    if choice is None:
        raise typer.BadParameter(f"--pool 只能是 {'、'.join(POOL_CHOICES)}")
    fmts = [f.strip() for f in formats.split(",") if f.strip() in FORMATS]
    if not fmts:
        raise typer.BadParameter(f"--layouts 支持的格式：{','.join(FORMATS)}")
    out_dir = Path("eval") / "layouts" if report_dir == Path("eval") else report_dir  # the eval command's default
    with tempfile.TemporaryDirectory(prefix="jixiao-layouts-") as tmp:
        report = run_layout_eval(GOLD_DIR, Path(tmp), choice, fmts, settings, backend)
    log.info("layout eval: %s files in %.1f s", report["variants"], report["seconds"])
    return out_dir, report, render_markdown(report)
