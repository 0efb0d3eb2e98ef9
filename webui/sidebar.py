"""Sidebar: who is reviewing, which backends are active (never a key), optional password gate."""

from __future__ import annotations

import hmac
import os

import streamlit as st

from webui.resources import services, settings
from webui.state import ui_state


def password_gate() -> bool:
    """True when the user may proceed (no password configured = open localhost use)."""
    expected = os.environ.get("JIXIAO_APP_PASSWORD")
    state = ui_state()
    if not expected or state.authenticated:
        return True
    st.title("jixiao 绩效 · 登录")
    given = st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_button"):
        if hmac.compare_digest(given.encode(), expected.encode()):
            state.authenticated = True
            st.rerun()
        st.error("密码不正确")
    return False


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
