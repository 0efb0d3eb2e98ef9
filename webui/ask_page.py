"""问答: chat over the question module; answers carry tables, charts and citations that open the record."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from kernel.errors import JixiaoError
from retrieval.ask.answers import Answer, Chart, Turn
from retrieval.ask.api import answer
from retrieval.ask.markdown import display_rows
from retrieval.store import queries
from webui.resources import services
from webui.safe import dotted, md, md_links
from webui.state import ui_state

EXAMPLES = ["各部门预算最大的项目分别是什么？", "哪些指标是反向指标？", "对比各部门的项目预算合计",
            "哪些项目的指标没有量化？"]


def _open_in_review(source: str | None, project: str | None, indicator: str | None) -> None:
    found = queries.locate(services().store, source, project, indicator)
    if found is None:
        st.warning("该记录已不在当前文档中（可能已被新版本替换）。")
        return
    state = ui_state()
    state.document_id, state.project_id, state.indicator_id = found
    st.switch_page(st.session_state["pages"]["review"])


def _chart(chart: Chart) -> alt.Chart:
    frame = pd.DataFrame([{"项": b.label, "名称": b.full or b.label, chart.measure: b.value} for b in chart.bars])
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("项:N", sort=list(frame["项"]), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{chart.measure}:Q"), tooltip=["名称", alt.Tooltip(f"{chart.measure}:Q", format=",.2f")])


def _show(result: Answer, turn: int) -> None:
    st.markdown(md_links(result.answer).replace("\n", "  \n"))  # keep the answer's line breaks
    if result.table:
        money = {c: st.column_config.NumberColumn(format="%.2f") for c in ("合计", "平均", "预算（万元）")}
        st.dataframe(pd.DataFrame(display_rows(result.table)), hide_index=True, width="stretch", column_config=money)
    if result.chart is not None:  # only a comparison has one: one bar per compared item
        st.altair_chart(_chart(result.chart), width="stretch")
    if result.citations:
        with st.expander(f"来源（{len(result.citations)}）"):
            for n, c in enumerate(result.citations[:30], 1):
                what = " / ".join(x for x in (c.project, c.indicator) if x)
                left, right = st.columns([5, 1])
                left.markdown(f"{n}. " + dotted(md(c.department), md(what), f"{md(c.source)} 第 {c.page or '?'} 页"))
                if right.button("审核页打开", key=f"cite_{turn}_{n}"):
                    _open_in_review(c.source, c.project, c.indicator)
    st.caption(f"模式：{'离线规则' if result.mode == 'offline' else 'LLM'}")


def render() -> None:
    """The chat page."""
    st.header("问答")
    history: list[tuple[str, Answer]] = st.session_state.setdefault("ask_history", [])
    if not history:
        st.caption("示例：" + "　".join(f"“{q}”" for q in EXAMPLES))
    for turn, (asked, result) in enumerate(history):
        with st.chat_message("user"):
            st.markdown(md(asked))
        with st.chat_message("assistant"):
            _show(result, turn)
    question = st.chat_input("问一个跨部门的问题，例如“满意度目标低于80%的指标有哪些？”")
    if not question:
        return
    turns: list[Turn] = [r.turn(q) for q, r in history]
    try:
        with st.spinner("正在查询…"):
            result = answer(question, services(), history=turns)
    except JixiaoError as exc:  # an empty or over-long question: say so, keep the conversation
        st.warning(str(exc))
        return
    history.append((question, result))
    st.rerun()
