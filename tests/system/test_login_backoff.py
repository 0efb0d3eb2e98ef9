"""Repeated wrong passwords slow down: after a few misses no password is checked until the wait is over."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from webui.access import login_wait

_GATED = "import streamlit as st\nfrom webui import access\nif access.login_gate():\n    st.success('已登录')\n"


def _attempt(at: AppTest, password: str) -> AppTest:
    at.text_input(key="login_password").input(password).run()
    return at.button(key="login_button").click().run()


def test_wait_doubles_after_the_free_attempts() -> None:
    assert [login_wait(n) for n in range(1, 7)] == [0.0, 0.0, 2.0, 4.0, 8.0, 16.0]
    assert login_wait(100) == 300.0


def test_repeated_failures_lock_out_even_the_right_password(app_password: str) -> None:
    at = AppTest.from_string(_GATED, default_timeout=60).run()
    for _ in range(3):
        _attempt(at, "wrong")
    assert any("秒后再试" in e.value for e in at.error)
    _attempt(at, "绩效2026")  # right, but inside the wait: refused unchecked
    assert not at.success and any("错误次数过多" in e.value for e in at.error)
    time.sleep(2.1)
    _attempt(at, "绩效2026")
    assert [s.value for s in at.success] == ["已登录"]
