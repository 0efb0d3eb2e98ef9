"""审核校对: the versions of the open document — open an old one, compare it with the current one, restore it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from retrieval.store.versions import Version, versions
from usecases.versions import restore_version
from webui.resources import services
from webui.state import ui_state


def _compare(store: Any, live: Version, other: Version) -> pd.DataFrame:
    """Projects of two versions side by side: indicator counts, and what only one of them has."""
    a, b = store.document(live.document_id), store.document(other.document_id)
    count_a = {p.name: len(p.indicators) for p in (a.projects if a else [])}
    count_b = {p.name: len(p.indicators) for p in (b.projects if b else [])}
    rows = [{"项目": name, "当前版本指标数": count_a.get(name, ""), "该版本指标数": count_b.get(name, ""),
             "差异": "仅当前版本有" if name not in count_b else "仅该版本有" if name not in count_a
             else ("指标数不同" if count_a[name] != count_b[name] else "")}
            for name in sorted(set(count_a) | set(count_b))]
    return pd.DataFrame(rows)


def render(doc_id: int) -> None:
    """An expander listing every stored version of this document, with 打开 / 对比 / 恢复为当前版本."""
    store = services().store
    chain = versions(store, doc_id)
    if len(chain) < 2:
        return
    live = next((v for v in chain if v.live), chain[-1])
    with st.expander(f"版本（{len(chain)}）"):
        for v in chain:
            mark = "当前版本" if v.live else f"已被文档 {v.superseded_by} 替换"
            st.markdown(f"- 文档 {v.document_id} · {v.source} · {v.created_at} · {v.indicators} 个指标 · {mark}"
                        + (" · 已审核" if v.reviewed else ""))
        others = [v for v in chain if not v.live]
        if not others:
            return
        pick = st.selectbox("选择旧版本", others, key=f"version_pick_{doc_id}",
                            format_func=lambda v: f"文档 {v.document_id} · {v.source} · {v.created_at}")
        st.dataframe(_compare(store, live, pick), hide_index=True, width="stretch", key=f"version_cmp_{doc_id}")
        c1, c2 = st.columns(2)
        c1.button("打开该版本", key=f"version_open_{pick.document_id}", on_click=_open, args=(pick.document_id,))
        c2.button("恢复为当前版本", key=f"version_restore_{pick.document_id}", on_click=_restore,
                  args=(pick.document_id,))


def _open(document_id: int, include_old: bool = True) -> None:
    # a callback: it runs before the page, so the pickers' state may still be set
    state = ui_state()
    state.document_id, state.project_id, state.indicator_id = document_id, None, None
    st.session_state["review_include_old"] = include_old
    for key in ("review_doc", "review_project", "review_row"):
        st.session_state.pop(key, None)


def _restore(document_id: int) -> None:
    restore_version(services(), document_id, who=ui_state().reviewer)
    st.session_state["review_flash"] = f"已将文档 {document_id} 恢复为当前版本。"
    _open(document_id, include_old=False)
