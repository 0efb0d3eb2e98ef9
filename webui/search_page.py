"""搜索: hybrid search across every department, each hit opening its record in the review page."""

from __future__ import annotations

import streamlit as st

from retrieval.search import Filters
from webui.resources import services
from webui.state import ui_state


def render() -> None:
    """The search page."""
    st.header("检索")
    query = st.text_input("搜索项目或指标（支持同义表述，如“表彰挺身而出救人的好人”）", key="search_query")
    c1, c2, c3, c4 = st.columns(4)
    department = c1.text_input("部门（可简写，如 遂宁）", key="search_dept")
    year = c2.number_input("年度", min_value=0, max_value=2100, value=0, step=1, key="search_year")
    kind = c3.selectbox("类型", ["全部", "项目", "指标"], key="search_kind")
    top_k = c4.slider("结果数", 5, 50, 10, key="search_k")
    if not query.strip():
        return
    filters = Filters(department=department or None, fiscal_year=int(year) or None,
                      kind={"项目": "project", "指标": "indicator"}.get(kind))
    hits = services().searcher.search(query, top_k=top_k, filters=filters)
    if not hits:
        st.info("没有找到结果。")
        return
    for n, hit in enumerate(hits, 1):
        title = f"{hit.project} / {hit.indicator}" if hit.kind == "indicator" else hit.project
        with st.container(border=True):
            st.markdown(f"**{n}. {'指标' if hit.kind == 'indicator' else '项目'}：{title}**")
            st.caption(f"{hit.department or '—'} · {hit.fiscal_year or '—'} · {hit.source} 第 {hit.page or '?'} 页"
                       f" · 相关度 {hit.score:.3f}")
            if st.button("在审核页打开", key=f"open_{hit.id}"):
                state = ui_state()
                state.document_id, state.project_id, state.indicator_id = (hit.document_id, hit.project_id,
                                                                           hit.indicator_id)
                st.switch_page(st.session_state["pages"]["review"])
