"""审核校对: correct one indicator, the document and project fields, add a missing row, delete a wrong one.

Every save states the values the person loaded: a field someone else changed since is shown as a conflict (yours /
theirs, who, when) and resolved in one click, never overwritten.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kernel.errors import ConflictError, CorrectionError, FieldConflict
from retrieval.store import queries
from usecases import correct
from webui.resources import services
from webui.safe import md
from webui.state import ui_state

PROJECT_LABELS = {"name": "项目名称", "code": "项目编码", "unit": "实施单位", "period": "项目期", "goal": "年度目标",
                  "midterm_goal": "中期目标"}
BUDGET_LABELS = {"budget_total": "预算总额（万元）", "budget_fiscal": "财政拨款（万元）",
                 "budget_other": "其他资金（万元）", "budget_carryover": "上年结转（万元）"}
KINDS = {"project": "项目", "overall": "整体"}
FORM_FIELDS = {"name": "三级指标", "target": "指标值（原文）", "level1": "一级指标", "level2": "二级指标",
               "unit": "度量单位", "basis": "评分标准/依据"}
ORIGIN_LABELS = {"rules": "规则", "llm": "模型", "human": "人工"}


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text else None


def _done(message: str, keys: list[str]) -> None:
    """Forget the typed values, rerun from the store with a confirmation (the use case re-indexed already)."""
    for key in keys:
        st.session_state.pop(key, None)
    if message:
        st.session_state["review_flash"] = message
    st.rerun()


def loaded(key: str, fresh: dict[str, Any], widget_key: str) -> dict[str, Any]:
    """The values a form was loaded with, kept while its widgets live: a save states what the person saw."""
    if widget_key not in st.session_state or key not in st.session_state:
        st.session_state[key] = dict(fresh)
    base: dict[str, Any] = st.session_state[key]
    return base


def _start(values: dict[str, Any]) -> None:
    """Widgets start from these values, set through session state.

    A browser then shows the stored record after a save or a reload too (a widget's `value` alone leaves what the
    browser typed in place).
    """
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _previous(key: str, fresh: Any) -> Any:
    """What the previous run showed (what the person clicked on), remembering this run's for the next click."""
    shown = st.session_state.get(key, fresh)
    st.session_state[key] = fresh
    return shown


def _conflict(key: str, rows: bool = False) -> tuple[bool, bool]:
    """Show a stored conflict in Chinese with both values; (keep mine, take theirs) as clicked."""
    pending = st.session_state.get(key)
    if not pending:
        return False, False
    conflicts: list[FieldConflict] = pending["conflicts"]
    st.error("未保存：在你打开之后，他人修改了同一字段。请选择保留哪个值。")
    st.markdown("\n".join(f"- {f'指标 {c.entity_id} · ' if rows else ''}{md(c.message())}" for c in conflicts))
    keep, take = st.columns(2)
    return (keep.button("保留我的修改", key=f"{key}_keep", type="primary"),
            take.button("采用他人的修改", key=f"{key}_take"))


def _resolve(key: str, redo: Any, stale: list[str], rows: bool = False) -> None:
    """A pending conflict's two buttons: keep mine redoes the save from their values, take theirs reloads."""
    keep, take = _conflict(key, rows)
    if keep:
        redo(st.session_state[key])
    if take:
        _done("已采用他人的修改。", stale)


def _rebased(base: dict[str, Any], conflicts: list[FieldConflict]) -> dict[str, Any]:
    """The base after the person has seen their values: keeping mine is then a save made from theirs."""
    return {**base, **{c.field: c.theirs for c in conflicts}}


def indicator_form(rows: list[dict[str, Any]], indicator_id: int) -> None:
    """One indicator at a time: long texts are easier to correct here than in the grid."""
    row = next(r for r in rows if r["id"] == indicator_id)
    keys = [f"edit_{indicator_id}_{f}" for f in (*FORM_FIELDS, "why")]
    base_key, conflict_key = f"edit_{indicator_id}_base", f"edit_{indicator_id}_conflict"
    base = loaded(base_key, row, keys[0])
    _start({**{f"edit_{indicator_id}_{f}": base[f] or "" for f in FORM_FIELDS}, keys[-1]: ""})
    save = _save_indicator(indicator_id, [*keys, base_key, conflict_key], conflict_key)
    with st.form(key=f"edit_{indicator_id}"):
        made_by = f" · 模型 {row['model']} · 提示词 {row['prompt']}" if row.get("model") else ""
        origin = ORIGIN_LABELS.get(row["origin"], row["origin"])
        st.markdown(f"**编辑所选指标** · 置信度 {row['confidence']:.2f} · 来源 {origin}{made_by}")
        values = {f: st.text_input(label, key=f"edit_{indicator_id}_{f}")
                  for f, label in FORM_FIELDS.items()}
        why = st.text_input("修改原因", key=f"edit_{indicator_id}_why")
        if st.form_submit_button("保存该指标"):
            save(base, {**base, **values}, why or None)
    _resolve(conflict_key, lambda p: save(_rebased(p["base"], p["conflicts"]), p["after"], p["why"]),
             [*keys, base_key, conflict_key])


