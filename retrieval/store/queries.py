"""Read-side queries for the app and the question module (plain dicts, no ORM objects leak out)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from extractor.quality import REVIEW_BELOW_CONFIDENCE
from extractor.schema import INDICATOR_FIELDS
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow


def documents(store: Store, include_superseded: bool = False) -> list[dict[str, Any]]:
    """Stored documents, newest first, with counts."""
    with store.session() as s:
        q = select(DocumentRow).order_by(DocumentRow.id.desc())
        if not include_superseded:
            q = q.where(DocumentRow.superseded_by.is_(None))
        out = []
        for d in s.scalars(q):
            n_ind = sum(len(p.indicators) for p in d.projects)
            low = sum(1 for p in d.projects for i in p.indicators
                      if i.confidence < REVIEW_BELOW_CONFIDENCE and i.origin != "human")
            out.append({"id": d.id, "source": d.source, "department": d.department, "fiscal_year": d.fiscal_year,
                        "status": d.status, "reviewed": d.reviewed, "projects": len(d.projects),
                        "indicators": n_ind, "low_confidence": low, "unmapped": len(d.unmapped or []),
                        "errors": [e.get("message") for e in d.errors or []], "sha256": d.sha256,
                        "created_at": d.created_at, "needs_review": bool((d.quality or {}).get("needs_review")),
                        "review_reasons": list((d.quality or {}).get("reasons") or [])})
        return out


def review_first(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents the extractor flagged as needing review first (not yet reviewed), then the rest in order."""
    return sorted(docs, key=lambda d: 0 if d["needs_review"] and not d["reviewed"] else 1)


def projects(store: Store, document_id: int) -> list[dict[str, Any]]:
    """Projects of one document in printed order."""
    with store.session() as s:
        rows = s.scalars(select(ProjectRow).where(ProjectRow.document_id == document_id)
                         .order_by(ProjectRow.position))
        return [{"id": p.id, "name": p.name, "kind": p.kind, "budget_total": p.budget_total, "goal": p.goal,
                 "unit": p.unit, "page": p.page, "indicators": len(p.indicators)} for p in rows]


INDICATOR_COLUMNS = ("id", *(f for f in INDICATOR_FIELDS if f != "description"), "reviewed", "prompt", "model")


def indicators(store: Store, project_id: int) -> list[dict[str, Any]]:
    """Indicators of one project in printed order."""
    with store.session() as s:
        rows = s.scalars(select(IndicatorRow).where(IndicatorRow.project_id == project_id)
                         .order_by(IndicatorRow.position))
        return [{c: getattr(i, c) for c in INDICATOR_COLUMNS} for i in rows]


def overview(store: Store) -> list[dict[str, Any]]:
    """One row per current project: department, year, budget, indicator mix."""
    with store.session() as s:
        q = (select(DocumentRow.department, DocumentRow.fiscal_year, DocumentRow.source, DocumentRow.quality,
                    ProjectRow.id, ProjectRow.name, ProjectRow.kind, ProjectRow.budget_total)
             .join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None)))
        rows = [dict(r._mapping) for r in s.execute(q)]
        counts = {pid: n for pid, n in s.execute(select(IndicatorRow.project_id, func.count())
                                                 .group_by(IndicatorRow.project_id))}
        for r in rows:
            r["indicators"] = counts.get(r["id"], 0)
            r["needs_review"] = bool((r.pop("quality") or {}).get("needs_review"))
        return rows


def indicator_mix(store: Store) -> list[dict[str, Any]]:
    """Counts of current indicators by level1/level2 and qualitative or not."""
    with store.session() as s:
        q = (select(IndicatorRow.level1, IndicatorRow.level2, IndicatorRow.qualitative, func.count())
             .join(ProjectRow, IndicatorRow.project_id == ProjectRow.id)
             .join(DocumentRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None))
             .group_by(IndicatorRow.level1, IndicatorRow.level2, IndicatorRow.qualitative))
        return [{"level1": a, "level2": b, "qualitative": q_, "count": n} for a, b, q_, n in s.execute(q)]


