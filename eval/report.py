"""Render an eval report as Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.breakit.report import render_markdown as render_breakit
from eval.photos.report import section as photos_section
from eval.scorer import INDICATOR_FIELDS, PROJECT_FIELDS

_PHOTOS = Path(__file__).resolve().parent / "photos" / "report.json"  # written by python -m eval.photos


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def render_markdown(report: dict[str, Any]) -> str:
    """Tables per file, per format and per field, headline field-level F1 first."""
    o = report["overall"]
    lines = [
        f"# Extraction eval — backend `{report['backend']}`",
        "",
        f"**Field-level F1: {_pct(o['field_f1'])}** (precision {_pct(o['field_precision'])}, "
        f"recall {_pct(o['field_recall'])}) over {o['counts']['gold_indicators']} gold indicators.",
        "",
        "## By format",
        "",
        "| format | field F1 | field P | field R | projects P/R | indicators P/R |",
        "|---|---|---|---|---|---|",
    ]
    for fmt, s in report["by_format"].items():
        lines.append(f"| {fmt} | {_pct(s['field_f1'])} | {_pct(s['field_precision'])} | {_pct(s['field_recall'])} | "
                     f"{_pct(s['project_precision'])}/{_pct(s['project_recall'])} | "
                     f"{_pct(s['indicator_precision'])}/{_pct(s['indicator_recall'])} |")
    lines += ["", "## By document", "", "| doc | field F1 | projects P/R | indicators P/R |", "|---|---|---|---|"]
    for doc, s in report["by_doc"].items():
        lines.append(f"| {doc} | {_pct(s['field_f1'])} | {_pct(s['project_precision'])}/{_pct(s['project_recall'])} | "
                     f"{_pct(s['indicator_precision'])}/{_pct(s['indicator_recall'])} |")
    fields = [*INDICATOR_FIELDS, *PROJECT_FIELDS]
    lines += ["", "## Per-field accuracy (matched and equal / gold filled)", "",
              "| format | " + " | ".join(fields) + " |", "|---" * (len(fields) + 1) + "|"]
    for fmt, s in [*report["by_format"].items(), ("all", o)]:
        acc = s["field_accuracy"]
        lines.append(f"| {fmt} | " + " | ".join(_pct(acc.get(f)) for f in fields) + " |")
    lines += ["", "## By origin (field precision)", "", "| origin | precision |", "|---|---|"]
    for origin, p in o["origin_precision"].items():
        lines.append(f"| {origin} | {_pct(p)} |")
    lines += ["", "## Files", "",
              "| file | format | status | field F1 | needs review | s/page | unmapped rows | tokens |",
              "|---|---|---|---|---|---|---|---|"]
    for r in report["files"]:
        tok = r["tokens"]["prompt"] + r["tokens"]["completion"]
        flag = "yes" if r.get("needs_review") else "no"
        lines.append(f"| {r['file']} | {r['format']} | {r['status']} | {_pct(r['field_f1'])} | {flag} | "
                     f"{r['seconds_per_page']:.3f} | {r['unmapped_rows']} | {tok} |")
    low = [r for r in report["files"] if r["field_f1"] is not None and r["field_f1"] < 0.9]
    lines += ["", f"Readings below 0.90 field F1: {len(low)}, of them flagged needs_review: "
                  f"{sum(1 for r in low if r.get('needs_review'))}."]
    if "breakit" in report:
        title = "## Break-it: the verifier on these files' gold readings"
        lines += ["", render_breakit(report["breakit"], title).rstrip(),
                  "", "Template renders: `jixiao eval --breakit` (eval/breakit/report.md)."]
    if "scanned" in report.get("formats", []) and _PHOTOS.exists():
        lines += ["", photos_section(json.loads(_PHOTOS.read_text(encoding="utf-8"))).rstrip()]
    return "\n".join(lines) + "\n"
