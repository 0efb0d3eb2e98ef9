"""The three tools both modes use: hybrid search, a structured query over the store, one project's full record."""

from __future__ import annotations

import functools
import logging
import operator
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from retrieval.ask.answers import Citation, Op
from retrieval.ask.vocabulary import normalize
from retrieval.search.searcher import Filters
from retrieval.services import Services
from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, ProjectRow

Row = dict[str, Any]
OPS: dict[str, Callable[[float, float], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                                                  ">=": operator.ge, "=": operator.eq}
MAX_ROWS = 200


class Query(BaseModel):
    """A structured query over current projects or indicators: filters, then optional grouping and aggregates."""

    model_config = ConfigDict(extra="forbid")
    subject: Literal["project", "indicator"] = "project"
    departments: list[str] = Field(default_factory=list, description="部门全称或简称（遂宁、白云），任一匹配")
    fiscal_year: int | None = None
    project_kind: Literal["overall", "project"] | None = Field(default=None, description="overall=部门整体支出")
    levels: list[str] = Field(default_factory=list, description="一级或二级指标名称，任一相等")
    terms: list[str] = Field(default_factory=list, description="项目名称或指标名称中包含的词，任一匹配")
    project_terms: list[str] = Field(default_factory=list, description="只在项目名称中匹配的词")
    project_ids: list[int] = Field(default_factory=list)
    op: Op | None = Field(default=None, description="数值条件：比较 value（指标目标值）或 budget（项目预算）")
    value: float | None = None
    unit: str | None = Field(default=None, description="只比较这个单位的指标目标值，如 %")
    on: Literal["value", "budget"] = "value"
    direction: Literal["positive", "negative"] | None = Field(default=None,
                                                              description="指标方向：positive=正向，negative=反向")
    qualitative: bool | None = Field(default=None, description="true=定性指标，false=定量指标")
    indicator_unit: str | None = Field(default=None, description="只要这个计量单位的指标，如 人次")
    rules: list[str] = Field(default_factory=list, description="只要审核规则发现问题的项目（规则 id，任一）")
    group_by: Literal["department", "fiscal_year", "level1", "level2", "project"] | None = None
    per_group: bool = Field(default=False, description="true：order_by+limit 在每个分组内分别取前 N")
    measure: Literal["budget", "value"] = "budget"
    order_by: Literal["budget", "value"] | None = None
    descending: bool = True
    limit: int = Field(default=MAX_ROWS, ge=1, le=MAX_ROWS)


def load_projects(store: Store, departments: list[str] | None = None, fiscal_year: int | None = None) -> list[Row]:
    """Current projects (with their indicators) as plain dicts; department matches full names or short forms."""
    with store.session() as s:
        q = (select(ProjectRow).join(DocumentRow).where(DocumentRow.superseded_by.is_(None))
             .options(selectinload(ProjectRow.document), selectinload(ProjectRow.indicators))
             .order_by(DocumentRow.id, ProjectRow.position))
        if fiscal_year is not None:
            q = q.where(DocumentRow.fiscal_year == fiscal_year)
        out = []
        for p in s.scalars(q):
            doc = p.document
            if departments and not any(d in (doc.department or "") for d in departments):
                continue
            base = {"department": doc.department, "fiscal_year": doc.fiscal_year, "source": doc.source,
                    "document_id": doc.id, "project": p.name, "project_id": p.id, "kind": p.kind,
                    "budget_total": p.budget_total}
            out.append({**base, "id": f"p{p.id}", "page": p.page, "goal": p.goal, "indicators": [
                {**base, "id": f"i{i.id}", "indicator_id": i.id, "indicator": i.name, "level1": i.level1,
                 "level2": i.level2, "target": i.target, "operator": i.operator, "value": i.value,
                 "value_max": i.value_max, "unit": i.unit, "qualitative": i.qualitative, "direction": i.direction,
                 "page": i.page}
                for i in p.indicators]})
        return out


@functools.lru_cache(maxsize=512)
def _tokens(word: str) -> tuple[str, ...]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(t for t in jieba.lcut(normalize(word)) if len(t) >= 2)


def _contains(text: str | None, words: list[str]) -> str | None:
    """The first word the text contains, literally or as all of its parts (矛盾纠纷化解 ~ 矛盾纠纷多元化解)."""
    t = normalize(text or "")
    for w in words:
        parts = _tokens(w)
        if w and (normalize(w) in t or (len(parts) > 1 and all(part in t for part in parts))):
            return w
    return None


def _compare(row: Row, q: Query) -> bool:
    if q.op is None or q.value is None:
        return True
    if q.on == "budget":
        return row.get("budget_total") is not None and OPS[q.op](row["budget_total"], q.value)
    if row.get("value") is None or (q.unit and normalize(row.get("unit") or "") != normalize(q.unit)):
        return False
    # A range (15-20次) is below x when its top is, above x when its bottom is.
    value = row["value_max"] if q.op in ("<", "<=") and row.get("value_max") is not None else row["value"]
    return OPS[q.op](value, q.value)


def _in_scope(p: Row, q: Query) -> bool:
    if q.departments and not any(d in (p["department"] or "") for d in q.departments):
        return False
    if q.fiscal_year is not None and p["fiscal_year"] != q.fiscal_year:
        return False
    if q.project_kind and p["kind"] != q.project_kind:
        return False
    return not (q.project_ids and p["project_id"] not in q.project_ids)


def _field_match(i: Row, q: Query) -> bool:
    """The indicator has the direction, kind (定性/定量) and unit the query asks for."""
    if q.direction is not None and i.get("direction") != q.direction:
        return False
    if q.qualitative is not None and bool(i.get("qualitative")) != q.qualitative:
        return False
    return q.indicator_unit is None or normalize(i.get("unit") or "") == normalize(q.indicator_unit)


def _has_field_filter(q: Query) -> bool:
    return q.direction is not None or q.qualitative is not None or q.indicator_unit is not None


def _project_rows(projects: list[Row], q: Query) -> list[Row]:
    """Projects whose name holds a term; only when none does, projects with an indicator that names it."""
    budget_q = q if q.on == "budget" else q.model_copy(update={"op": None})
    named: list[Row] = []
    via_indicator: list[Row] = []
    for p in projects:
        if not _compare(p, budget_q):
            continue
        if _has_field_filter(q) and not any(_field_match(i, q) for i in p["indicators"]):
            continue
        base = {k: v for k, v in p.items() if k not in ("indicators", "goal")}
        if not (q.terms or q.project_terms):
            named.append(base | {"matched": ""})
        elif word := _contains(p["project"], q.project_terms + q.terms):
            named.append(base | {"matched": f"项目名称含“{word}”"})
        else:
            hit = next(((i, w) for i in p["indicators"] if (w := _contains(i["indicator"], q.terms))), None)
            if hit:
                via_indicator.append(base | {"matched": f"指标“{hit[0]['indicator']}”含“{hit[1]}”"})
    return named or via_indicator


def _indicator_rows(projects: list[Row], q: Query) -> list[Row]:
    """Indicators whose own name holds a term; only when none does, the indicators of projects named by it."""
    own: list[Row] = []
    of_project: list[Row] = []
    for p in projects:
        in_project = bool(_contains(p["project"], q.project_terms + q.terms))
        for i in p["indicators"]:
            if q.levels and i["level1"] not in q.levels and i["level2"] not in q.levels:
                continue
            if not _compare(i, q) or not _field_match(i, q):
                continue
            if not (q.terms or q.project_terms) or _contains(i["indicator"], q.terms):
                own.append(i)
            elif in_project:
                of_project.append(i)
    return own or of_project


def select_rows(projects: list[Row], q: Query) -> list[Row]:
    """Projects or indicators passing every filter of the query (pure)."""
    scoped = [p for p in projects if _in_scope(p, q)]
    return _project_rows(scoped, q) if q.subject == "project" else _indicator_rows(scoped, q)


def _stats(rows: list[Row], field: str) -> dict[str, Any]:
    values = [r[field] for r in rows if r.get(field) is not None]
    return {"count": len(rows), "with_value": len(values), "sum": round(sum(values), 6) if values else None,
            "avg": round(sum(values) / len(values), 6) if values else None,
            "min": min(values) if values else None, "max": max(values) if values else None}


def _grouped(rows: list[Row], group_by: str) -> dict[Any, list[Row]]:
    key = {"project": "project_id"}.get(group_by, group_by)
    groups: dict[Any, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.get(key), []).append(r)
    return groups


def _ordered(rows: list[Row], q: Query) -> list[Row]:
    if not q.order_by:
        return rows
    key = "budget_total" if q.order_by == "budget" else "value"
    return sorted((r for r in rows if r.get(key) is not None), key=lambda r: r[key], reverse=q.descending)


def aggregate(rows: list[Row], q: Query) -> dict[str, Any]:
    """Ordered, limited rows plus count/sum/avg/min/max of the measure, overall and per group (pure).

    With per_group, order and limit apply inside each group and the groups describe the rows kept.
    """
    field = "budget_total" if q.measure == "budget" else "value"
    if q.per_group and q.group_by:
        kept = [r for g in _grouped(rows, q.group_by).values() for r in _ordered(g, q)[:q.limit]]
        return {"rows": kept, "count": len(rows), "truncated": False, "measure": field,
                "total": _stats(rows, field),
                "groups": [{"key": k, **_stats(g, field)} for k, g in _grouped(kept, q.group_by).items()]}
    ordered = _ordered(rows, q)
    result: dict[str, Any] = {"rows": ordered[:q.limit], "count": len(rows), "truncated": len(ordered) > q.limit,
                              "measure": field, "total": _stats(rows, field)}
    if q.group_by:
        result["groups"] = [{"key": k, **_stats(g, field)} for k, g in _grouped(rows, q.group_by).items()]
    return result


def run_query(store: Store, q: Query, flagged: Callable[[list[Row], list[str]], list[int]] | None = None
              ) -> dict[str, Any]:
    """The `query` tool: filter, group and aggregate current records (q.rules through `flagged`: project ids)."""
    projects = load_projects(store, q.departments, q.fiscal_year)
    if q.rules and flagged is not None:
        ids = flagged(projects, q.rules)
        q = q.model_copy(update={"project_ids": [i for i in ids if not q.project_ids or i in q.project_ids] or [-1]})
    return aggregate(select_rows(projects, q), q)


def search(services: Services, query: str, top_k: int = 10, department: str | None = None,
           fiscal_year: int | None = None, kind: Literal["project", "indicator"] | None = None,
           level1: str | None = None) -> list[Row]:
    """The `search` tool: hybrid search hits as rows with what a citation needs."""
    filters = Filters(department=department, fiscal_year=fiscal_year, kind=kind, level1=level1)
    hits = services.searcher.search(query, top_k=top_k, filters=filters)
    return [{"id": h.id, "kind": h.kind, "score": h.score, "department": h.department, "fiscal_year": h.fiscal_year,
             "source": h.source, "page": h.page, "project": h.project, "project_id": h.project_id,
             "indicator": h.indicator if h.kind == "indicator" else None, "budget_total": h.budget_total,
             "text": h.text[:200]} for h in hits]


def get_project(store: Store, project_id: int) -> Row | None:
    """The `get_project` tool: one current project with its goal and every indicator."""
    with store.session() as s:
        p = s.get(ProjectRow, project_id)
        if p is None or p.document.superseded_by is not None:
            return None
        doc = p.document
        return {"id": f"p{p.id}", "project_id": p.id, "project": p.name, "kind": p.kind, "department": doc.department,
                "fiscal_year": doc.fiscal_year, "source": doc.source, "page": p.page, "unit": p.unit,
                "budget_total": p.budget_total, "budget_fiscal": p.budget_fiscal, "budget_other": p.budget_other,
                "goal": p.goal, "indicators": [
                    {"id": f"i{i.id}", "indicator": i.name, "level1": i.level1, "level2": i.level2, "target": i.target,
                     "operator": i.operator, "value": i.value, "unit": i.unit, "page": i.page} for i in p.indicators]}


def citation(row: Row) -> Citation:
    """The citation of a tool row."""
    return Citation(source=row.get("source"), department=row.get("department"), project=row.get("project"),
                    indicator=row.get("indicator"), page=row.get("page"))