def locate(store: Store, source: str | None, project: str | None, indicator: str | None = None
           ) -> tuple[int, int | None, int | None] | None:
    """(document, project, indicator) ids of a cited record in the current documents, if it is still there."""
    with store.session() as s:
        q = (select(DocumentRow.id, ProjectRow.id).join(ProjectRow, ProjectRow.document_id == DocumentRow.id)
             .where(DocumentRow.superseded_by.is_(None), DocumentRow.source == source, ProjectRow.name == project))
        found = s.execute(q).first()
        if found is None:
            return None
        doc_id, project_id = found
        indicator_id = None
        if indicator:
            indicator_id = s.scalar(select(IndicatorRow.id).where(IndicatorRow.project_id == project_id,
                                                                  IndicatorRow.name == indicator))
        return doc_id, project_id, indicator_id


FRAMEWORK_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
KIND_LABELS = {"overall": "整体", "project": "项目"}
NO_YEAR = "未注明"
_PARTY = re.compile(r"^(?:中国共产党|中共)")
_PLACES = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:自治州|自治县|地区|省|市|州|盟|县|区|旗)")


def framework_level1(level1: str | None, level2: str | None = None) -> str:
    """A stored 一级指标 under the framework's name (产出 -> 产出指标; none printed -> the level2's parent)."""
    from extractor.layout.vocabulary import level1_parent

    text = (level1 or "").strip()
    for name in FRAMEWORK_LEVEL1:
        if text and name.removesuffix("指标") in text:
            return name
    if not text:
        return (level1_parent(level2) if level2 else None) or "未注明"
    return text


def year_label(year: int | None) -> str:
    """2023年度, or 未注明 when the document prints no year."""
    return f"{year}年度" if year else NO_YEAR


def kind_label(kind: str | None) -> str:
    """整体 (the department's overall form) or 项目."""
    return KIND_LABELS.get(kind or "", kind or "")


def short_department(name: str) -> str:
    """A department's short label: its most specific place and office (广州市白云区区委政法委员会 -> 白云区政法委)."""
    core = _PARTY.sub("", name)
    places = _PLACES.findall(core)
    if not places:
        return core[:10]
    return places[-1] + ("政法委" if "政法" in core else "")


def department_budgets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per department, biggest first: project budgets summed, the overall form's total, and the department budget
    (the overall form when printed, which already holds the projects; never both added)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        name = r.get("department") or "未识别部门"
        d = out.setdefault(name, {"department": name, "short": short_department(name), "projects": 0,
                                  "project_budget": 0.0, "overall_budget": None})
        amount = r.get("budget_total")
        if r.get("kind") == "overall":
            d["overall_budget"] = (d["overall_budget"] or 0.0) + (amount or 0.0)
        else:
            d["projects"] += 1
            d["project_budget"] += amount or 0.0
    for d in out.values():
        d["budget"] = d["overall_budget"] if d["overall_budget"] is not None else d["project_budget"]
    shorts = [d["short"] for d in out.values()]
    for d in out.values():
        if shorts.count(d["short"]) > 1:
            d["short"] = d["department"]
    return sorted(out.values(), key=lambda d: -d["budget"])


