"""Who may use the app: OIDC login when `[auth]` is configured, else a password from the environment, else open."""

from __future__ import annotations

import hmac
import os

import streamlit as st

from webui.state import ui_state


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml holds an [auth] section (Streamlit's OIDC login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answer False
        return False


def login_gate() -> bool:
    """True when the user may proceed; otherwise draws the login page (no login configured = open local use)."""
    if oidc_configured():
        return _oidc_gate()
    return _password_gate()


def _logged_in() -> bool:
    # st.user is a mapping; before any login (and under AppTest) "is_logged_in" may be absent.
    return bool(st.user.get("is_logged_in", False))


def _oidc_gate() -> bool:
    if _logged_in():
        state = ui_state()
        if not state.reviewer_from_login:
            # Revisions record who corrected what: the identity provider's name beats a typed one.
            state.reviewer = str(st.user.get("name") or st.user.get("email") or state.reviewer)
            state.reviewer_from_login = True
        return True
    st.title("jixiao 绩效 · 登录")
    st.caption("本系统已启用单位统一身份认证。")
    st.button("使用单位账号登录", key="oidc_login", on_click=st.login)
    return False


def _password_gate() -> bool:
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


def logout_button() -> None:
    """A sign-out control for whichever login is active (none on open local use)."""
    if oidc_configured() and _logged_in():
        st.button("退出登录", key="oidc_logout", on_click=st.logout)
    elif os.environ.get("JIXIAO_APP_PASSWORD") and ui_state().authenticated and st.button("退出登录", key="logout"):
        ui_state().authenticated = False
        st.rerun()
