"""Markdown for the layout eval report (numbers only; concrete misses are listed for the tune pool alone)."""

from __future__ import annotations

from typing import Any

from eval.layouts.diagnose import PROBLEMS_PER_FILE

POOL_TITLE = {"tune": "Tune header pool", "heldout": "Held-out header pool (no rule written against it)"}


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def _pool_section(name: str, pool: dict[str, Any], formats: list[str]) -> list[str]:
    overall = _f(pool["overall"]["field_f1"])
    lines = [f"## {POOL_TITLE.get(name, name)}", "", f"Field F1 (all formats): **{overall}**", "",
             "Field F1, variant family × format:", "", "| family | " + " | ".join(formats) + " |",
             "|---|" + "---|" * len(formats)]
    for family, per in pool["by_family"].items():
        lines.append(f"| {family} | " + " | ".join(_f(per[f]["field_f1"]) for f in formats) + " |")
    lines.append("| **all** | " + " | ".join(f"**{_f(pool['by_format'][f]['field_f1'])}**" for f in formats) + " |")
    lines += ["", "| format | field P | field R | project recall | indicator recall | budget acc. | target acc. |",
              "|---|---|---|---|---|---|---|"]
    for f in formats:
        s = pool["by_format"][f]
        acc = s.get("field_accuracy", {})
        lines.append(f"| {f} | {_f(s['field_precision'])} | {_f(s['field_recall'])} | {_f(s['project_recall'])} | "
                     f"{_f(s['indicator_recall'])} | {_f(acc.get('budget_total'))} | {_f(acc.get('target'))} |")
    if pool.get("problem_counts"):
        lines += ["", f"Most frequent misses (at most {PROBLEMS_PER_FILE} per file):", "", "| miss | count |",
                  "|---|---|"]
        lines += [f"| {k} | {n} |" for k, n in list(pool["problem_counts"].items())[:12]]
    worst = sorted(pool["files"], key=lambda r: r["field_f1"])[:8]
    lines += ["", "Worst files:", "",
              "| doc | family | seed | format | field F1 | projects gold/pred/matched | indicators gold/pred/matched |",
              "|---|---|---|---|---|---|---|"]
    for r in worst:
        c = r["counts"]
        lines.append(f"| {r['doc']} | {r['family']} | {r['seed']} | {r['format']} | {_f(r['field_f1'])} | "
                     f"{c['gold_projects']}/{c['pred_projects']}/{c['matched_projects']} | "
                     f"{c['gold_indicators']}/{c['pred_indicators']}/{c['matched_indicators']} |")
    return [*lines, ""]


def render_markdown(report: dict[str, Any]) -> str:
    """The layout eval report as Markdown."""
    formats = report["formats"]
    lines = ["# Layout generalisation eval (jixiao eval --layouts)", "",
             f"backend {report['backend']} · formats {', '.join(formats)} · "
             f"seeds {', '.join(map(str, report['seeds']))} · "
             f"gold {', '.join(report['docs'])} · {report['variants']} files · {report['seconds']} s", "",
             "Each gold document is rendered per variant family (form, wide, flat, sheet_per_project, "
             "overall_plus_projects) and seed, header names drawn from the pool, then extracted with extract() "
             "and scored against the expected gold of that variant.", ""]
    for name, pool in report["pools"].items():
        lines += _pool_section(name, pool, formats)
    return "\n".join(lines)
