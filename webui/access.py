"""Who may use the app: OIDC login when `[auth]` is configured, else a password from the environment, else open."""

from __future__ import annotations

import hmac
import math
import time

import streamlit as st

from webui.resources import settings
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


_FREE_ATTEMPTS = 3  # wrong passwords before the backoff starts
_MAX_WAIT_S = 300.0


def login_wait(failures: int) -> float:
    """Seconds before the next password is checked after `failures` wrong ones in a row (doubling, capped)."""
    return 0.0 if failures < _FREE_ATTEMPTS else min(2.0 ** (failures - _FREE_ATTEMPTS + 1), _MAX_WAIT_S)


def _password() -> str | None:
    secret = settings().app_password  # JIXIAO_APP_PASSWORD, from the environment only
    return secret.get_secret_value() if secret else None


def _password_gate() -> bool:
    expected = _password()
    state = ui_state()
    if not expected or state.authenticated:
        return True
    st.title("jixiao 绩效 · 登录")
    given = st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_button"):
        wait = state.login_wait_until - time.monotonic()
        if wait > 0:  # not even checked: guessing gets slower with every miss
            st.error(f"密码错误次数过多，请 {math.ceil(wait)} 秒后再试")
            return False
        if hmac.compare_digest(given.encode(), expected.encode()):
            state.authenticated, state.login_failures = True, 0
            st.rerun()
        state.login_failures += 1
        delay = login_wait(state.login_failures)
        state.login_wait_until = time.monotonic() + delay
        st.error("密码不正确" + (f"；请 {math.ceil(delay)} 秒后再试" if delay else ""))
    return False


def logout_button() -> None:
    """A sign-out control for whichever login is active (none on open local use)."""
    if oidc_configured() and _logged_in():
        st.button("退出登录", key="oidc_logout", on_click=st.logout)
    elif _password() and ui_state().authenticated and st.button("退出登录", key="logout"):
        ui_state().authenticated = False
        st.rerun()
