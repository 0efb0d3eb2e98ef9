"""One typed accessor for Streamlit session state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

_KEY = "jixiao_state"


@dataclass
class UiState:
    """Everything the pages remember between reruns; the review page's selection lives only here."""

    document_id: int | None = None
    project_id: int | None = None
    indicator_id: int | None = None
    reviewer: str = "审核员"
    authenticated: bool = False
    login_failures: int = 0  # wrong passwords in a row, for the backoff in webui/access.py
    login_wait_until: float = 0.0  # time.monotonic() before which no password is checked
    reviewer_from_login: bool = False  # the reviewer name came from the OIDC identity
    last_upload: list[dict[str, Any]] = field(default_factory=list)
    flash: str | None = None

    def show(self, document_id: int | None, project_id: int | None = None, indicator_id: int | None = None) -> None:
        """Point the review page at a record; its pickers, grid, form and panels all read these ids."""
        self.document_id, self.project_id, self.indicator_id = document_id, project_id, indicator_id


def ui_state() -> UiState:
    """The session's UiState (created on first use)."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = UiState()
    state: UiState = st.session_state[_KEY]
    return state