def level1_counts(mix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indicator counts per 一级指标 by the framework's names (产出/效益/满意度/成本指标 first), qualitative split."""
    counts: dict[str, dict[str, int]] = {}
    for m in mix:
        name = framework_level1(m.get("level1"), m.get("level2"))
        c = counts.setdefault(name, {"定量": 0, "定性": 0})
        c["定性" if m.get("qualitative") else "定量"] += int(m["count"])
    order = {n: i for i, n in enumerate(FRAMEWORK_LEVEL1)}
    return [{"level1": k, **v, "count": v["定量"] + v["定性"]}
            for k, v in sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]


HIT_COLUMNS = ("类型", "部门", "年度", "项目", "预算（万元）", "一级指标", "指标", "指标值", "文件", "页码", "相关度")


def hit_rows(store: Store, hits: list[Any]) -> list[dict[str, Any]]:
    """Search hits as table rows with what the index does not carry: 指标值, 一级指标 and the project's budget."""
    indicator_ids = [h.indicator_id for h in hits if h.indicator_id is not None]
    project_ids = [h.project_id for h in hits if h.project_id is not None]
    with store.session() as s:
        inds = {i.id: (i.target, i.level1, i.level2) for i in
                s.scalars(select(IndicatorRow).where(IndicatorRow.id.in_(indicator_ids)))} if indicator_ids else {}
        budgets = {pid: b for pid, b in s.execute(select(ProjectRow.id, ProjectRow.budget_total)
                                                  .where(ProjectRow.id.in_(project_ids)))} if project_ids else {}
    rows = []
    for h in hits:
        target, level1, level2 = inds.get(h.indicator_id, (None, None, None)) if h.kind == "indicator" else (
            None, None, None)
        rows.append({"类型": "指标" if h.kind == "indicator" else "项目", "部门": h.department or "",
                     "年度": year_label(h.fiscal_year), "项目": h.project or "",
                     "预算（万元）": budgets.get(h.project_id, h.budget_total),
                     "一级指标": framework_level1(level1, level2) if h.kind == "indicator" else "",
                     "指标": (h.indicator or "") if h.kind == "indicator" else "", "指标值": target or "",
                     "文件": h.source or "", "页码": h.page, "相关度": round(h.score, 3)})
    return rows


def rows_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = HIT_COLUMNS) -> str:
    """Rows as CSV for people (UTF-8 with BOM, Chinese headers); formula-like text neutralised as in exports."""
    import csv
    import io

    from extractor.export import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([csv_cell("" if r.get(c) is None else r.get(c)) for c in columns])
    return "\ufeff" + buf.getvalue()


def fiscal_years(store: Store) -> list[int]:
    """The years of the current documents, newest first."""
    with store.session() as s:
        years = s.scalars(select(DocumentRow.fiscal_year).where(DocumentRow.superseded_by.is_(None),
                                                                DocumentRow.fiscal_year.is_not(None)).distinct())
        return sorted((y for y in years if y is not None), reverse=True)


def level1_names(store: Store) -> list[str]:
    """一级指标 names to filter by: the framework's first, then any other stored name."""
    stored = {m["level1"] for m in indicator_mix(store) if m["level1"]}
    return [*FRAMEWORK_LEVEL1, *sorted(stored - set(FRAMEWORK_LEVEL1))]


# Fields a revision can change that the flat export does not name.
_MORE_LABELS = {"kind": "类型", "budget_fiscal": "财政拨款（万元）", "budget_other": "其他资金（万元）",
                "budget_carryover": "结转资金（万元）", "code": "项目编码", "reviewed": "已审核", "bbox": "页面位置",
                "position": "顺序", "midterm_goal": "中期目标", "period": "实施周期"}
_VALUE_WORDS = {"positive": "正向", "negative": "反向", "overall": "整体", "project": "项目", "rules": "规则",
                "llm": "模型", "human": "人工"}


_PROJECT_LABELS = {"name": "项目名称", "unit": "实施单位", "page": "页码"}


def field_label(key: str, entity: str = "indicator") -> str:
    """A stored field's Chinese name (the export's column header where it has one)."""
    from extractor.export import FLAT_LABELS

    if entity == "project" and key in _PROJECT_LABELS:
        return _PROJECT_LABELS[key]
    if key in _MORE_LABELS:
        return _MORE_LABELS[key]
    return FLAT_LABELS.get(key, key)


def shown_value(value: Any) -> str:
    """A value as a reviewer reads it: empty is blank (never None), booleans 是/否, codes in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _VALUE_WORDS.get(value, str(value)) if isinstance(value, str) else str(value)


def change_lines(old: dict[str, Any], new: dict[str, Any], entity: str = "indicator") -> list[str]:
    """One 字段：旧值 → 新值 line per changed field of a revision."""
    return [f"{field_label(k, entity)}：{shown_value(old.get(k))} → {shown_value(new.get(k))}" for k in new
            if old.get(k) != new.get(k)]
