"""Markdown for the template eval report (figures only; concrete misses are listed for the tune split alone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.layouts.diagnose import PROBLEMS_PER_FILE

SPLIT_TITLE = {"tune": "Tune templates", "heldout": "Held-out templates (no rule written against them)"}
FIGURES = (("field F1", "field_f1"), ("project recall", "project_recall"), ("budget acc.", "budget_accuracy"),
           ("indicator recall", "indicator_recall"))


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def _split_section(name: str, split: dict[str, Any], formats: list[str]) -> list[str]:
    lines = [f"## {SPLIT_TITLE.get(name, name)}", "", f"Field F1 (all formats): **{_f(split['overall']['field_f1'])}**",
             "", "| template | format | " + " | ".join(t for t, _ in FIGURES) + " |",
             "|---|---|" + "---|" * len(FIGURES)]
    for template, per in split["by_template"].items():
        for f in formats:
            lines.append(f"| {template} | {f} | " + " | ".join(_f(per[f][k]) for _, k in FIGURES) + " |")
    for f in formats:
        lines.append(f"| **all** | {f} | " + " | ".join(_f(split["by_format"][f][k]) for _, k in FIGURES) + " |")
    if name != "tune":
        return [*lines, "", "Per-file misses are not listed for held-out templates.", ""]
    if split.get("problem_counts"):
        lines += ["", f"Most frequent misses (at most {PROBLEMS_PER_FILE} per file):", "", "| miss | count |",
                  "|---|---|"]
        lines += [f"| {k} | {n} |" for k, n in list(split["problem_counts"].items())[:12]]
    worst = sorted(split["files"], key=lambda r: r["field_f1"])[:8]
    lines += ["", "Worst files:", "", "| doc | template | format | field F1 | projects gold/pred/matched | "
              "indicators gold/pred/matched |", "|---|---|---|---|---|---|"]
    for r in worst:
        c = r["counts"]
        lines.append(f"| {r['doc']} | {r['template']} | {r['format']} | {_f(r['field_f1'])} | "
                     f"{c['gold_projects']}/{c['pred_projects']}/{c['matched_projects']} | "
                     f"{c['gold_indicators']}/{c['pred_indicators']}/{c['matched_indicators']} |")
    return [*lines, ""]


def render_markdown(report: dict[str, Any]) -> str:
    """The template eval report as Markdown."""
    formats = report["formats"]
    split = report["split"]
    lines = ["# Published-template eval (jixiao eval --templates)", "",
             f"backend {report['backend']} · formats {', '.join(formats)} · seed {report['seed']} · "
             f"gold {', '.join(report['docs'])} · {report['variants']} files · {report['seconds']} s", "",
             "Each gold document is printed in the layout of a published blank template (eval/templates/SOURCES.md), "
             "rendered per format, extracted with extract() and scored against what a correct reader returns from "
             "that print.", "",
             f"Split (eval/templates/split.json): tune {', '.join(split['tune'])}; "
             f"held out {', '.join(split['heldout'])}.", ""]
    for name, per in report["splits"].items():
        lines += _split_section(name, per, formats)
    files = [r for per in report["splits"].values() for r in per.get("files", [])]
    low = [r for r in files if r.get("field_f1") is not None and r["field_f1"] < 0.9]
    flagged = sum(1 for r in low if r.get("needs_review"))
    lines += ["## Does the extractor know when it failed?", "",
              f"Readings below 0.90 field F1: {len(low)}, of them flagged needs_review: {flagged}. "
              f"Readings at or above 0.90 flagged: {sum(1 for r in files if r.get('needs_review')) - flagged} "
              f"of {len(files) - len(low)}.", ""]
    return "\n".join(lines)


def check_template_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Field F1 per split and format below the "templates" floors of eval/floors.json, as messages."""
    floors = json.loads(floors_path.read_text(encoding="utf-8")).get("templates", {}).get(report["backend"], {})
    failures = []
    for split, per_split in floors.items():
        got_split = report["splits"].get(split)
        if got_split is None or not isinstance(per_split, dict):
            continue  # that split was not evaluated in this run
        for fmt, floor in per_split.get("field_f1", {}).items():
            got = got_split["by_format"].get(fmt, {}).get("field_f1")
            if got is not None and got + 1e-9 < floor:
                failures.append(f"templates/{split}/{fmt}: field F1 {got:.4f} < floor {floor:.4f}")
    return failures
