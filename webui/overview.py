"""总览: departments × years × projects with budgets (the 整体 form never added to its projects), indicator mix."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from retrieval.store import queries
from webui import audit_panel
from webui.resources import services

BUDGET_HELP = "每个部门取其整体支出表的金额（已包含各项目）；没有整体支出表时取项目预算之和。两者不重复相加。"


def _department_chart(budgets: list[dict[str, object]]) -> alt.Chart:
    frame = pd.DataFrame(budgets).rename(columns={
        "department": "部门全称", "short": "部门", "budget": "部门预算（万元）",
        "project_budget": "项目预算合计（万元）", "overall_budget": "整体支出（万元）", "projects": "项目数"})
    order = list(frame["部门"])
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("部门:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("部门预算（万元）:Q"),
        tooltip=["部门全称", alt.Tooltip("部门预算（万元）:Q", format=",.2f"),
                 alt.Tooltip("项目预算合计（万元）:Q", format=",.2f"), alt.Tooltip("整体支出（万元）:Q", format=",.2f"),
                 "项目数"])


def _level_chart(mix: list[dict[str, object]]) -> alt.Chart:
    frame = pd.DataFrame(mix).rename(columns={"level1": "一级指标", "count": "指标数"})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("一级指标:N", sort=list(frame["一级指标"]), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("指标数:Q"), tooltip=["一级指标", "指标数", "定量", "定性"])


def _kind_chart(mix: list[dict[str, object]]) -> alt.Chart:
    frame = pd.DataFrame(mix).melt(id_vars=["level1"], value_vars=["定量", "定性"], var_name="类别",
                                   value_name="指标数").rename(columns={"level1": "一级指标"})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("一级指标:N", sort=[str(m["level1"]) for m in mix], title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("指标数:Q", stack=True), color=alt.Color("类别:N", legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["一级指标", "类别", "指标数"])


def render() -> None:
    """The overview page."""
    st.header("总览")
    store = services().store
    rows = queries.overview(store)
    if not rows:
        st.info("还没有导入任何文件。")
        return
    budgets = queries.department_budgets(rows)
    names = [b["department"] for b in budgets]
    short = {b["department"]: b["short"] for b in budgets}
    flagged = sorted({str(r["source"]) for r in rows if r["needs_review"]})
    if flagged:
        st.warning(f"{len(flagged)} 个文件的提取结果需人工审核（在“审核校对”页排在最前）：" + "、".join(flagged))
    chosen = st.multiselect("部门", names, default=names, key="overview_depts")
    rows = [r for r in rows if (r["department"] or "未识别部门") in chosen]
    budgets = [b for b in budgets if b["department"] in chosen]
    c1, c2, c3 = st.columns(3)
    c1.metric("部门", len(budgets))
    c2.metric("项目", sum(b["projects"] for b in budgets))
    c3.metric("预算合计（万元）", f"{sum(b['budget'] for b in budgets):,.2f}", help=BUDGET_HELP)
    st.subheader("各部门预算（万元）")
    st.caption("按预算从高到低；鼠标悬停显示部门全称、项目预算合计与整体支出。")
    if budgets:
        st.altair_chart(_department_chart(budgets), width="stretch")
    frame = pd.DataFrame([{
        "需审核": "⚠" if r["needs_review"] else "", "部门": short.get(r["department"], r["department"] or ""),
        "年度": queries.year_label(r["fiscal_year"]), "项目": r["name"], "类型": queries.kind_label(r["kind"]),
        "预算（万元）": r["budget_total"], "指标数": r["indicators"], "文件": r["source"]} for r in rows])
    if not frame.empty:
        st.dataframe(frame, hide_index=True, width="stretch", column_config={
            "部门": st.column_config.TextColumn(help="部门简称；全称见上方图表悬停"),
            "预算（万元）": st.column_config.NumberColumn(format="%.2f")})
    mix = queries.level1_counts(queries.indicator_mix(store))
    if mix:
        left, right = st.columns(2)
        with left:
            st.subheader("指标构成（一级指标）")
            st.altair_chart(_level_chart(mix), width="stretch")
        with right:
            st.subheader("定性与定量")
            st.altair_chart(_kind_chart(mix), width="stretch")
    audit_panel.overview(store, chosen)
