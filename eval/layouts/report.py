"""Markdown for the layout eval report (numbers only; concrete misses are listed for the tune pool alone)."""

from __future__ import annotations

from typing import Any

from eval.layouts.diagnose import PROBLEMS_PER_FILE

POOL_TITLE = {"tune": "调优表头池 tune", "heldout": "留出表头池 heldout"}


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def _pool_section(name: str, pool: dict[str, Any], formats: list[str]) -> list[str]:
    lines = [f"## {POOL_TITLE.get(name, name)}", "", f"字段 F1（全部格式）：**{_f(pool['overall']['field_f1'])}**", "",
             "字段 F1，版式族 × 格式：", "", "| 版式族 | " + " | ".join(formats) + " |",
             "|---|" + "---|" * len(formats)]
    for family, per in pool["by_family"].items():
        lines.append(f"| {family} | " + " | ".join(_f(per[f]["field_f1"]) for f in formats) + " |")
    lines.append("| **全部** | " + " | ".join(f"**{_f(pool['by_format'][f]['field_f1'])}**" for f in formats) + " |")
    lines += ["", "| 格式 | 字段 P | 字段 R | 项目召回 | 指标召回 | 预算准确率 | 目标值准确率 |",
              "|---|---|---|---|---|---|---|"]
    for f in formats:
        s = pool["by_format"][f]
        acc = s.get("field_accuracy", {})
        lines.append(f"| {f} | {_f(s['field_precision'])} | {_f(s['field_recall'])} | {_f(s['project_recall'])} | "
                     f"{_f(s['indicator_recall'])} | {_f(acc.get('budget_total'))} | {_f(acc.get('target'))} |")
    if pool.get("problem_counts"):
        lines += ["", f"常见问题（每个文件最多计 {PROBLEMS_PER_FILE} 条）：", "", "| 问题 | 次数 |", "|---|---|"]
        lines += [f"| {k} | {n} |" for k, n in list(pool["problem_counts"].items())[:12]]
    worst = sorted(pool["files"], key=lambda r: r["field_f1"])[:8]
    lines += ["", "最差的文件：", "",
              "| 文档 | 版式族 | 种子 | 格式 | 字段 F1 | 项目 金标/预测/匹配 | 指标 金标/预测/匹配 |",
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
    lines = ["# 版式泛化评测（jixiao eval --layouts）", "",
             f"后端 {report['backend']} · 格式 {', '.join(formats)} · 种子 {', '.join(map(str, report['seeds']))} · "
             f"金标 {', '.join(report['docs'])} · {report['variants']} 个文件 · 耗时 {report['seconds']} 秒", "",
             "每个金标文档按版式族（form、wide、flat、sheet_per_project、overall_plus_projects）和种子生成变体，"
             "表头名称取自所选表头池，再以 extract_file 提取并与该变体的预期金标评分。", ""]
    for name, pool in report["pools"].items():
        lines += _pool_section(name, pool, formats)
    return "\n".join(lines)
