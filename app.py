"""jixiao 绩效 — the Streamlit app. Thin: pages live in webui/, logic in extractor/ and retrieval/."""

from __future__ import annotations

import streamlit as st

from webui import access, ask_page, overview, review, search_page, sidebar, upload

st.set_page_config(page_title="jixiao 绩效", page_icon=":material/analytics:", layout="wide")

if access.login_gate():
    pages = {
        "upload": st.Page(upload.render, title="上传", icon=":material/upload_file:", url_path="upload"),
        "review": st.Page(review.render, title="审核校对", icon=":material/fact_check:", url_path="review"),
        "search": st.Page(search_page.render, title="检索", icon=":material/search:", url_path="search"),
        "ask": st.Page(ask_page.render, title="问答", icon=":material/forum:", url_path="ask"),
        "overview": st.Page(overview.render, title="总览", icon=":material/dashboard:", url_path="overview",
                            default=True),
    }
    st.session_state["pages"] = pages
    navigation = st.navigation(list(pages.values()))
    sidebar.render()
    navigation.run()
