"""What differs between two versions, shown as lines a person reads (项目 / 指标：字段 旧 → 新)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retrieval.store.version_diff import FieldChange
from webui.safe import md

SHOWN_LINES = 25  # beyond this the list becomes a table to scroll, not a wall of text


def render(changes: list[FieldChange], old: str, new: str, key: str) -> None:
    """The changes as a list (old → new); a long list also as a full table in an expander."""
    if not changes:
        st.caption(f"{new}与{old}内容相同。")
        return
    st.markdown(f"**{len(changes)} 处不同**（{md(old)} → {md(new)}）：\n"
                + "".join(f"\n- {md(c.line())}" for c in changes[:SHOWN_LINES]))
    if len(changes) > SHOWN_LINES:
        with st.expander(f"全部 {len(changes)} 处不同"):
            st.dataframe(table(changes, old, new), hide_index=True, width="stretch", key=key)


def table(changes: list[FieldChange], old: str, new: str) -> pd.DataFrame:
    """One row per record and field."""
    rows = [{"项目": c.project, "指标": c.indicator or "", "字段": c.field or ("新增" if c.new else "删除"), old: c.old,
             new: c.new} for c in changes]
    return pd.DataFrame(rows, columns=["项目", "指标", "字段", old, new])
