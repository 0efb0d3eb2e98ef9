"""The 审核意见表: findings as rows per department, printed as a text table, JSON or an XLSX workbook."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from audit.model import SEVERITY_ORDER, AuditReport, Finding

COLUMNS = ("序号", "项目", "审核要点", "规则编号", "严重程度", "审核意见", "涉及指标", "修改建议", "来源文件")
NO_DEPARTMENT = "（未识别部门）"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an XLSX cell cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Department:
    """One department's 审核意见表: its documents and findings in printed order."""

    name: str
    fiscal_years: list[int]
    sources: list[str]
    projects: int
    findings: list[Finding]

    def counts(self) -> dict[str, int]:
        """Findings by severity."""
        out = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            out[f.severity] += 1
        return out


def by_department(reports: list[AuditReport]) -> list[Department]:
    """Reports grouped by department, in the order the departments first appear."""
    groups: dict[str, list[AuditReport]] = defaultdict(list)
    for r in reports:
        groups[r.department or NO_DEPARTMENT].append(r)
    return [Department(name=name, fiscal_years=sorted({r.fiscal_year for r in rs if r.fiscal_year}),
                       sources=[r.source for r in rs], projects=sum(r.projects for r in rs),
                       findings=[f for r in rs for f in r.findings])
            for name, rs in groups.items()]


def cited(f: Finding) -> str:
    """The cited indicators as one cell."""
    return "；".join(f.indicator_names)


def rows(findings: list[Finding]) -> list[list[str]]:
    """The sheet's body rows, every value a string."""
    return [[str(n), f.project, f.title, f.rule, f.severity, f.explanation, cited(f), f.suggestion, f.source or ""]
            for n, f in enumerate(findings, 1)]


def to_table(reports: list[AuditReport]) -> str:
    """Plain text for a terminal: per document, per project, one line per finding."""
    out: list[str] = []
    for r in reports:
        c = r.counts()
        out.append(f"== {r.source} · {r.department or NO_DEPARTMENT} · {r.fiscal_year or '—'} · "
                   f"{r.projects} 个项目 · 错误 {c['错误']} · 警告 {c['警告']} · 提示 {c['提示']}")
        if not r.projects:
            out.append("  未找到绩效目标表")
        elif not r.findings:
            out.append("  未发现问题")
        last = None
        for f in r.findings:
            if f.project_index != last:
                out.append(f"  [{f.project_index + 1}] {f.project}")
                last = f.project_index
            out.append(f"    {f.severity} {f.rule} {f.title}：{f.explanation}")
            out.append(f"      建议：{f.suggestion}")
    return "\n".join(out)


def to_json(reports: list[AuditReport]) -> str:
    """{"reports": [AuditReport, …]} as indented JSON."""
    return json.dumps({"reports": [r.model_dump() for r in reports]}, ensure_ascii=False, indent=2)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:28] or "部门"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]}_{n}", n + 1
    taken.add(title)
    return title


def _put(ws: Any, row: int, col: int, value: str | int, bold: bool = False) -> None:
    """Write a cell: a count or year as a number (it sums and sorts), text as text that stays text.

    "=SUM(A1)" or "+86…" must never become a formula.
    """
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, int):
        cell.value = value
    else:
        cell.value = _ILLEGAL.sub("", value)
        cell.data_type = "s"  # set after the value: openpyxl infers "f" for text starting with "="
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)


def to_xlsx(reports: list[AuditReport], rules_version: str) -> bytes:
    """The 审核意见表 workbook: a 汇总 sheet, then one sheet per department; text stays text, counts are numbers."""
    import openpyxl

    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    head = ("部门", "年度", "来源文件", "项目数", "错误", "警告", "提示", "规则版本")
    for c, h in enumerate(head, 1):
        _put(summary, 1, c, h, bold=True)
    taken = {"汇总"}
    for r, dept in enumerate(by_department(reports), 2):
        counts = dept.counts()
        # one year is a number; several stay one text cell (2023、2024)
        years = dept.fiscal_years
        values = (dept.name, years[0] if len(years) == 1 else "、".join(map(str, years)), "、".join(dept.sources),
                  dept.projects, counts["错误"], counts["警告"], counts["提示"], rules_version)
        for c, v in enumerate(values, 1):
            _put(summary, r, c, v)
        ws = wb.create_sheet(_sheet_title(dept.name, taken))
        _put(ws, 1, 1, f"{dept.name} 绩效目标审核意见表", bold=True)
        _put(ws, 2, 1, f"年度：{'、'.join(map(str, dept.fiscal_years)) or '—'}；项目 {dept.projects} 个；"
                       f"错误 {counts['错误']}、警告 {counts['警告']}、提示 {counts['提示']}；规则版本 {rules_version}")
        for c, h in enumerate(COLUMNS, 1):
            _put(ws, 4, c, h, bold=True)
        for n, row in enumerate(rows(dept.findings), 5):
            for c, v in enumerate(row, 1):
                _put(ws, n, c, v)
        for letter, width in zip("ABCDEFGHI", (6, 28, 18, 24, 8, 60, 30, 50, 16), strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A5"
    for letter, width in zip("ABCDEFGH", (30, 10, 24, 8, 8, 8, 8, 10), strict=True):
        summary.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
