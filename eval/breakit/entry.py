"""What `jixiao eval --breakit` runs: the sample's gold and the template renders, damaged and checked."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from eval.breakit.report import render_markdown
from eval.breakit.run import layout_cases, run_breakit, sample_cases, template_cases
from eval.layouts.spec import FORMATS
from kernel.settings import Settings

GOLD_DIR = Path(__file__).resolve().parent.parent / "gold"


def breakit_report(pairs: list[tuple[str, str, Path, Path]], formats: str,
                   settings: Settings) -> tuple[dict[str, Any], str]:
    """Both scopes (sample files given as eval pairs, template renders in the given formats) and their Markdown."""
    fmts = [f.strip() for f in formats.split(",") if f.strip() in FORMATS] or list(FORMATS)
    report: dict[str, Any] = {"sample": run_breakit(sample_cases(pairs), settings)}
    with tempfile.TemporaryDirectory(prefix="jixiao-breakit-") as tmp:
        report["templates"] = run_breakit(template_cases(GOLD_DIR, Path(tmp), fmts), settings)
        report["layouts"] = run_breakit(layout_cases(GOLD_DIR, Path(tmp), fmts), settings)
    report["template_formats"] = fmts
    text = (render_markdown(report["sample"], "# Break-it eval of the verifier\n\n## Sample files (gold readings)")
            + "\n" + render_markdown(report["templates"], f"## Template renders ({', '.join(fmts)})")
            + "\n" + render_markdown(report["layouts"], f"## Layout families, held-out names ({', '.join(fmts)})"))
    return report, text