def _save_indicator(indicator_id: int, stale: list[str], conflict_key: str) -> Any:
    def save(base: dict[str, Any], after: dict[str, Any], why: str | None) -> None:
        with st.spinner("保存中…"):
            result = correct.correct_indicators(services(), ui_state().document_id, [base], [after],
                                                who=ui_state().reviewer, why=why)
        if result.saved:
            # The form shows the stored record after a save (the store re-reads the target), not what was typed.
            _done("已保存，指标值已按原文重新解析，索引已更新。", stale)
        elif result.conflicts:
            st.session_state[conflict_key] = {"conflicts": result.conflicts[indicator_id], "base": base,
                                              "after": after, "why": why}
            st.rerun()
        elif result.errors:
            st.error(result.errors[indicator_id])
        else:
            st.info("没有修改。")
    return save


def save_grid(doc_id: int, pid: int, base: list[dict[str, Any]], after: list[dict[str, Any]], why: str | None
              ) -> None:
    """Save the edited grid, made from the rows it was loaded with.

    Rows someone else changed meanwhile wait as a conflict below the grid.
    """
    with st.spinner("保存中…"):
        result = correct.correct_indicators(services(), doc_id, base, after, who=ui_state().reviewer, why=why)
    for ind_id, message in result.errors.items():
        st.error(f"指标 {ind_id}：{message}")
    if result.conflicts:
        edited = {r["id"]: r for r in after}
        st.session_state[f"editor_conflict_{pid}"] = {
            "conflicts": [c for clashes in result.conflicts.values() for c in clashes], "why": why,
            "base": [r for r in base if r["id"] in result.conflicts], "after": [edited[i] for i in result.conflicts]}
    # Start again from the stored records: the grid's pending edits would otherwise be saved twice.
    stale = [f"editor_{pid}", f"editor_base_{pid}", "review_why"]
    if result.saved:
        _done(f"已保存 {len(result.saved)} 条修改，并已更新索引。", stale)
    elif result.conflicts:
        _done("", stale)
    elif not result.errors:
        st.info("没有修改。")


def grid_conflict(doc_id: int, pid: int) -> None:
    """Rows of the grid someone else changed meanwhile: keep mine (saved from their values) or take theirs."""
    key = f"editor_conflict_{pid}"

    def redo(pending: dict[str, Any]) -> None:
        st.session_state.pop(key)
        base = [_rebased(r, [c for c in pending["conflicts"] if c.entity_id == r["id"]]) for r in pending["base"]]
        save_grid(doc_id, pid, base, pending["after"], pending["why"])
    _resolve(key, redo, [key], rows=True)


def render(doc: dict[str, Any], project: dict[str, Any], stored: dict[str, Any], selected: int | None) -> None:
    """The forms below the indicator grid (each save is a revision with who and why)."""
    svc = services()
    who = ui_state().reviewer
    pid = project["id"]
    fresh = {"department": doc["department"], "fiscal_year": doc["fiscal_year"], **stored}
    stale = [k for k in st.session_state if str(k).endswith(f"_{pid}")]
    base_key, conflict_key = f"fields_base_{pid}", f"fields_conflict_{pid}"
    base = loaded(base_key, fresh, f"proj_name_{pid}")
    _start({f"doc_department_{pid}": base["department"] or "", f"doc_year_{pid}": str(base["fiscal_year"] or ""),
            f"proj_kind_{pid}": base["kind"], f"fields_why_{pid}": "",
            **{f"proj_{f}_{pid}": base[f] or "" for f in PROJECT_LABELS},
            **{f"proj_{f}_{pid}": "" if base[f] is None else f"{base[f]:g}" for f in BUDGET_LABELS}})

    def save(base: dict[str, Any], changes: tuple[dict[str, Any], dict[str, Any]], why: str | None) -> None:
        try:
            changed = correct.correct_fields(svc, doc["id"], pid, *changes, who=who, why=why, base=base)
        except ConflictError as exc:
            st.session_state[conflict_key] = {"conflicts": exc.conflicts, "base": base, "after": changes, "why": why}
            st.rerun()
        except (CorrectionError, ValueError) as exc:
            st.error(f"未保存：{exc}")
        else:
            if changed:
                _done("已保存文档与项目信息。", [*stale, base_key, conflict_key])
            st.info("没有修改。")

    with st.expander("修改文档与项目信息", expanded=conflict_key in st.session_state), st.form(key=f"fields_{pid}"):
        c1, c2 = st.columns(2)
        department = c1.text_input("部门", key=f"doc_department_{pid}")
        year = c2.text_input("年度", key=f"doc_year_{pid}")
        kind = st.radio("类型", list(KINDS), format_func=KINDS.get, horizontal=True, key=f"proj_kind_{pid}")
        texts = {f: st.text_input(label, key=f"proj_{f}_{pid}") for f, label in PROJECT_LABELS.items()}
        cols = st.columns(4)
        amounts = {f: cols[i].text_input(label, key=f"proj_{f}_{pid}") for i, (f, label) in
                   enumerate(BUDGET_LABELS.items())}
        why = st.text_input("修改原因", key=f"fields_why_{pid}")
        if st.form_submit_button("保存文档与项目信息"):
            try:
                budget = {f: _number(v) for f, v in amounts.items()}
            except ValueError:
                st.error("未保存：金额须为数字")
            else:
                save(base, ({"department": department, "fiscal_year": year or None},
                            {"kind": kind, **texts, **budget}), why or None)
    _resolve(conflict_key, lambda p: save(_rebased(p["base"], p["conflicts"]), p["after"], p["why"]),
             [*stale, base_key, conflict_key])
    _rows(doc["id"], pid, selected)


