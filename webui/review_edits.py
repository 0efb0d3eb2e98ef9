"""审核校对: fix the document and project fields, add a missing indicator row, delete a wrong one."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kernel.errors import CorrectionError
from usecases import correct
from webui.resources import services
from webui.state import ui_state

PROJECT_LABELS = {"name": "项目名称", "code": "项目编码", "unit": "实施单位", "period": "项目期", "goal": "年度目标",
                  "midterm_goal": "中期目标"}
BUDGET_LABELS = {"budget_total": "预算总额（万元）", "budget_fiscal": "财政拨款（万元）",
                 "budget_other": "其他资金（万元）", "budget_carryover": "上年结转（万元）"}
KINDS = {"project": "项目", "overall": "整体"}


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text else None


def _done(message: str, keys: list[str]) -> None:
    """Forget the typed values, rerun from the store with a confirmation (the use case re-indexed already)."""
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state["review_flash"] = message
    st.rerun()


def render(doc: dict[str, Any], project: dict[str, Any], stored: dict[str, Any], selected: int | None) -> None:
    """The forms below the indicator grid (each save is a revision with who and why)."""
    svc = services()
    who = ui_state().reviewer
    pid = project["id"]
    with st.expander("修改文档与项目信息"), st.form(key=f"fields_{pid}"):
        c1, c2 = st.columns(2)
        department = c1.text_input("部门", value=doc["department"] or "", key=f"doc_department_{pid}")
        year = c2.text_input("年度", value=str(doc["fiscal_year"] or ""), key=f"doc_year_{pid}")
        kind = st.radio("类型", list(KINDS), format_func=KINDS.get, horizontal=True,
                        index=list(KINDS).index(stored["kind"]), key=f"proj_kind_{pid}")
        texts = {f: st.text_input(label, value=stored[f] or "", key=f"proj_{f}_{pid}")
                 for f, label in PROJECT_LABELS.items()}
        cols = st.columns(4)
        amounts = {f: cols[i].text_input(label, value="" if stored[f] is None else f"{stored[f]:g}",
                                         key=f"proj_{f}_{pid}") for i, (f, label) in enumerate(BUDGET_LABELS.items())}
        why = st.text_input("修改原因", key=f"fields_why_{pid}")
        if st.form_submit_button("保存文档与项目信息"):
            try:
                budget = {f: _number(v) for f, v in amounts.items()}
                changed = correct.correct_fields(svc, doc["id"], pid, {"department": department, "fiscal_year": year},
                                                 {"kind": kind, **texts, **budget}, who=who, why=why or None)
            except (CorrectionError, ValueError) as exc:
                st.error(f"未保存：{exc}")
            else:
                if changed:
                    _done("已保存文档与项目信息。", [k for k in st.session_state if str(k).endswith(f"_{pid}")])
                st.info("没有修改。")
    with st.expander("新增或删除指标"):
        with st.form(key=f"add_{pid}"):
            c1, c2, c3 = st.columns(3)
            values = {"level1": c1.text_input("一级指标", key=f"add_level1_{pid}"),
                      "level2": c2.text_input("二级指标", key=f"add_level2_{pid}"),
                      "name": c3.text_input("三级指标", key=f"add_name_{pid}"),
                      "target": c1.text_input("指标值（原文）", key=f"add_target_{pid}"),
                      "weight": _number(c2.text_input("权重", key=f"add_weight_{pid}") or "")}
            if st.form_submit_button("新增指标"):
                try:
                    correct.add_indicator(svc, doc["id"], pid, values, who=who)
                except (CorrectionError, ValueError) as exc:
                    st.error(f"未新增：{exc}")
                else:
                    _done("已新增指标。", [k for k in st.session_state if str(k).startswith("add_")])
        if selected is not None:
            sure = st.checkbox("确认删除所选指标（原值保留在修改历史中）", key=f"delete_sure_{selected}")
            if st.button("删除所选指标", key=f"delete_{selected}", disabled=not sure):
                correct.delete_indicator(svc, doc["id"], selected, who=who)
                ui_state().indicator_id = None
                _done("已删除所选指标。", [f"delete_sure_{selected}"])
