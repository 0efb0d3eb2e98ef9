"""审核校对: the queue of rows to review across documents, with 上一条 / 下一条."""

from __future__ import annotations

import streamlit as st

from retrieval.store.review_queue import QueueItem, review_queue, step
from webui.resources import services
from webui.state import ui_state


def _go(item: QueueItem | None) -> None:
    if item is None:
        return
    # the pickers are drawn from the state, so they name the queued row
    ui_state().show(item.document_id, item.project_id, item.indicator_id)


def render() -> None:
    """A line with the queue's size and position, and buttons that open the previous or next queued row."""
    queue = review_queue(services().store)
    if not queue:
        st.caption("待审核队列：没有待审核的行。")
        return
    state = ui_state()
    ids = [q.indicator_id for q in queue]
    at = ids.index(state.indicator_id) + 1 if state.indicator_id in ids else 0
    left, mid, right = st.columns([1, 1, 4])
    left.button("上一条", key="queue_prev", on_click=_go, args=(step(queue, state.indicator_id, -1),))
    mid.button("下一条", key="queue_next", on_click=_go, args=(step(queue, state.indicator_id, 1),))
    where = f"第 {at} 条" if at else "不在队列中"
    right.caption(f"待审核队列：共 {len(queue)} 条（{where}）· 含低置信度行和需人工审核文档中的行")