def _rows(doc_id: int, pid: int, selected: int | None) -> None:
    """Add a missing row or delete a wrong one, each made from the rows the page showed."""
    svc, who = services(), ui_state().reviewer
    shown = {r["id"]: r for r in _previous(f"rows_shown_{pid}", queries.indicators(svc.store, pid))}
    key = f"rows_conflict_{pid}"

    def add(values: dict[str, Any], seen: list[int]) -> None:
        try:
            correct.add_indicator(svc, doc_id, pid, {**values, "weight": _number(values["weight"])}, who=who,
                                  seen=seen)
        except ConflictError as exc:  # someone added a row of this name meanwhile
            _pending(key, exc, {"add": values, "seen": [*seen, *(c.entity_id for c in exc.conflicts)]})
        except (CorrectionError, ValueError) as exc:
            st.error(f"未新增：{exc}")
        else:
            _done("已新增指标。", [k for k in st.session_state if str(k).startswith("add_")] + [key])

    def delete(row_id: int, base: dict[str, Any]) -> None:
        try:
            correct.delete_indicator(svc, doc_id, row_id, who=who, base=base)
        except ConflictError as exc:  # someone corrected the row meanwhile
            _pending(key, exc, {"delete": row_id, "base": _rebased(base, exc.conflicts)})
        except CorrectionError as exc:
            st.error(f"未删除：{exc}")
        else:
            ui_state().indicator_id = None
            _done("已删除所选指标。", [f"delete_sure_{row_id}", key])

    with st.expander("新增或删除指标", expanded=key in st.session_state):
        with st.form(key=f"add_{pid}"):
            c1, c2, c3 = st.columns(3)
            values = {"level1": c1.text_input("一级指标", key=f"add_level1_{pid}"),
                      "level2": c2.text_input("二级指标", key=f"add_level2_{pid}"),
                      "name": c3.text_input("三级指标", key=f"add_name_{pid}"),
                      "target": c1.text_input("指标值（原文）", key=f"add_target_{pid}"),
                      "weight": c2.text_input("权重", key=f"add_weight_{pid}")}
            if st.form_submit_button("新增指标"):
                add(values, list(shown))
        if selected is not None and selected in shown:
            sure = st.checkbox("确认删除所选指标（原值保留在修改历史中）", key=f"delete_sure_{selected}")
            if st.button("删除所选指标", key=f"delete_{selected}", disabled=not sure):
                delete(selected, shown[selected])
        # taking theirs also reloads the form of the row they changed (it still holds what this page loaded)
        rows = {c.entity_id for c in st.session_state.get(key, {}).get("conflicts", [])}
        _resolve(key, lambda p: add(p["add"], p["seen"]) if "add" in p else delete(p["delete"], p["base"]),
                 [key, *(k for k in st.session_state if any(str(k).startswith(f"edit_{r}_") for r in rows))])


def _pending(key: str, exc: ConflictError, redo: dict[str, Any]) -> None:
    """Keep a conflict and what keeping mine would redo, and show it on the rerun."""
    st.session_state[key] = {"conflicts": exc.conflicts, **redo}
    st.rerun()
