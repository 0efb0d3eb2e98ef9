"""jixiao 绩效 — the Streamlit app. Thin: pages live in webui/, logic in extractor/ and retrieval/."""

from __future__ import annotations

import streamlit as st

from webui import access, ask_page, overview, review, search_page, sidebar, upload, warmup

st.set_page_config(page_title="jixiao 绩效", page_icon=":material/analytics:", layout="wide")

if access.login_gate():
    warmup.start()  # search models load in the background while the first page renders
    pages = {
        "overview": st.Page(overview.render, title="总览", icon=":material/dashboard:", url_path="home",
                            default=True),
        "upload": st.Page(upload.render, title="上传", icon=":material/upload_file:", url_path="upload"),
        "review": st.Page(review.render, title="审核校对", icon=":material/fact_check:", url_path="review"),
        "search": st.Page(search_page.render, title="检索", icon=":material/search:", url_path="search"),
        "ask": st.Page(ask_page.render, title="问答", icon=":material/forum:", url_path="ask"),
    }
    # The default page is served at "/", never at its own path: /overview is the same page under its name.
    overview_by_url = st.Page(overview.render, title="总览", icon=":material/dashboard:", url_path="overview",
                              visibility="hidden")
    st.session_state["pages"] = pages
    navigation = st.navigation([*pages.values(), overview_by_url])
    sidebar.render()
    navigation.run()
