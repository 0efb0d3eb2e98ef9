"""检索: hybrid search with the CLI's filters; each hit shows its 指标值, budget and 一级指标 and opens in review."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kernel.errors import JixiaoError
from retrieval.search.searcher import Filters, SearchHit
from retrieval.store import queries
from webui import warmup
from webui.resources import services
from webui.safe import dotted, md
from webui.state import ui_state

ALL = "全部"
KINDS = {ALL: None, "项目": "project", "指标": "indicator"}


def _filters() -> tuple[Filters, int]:
    store = services().store
    c1, c2, c3, c4 = st.columns(4)
    department = c1.text_input("部门（可简写，如 遂宁）", key="search_dept")
    years: list[str] = [ALL, *(str(y) for y in queries.fiscal_years(store))]
    year = c2.selectbox("年度", years, key="search_year", format_func=lambda y: y if y == ALL else f"{y}年度")
    kind = c3.selectbox("类型", list(KINDS), key="search_kind")
    level1 = c4.selectbox("一级指标", [ALL, *queries.level1_names(store)], key="search_level1")
    d1, d2, d3 = st.columns([1, 1, 2])
    low = d1.number_input("预算下限（万元）", min_value=0.0, value=None, step=10.0, key="search_budget_min",
                          placeholder="不限")
    high = d2.number_input("预算上限（万元）", min_value=0.0, value=None, step=10.0, key="search_budget_max",
                           placeholder="不限")
    top_k = d3.slider("结果数", 5, 50, 10, key="search_k")
    filters = Filters(department=department.strip() or None, fiscal_year=None if year == ALL else int(year),
                      kind=KINDS[kind], level1=None if level1 == ALL else level1, budget_min=low, budget_max=high)
    return filters, top_k


def _open(hit: SearchHit) -> None:
    state = ui_state()
    state.document_id, state.project_id, state.indicator_id = hit.document_id, hit.project_id, hit.indicator_id
    st.switch_page(st.session_state["pages"]["review"])


def _card(n: int, hit: SearchHit, row: dict[str, Any]) -> None:
    with st.container(border=True):
        title = f"{row['项目']} / {row['指标']}" if row["类型"] == "指标" else row["项目"]
        st.markdown(f"**{n}. {row['类型']}：{md(title)}**")
        facts = []
        if row["类型"] == "指标":
            facts += [f"指标值：{md(row['指标值'] or '—')}", f"一级指标：{md(row['一级指标'] or '—')}"]
        budget = row["预算（万元）"]
        facts.append(f"项目预算：{budget:,.2f} 万元" if budget is not None else "项目预算：未识别")
        st.markdown("　·　".join(facts))
        st.caption(dotted(md(row["部门"] or "部门未识别"), row["年度"], f"{md(row['文件'])} 第 {row['页码'] or '?'} 页",
                          f"相关度 {row['相关度']:.3f}"))
        if st.button("在审核页打开", key=f"open_{hit.id}"):
            _open(hit)


def render() -> None:
    """The search page."""
    st.header("检索")
    loading = warmup.notice()
    query = st.text_input("搜索项目或指标（支持同义表述，如“表彰挺身而出救人的好人”）", key="search_query")
    filters, top_k = _filters()
    if not query.strip():
        return
    try:
        hits = services().searcher.search(query, top_k=top_k, filters=filters)
    except JixiaoError as exc:  # a query too long, a filter out of range: say so, do not crash the page
        st.warning(str(exc))
        return
    finally:
        loading.empty()  # searched: the models are loaded
    if not hits:
        st.info("没有找到结果。")
        return
    rows = queries.hit_rows(services().store, hits)
    view = st.segmented_control("显示方式", ["列表", "表格"], default="列表", key="search_view")
    if view == "表格":
        st.dataframe(pd.DataFrame(rows, columns=list(queries.HIT_COLUMNS)), hide_index=True, width="stretch",
                     column_config={"预算（万元）": st.column_config.NumberColumn(format="%.2f")})
    else:
        for n, (hit, row) in enumerate(zip(hits, rows, strict=True), 1):
            _card(n, hit, row)
    st.download_button("导出结果 CSV", queries.rows_csv(rows).encode("utf-8"), file_name="检索结果.csv",
                       mime="text/csv", key="search_csv")
