"""总览: departments × years × projects with budgets, and the indicator mix."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retrieval import queries
from webui import audit_panel
from webui.resources import services


def render() -> None:
    """The overview page."""
    st.header("总览")
    store = services().store
    rows = queries.overview(store)
    if not rows:
        st.info("还没有导入任何文件。")
        return
    frame = pd.DataFrame(rows).rename(columns={"department": "部门", "fiscal_year": "年度", "name": "项目",
                                               "budget_total": "预算（万元）", "indicators": "指标数",
                                               "kind": "类型", "source": "文件"})
    flagged = sorted({str(s) for s in frame.loc[frame["needs_review"], "文件"]})
    if flagged:
        st.warning(f"{len(flagged)} 个文件的提取结果需人工审核（在“审核校对”页排在最前）：" + "、".join(flagged))
    frame["需审核"] = frame["needs_review"].map({True: "⚠", False: ""})
    departments = sorted(frame["部门"].dropna().unique())
    chosen = st.multiselect("部门", departments, default=departments, key="overview_depts")
    frame = frame[frame["部门"].isin(chosen) | frame["部门"].isna()]
    c1, c2, c3 = st.columns(3)
    c1.metric("部门", len(chosen))
    c2.metric("项目", int((frame["类型"] == "project").sum()))
    c3.metric("预算合计（万元）", f"{frame.loc[frame['类型'] == 'project', '预算（万元）'].sum():,.2f}")
    st.subheader("各部门项目预算")
    by_dept = frame[frame["类型"] == "project"].groupby("部门")["预算（万元）"].sum().sort_values(ascending=False)
    st.bar_chart(by_dept)
    st.dataframe(frame[["需审核", "部门", "年度", "项目", "类型", "预算（万元）", "指标数", "文件"]], hide_index=True,
                 width="stretch")
    mix = pd.DataFrame(queries.indicator_mix(store))
    if not mix.empty:
        left, right = st.columns(2)
        with left:
            st.subheader("指标构成（一级指标）")
            st.bar_chart(mix.groupby("level1")["count"].sum().sort_values(ascending=False))
        with right:
            st.subheader("定性与定量")
            share = mix.groupby("qualitative")["count"].sum().rename({True: "定性", False: "定量"})
            st.bar_chart(share)
    audit_panel.overview(store, chosen)
