"""Long-lived resources, created once per server process."""

from __future__ import annotations

import streamlit as st

from kernel.settings import Settings, get_settings
from retrieval.services import Services


@st.cache_resource(show_spinner="正在加载索引和向量模型…")
def services() -> Services:
    """The store, index and search for this server, synced once at start."""
    svc = Services(get_settings())
    svc.sync()
    return svc


def settings() -> Settings:
    """The active settings."""
    return get_settings()
