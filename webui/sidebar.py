"""Sidebar: who is reviewing, which backends are active (never a key), sign-out."""

from __future__ import annotations

import streamlit as st

from webui.access import logout_button
from webui.resources import services, settings
from webui.state import ui_state


def render() -> None:
    """The sidebar contents."""
    s = settings()
    with st.sidebar:
        ui_state().reviewer = st.text_input("审核人", value=ui_state().reviewer, key="reviewer")
        st.divider()
        st.caption("当前配置")
        backend = s.effective_backend()
        st.markdown(f"- 提取后端：`{backend}`" + (f"（模型 `{s.llm_model}`）" if s.llm_configured else "（离线规则）"))
        st.markdown(f"- 向量模型：`{services().embedder.name}`")
        st.markdown(f"- 索引：`{'Chroma 服务 ' + s.chroma_url if s.chroma_url else 'Chroma 本地目录'}`")
        logout_button()
