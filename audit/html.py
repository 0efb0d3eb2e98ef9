"""The 审核意见表 as a printable HTML page: one section per department, every value escaped."""

from __future__ import annotations

from jinja2 import Environment

from audit.model import AuditReport
from audit.report import by_department

_TEMPLATE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>绩效目标审核意见表</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif;
         margin: 2em; color: #111; }
  h1 { font-size: 1.5em; text-align: center; margin-bottom: .2em; }
  .meta { text-align: center; color: #444; margin-bottom: 1.5em; }
  table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
  th, td { border: 1px solid #555; padding: 4px 6px; vertical-align: top; text-align: left; }
  th { background: #eee; }
  td.n, td.sev { white-space: nowrap; text-align: center; }
  .sev-错误 { color: #b00020; font-weight: bold; }
  .sev-警告 { color: #8a5a00; }
  .sev-提示 { color: #245; }
  .none { color: #245; }
  section + section { margin-top: 2.5em; }
  .sign { margin-top: 2em; display: flex; justify-content: space-between; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; }
    section { page-break-after: always; }
    section:last-child { page-break-after: auto; }
    thead { display: table-header-group; }
    tr { page-break-inside: avoid; }
  }
</style>
</head>
<body>
{% for d in departments %}
<section>
  <h1>{{ d.name }} 绩效目标审核意见表</h1>
  <div class="meta">年度：{{ d.fiscal_years | join("、") or "—" }} ｜ 项目 {{ d.projects }} 个 ｜
    错误 {{ d.counts()["错误"] }} · 警告 {{ d.counts()["警告"] }} · 提示 {{ d.counts()["提示"] }} ｜
    来源文件：{{ d.sources | join("、") }} ｜ 规则版本 {{ version }}</div>
  {% if d.findings %}
  <table>
    <thead><tr><th>序号</th><th>项目</th><th>审核要点</th><th>严重程度</th><th>审核意见</th><th>涉及指标</th>
      <th>修改建议</th></tr></thead>
    <tbody>
    {% for f in d.findings %}
      <tr><td class="n">{{ loop.index }}</td><td>{{ f.project }}</td>
        <td>{{ f.title }}<br><small>{{ f.rule }}</small></td>
        <td class="sev sev-{{ f.severity }}">{{ f.severity }}</td><td>{{ f.explanation }}</td>
        <td>{{ f.indicator_names | join("；") }}</td><td>{{ f.suggestion }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}
  <p class="none">未发现需要修改的问题。</p>
  {% endif %}
  <div class="sign"><span>审核人：</span><span>审核日期：</span></div>
</section>
{% endfor %}
</body>
</html>
"""
_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def to_html(reports: list[AuditReport], rules_version: str) -> str:
    """A self-contained, printable page (A4 landscape, one department per page)."""
    return _ENV.from_string(_TEMPLATE).render(departments=by_department(reports), version=rules_version)
