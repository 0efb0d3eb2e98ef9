"""The break-it report as Markdown and its floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KIND_NAMES = {
    "row_dropped": "一行指标漏读", "boundary_moved": "项目边界移动一行", "budget_zeroed": "预算写成 0",
    "budget_wrong_row": "预算取自别的行", "label_as_name": "标签/指标值当项目名", "forms_merged": "两张表合成一个项目",
    "label_as_indicator_name": "标签当指标名", "goal_as_period": "目标读成实施期",
    "unit_lost": "金额单位丢失",
}


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def render_markdown(report: dict[str, Any], title: str = "# Break-it eval of the verifier") -> str:
    """Caught per damage kind, and the correct readings the verifier objected to."""
    n = len(report["files"])
    lines = [title, "",
             f"**Caught {report['caught']} of {report['made']} damaged readings ({_pct(report['rate'])}); "
             f"silent on {report['silent']} of {n} correct readings.** ({report['seconds']} s)", "",
             "| damage | made | caught | rate |", "|---|---|---|---|"]
    for kind, v in report["kinds"].items():
        lines.append(f"| {kind} ({KIND_NAMES.get(kind, kind)}) | {v['made']} | {v['caught']} | {_pct(v['rate'])} |")
    loud = [f for f in report["files"] if f["contradictions"]]
    if loud:
        lines += ["", "Correct readings the verifier objected to:", "", "| case | contradictions | first |",
                  "|---|---|---|"]
        lines += [f"| {f['case']} | {f['contradictions']} | {f['messages'][0][:80]} |" for f in loud]
    if report["missed"]:
        lines += ["", f"Damaged readings not caught (first 20 of {len(report['missed'])}):", ""]
        lines += [f"- {m['case']} · {m['kind']} · seed {m['seed']}" for m in report["missed"][:20]]
    return "\n".join(lines) + "\n"


def check_breakit_floors(report: dict[str, Any], floors_path: Path, scope: str) -> list[str]:
    """The caught share below its floor, or correct readings with objections where none are allowed."""
    floors = json.loads(floors_path.read_text(encoding="utf-8")).get("breakit", {}).get(scope, {})
    failures = []
    if "caught" in floors and (report["rate"] or 0) + 1e-9 < floors["caught"]:
        failures.append(f"breakit/{scope}: caught {report['rate']:.3f} < floor {floors['caught']:.3f}")
    loud = len(report["files"]) - report["silent"]
    if "max_objected_correct" in floors and loud > floors["max_objected_correct"]:
        failures.append(f"breakit/{scope}: {loud} correct readings drew objections "
                        f"(at most {floors['max_objected_correct']})")
    return failures
