"""Sidebar: who is reviewing, which backends are active (never a key), sign-out."""

from __future__ import annotations

import streamlit as st

from webui.access import logout_button
from webui.resources import settings
from webui.state import ui_state


def render() -> None:
    """The sidebar contents."""
    s = settings()
    with st.sidebar:
        ui_state().reviewer = st.text_input("审核人", value=ui_state().reviewer, key="reviewer")
        st.divider()
        st.caption("当前配置")
        extraction = f"大模型（{s.llm_model}）" if s.effective_backend() != "rules" and s.llm_configured else "离线规则"
        st.markdown(f"- 提取方式：{extraction}")
        st.markdown(f"- 语义检索：{'在线向量服务' if s.embedding_backend == 'openai' else '本机向量模型'}")
        st.markdown(f"- 索引：{'检索服务器' if s.chroma_url else '本机目录'}")
        logout_button()
