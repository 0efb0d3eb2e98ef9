"""上传: a file that is a new version of a stored document waits for the user's decision.

替换 (the new file becomes the current version; the old one is kept as a version), 作为新版本保留 (the stored
version stays current and the new file joins its lineage as a version a person can restore in 审核校对), or 取消
(nothing is stored). What differs is shown first, field by field; a stored version with page images is never
replaced by a file without them unless the user picks 替换.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from extractor.schema import Extraction
from retrieval.store.versions import VersionDiff
from usecases.ingest import FileOutcome, store_extracted
from webui import changes
from webui.resources import services
from webui.safe import md
from webui.state import ui_state

_PENDING = "upload_pending_versions"
CHOICES = {"replace": "替换旧版本", "keep": "作为新版本保留", "cancel": "取消（不导入）"}


@dataclass
class Pending:
    """A read file that waits for the user's decision."""

    name: str
    data: bytes
    extraction: Extraction
    diffs: list[VersionDiff] = field(default_factory=list)


def hold(name: str, data: bytes, extraction: Extraction, diffs: list[VersionDiff]) -> FileOutcome:
    """Keep a file that would replace stored versions until the user decides (ingest_one's `decide`)."""
    st.session_state.setdefault(_PENDING, []).append(Pending(name, data, extraction, diffs))
    return FileOutcome(name, "pending", "是已导入文件的新版本，请在下方选择如何处理")


def store(name: str, data: bytes, extraction: Extraction, supersede: bool = True) -> FileOutcome:
    """Store and index one extracted file (superseding the versions it replaces, or beside them)."""
    return store_extracted(services(), name, data, extraction, who=ui_state().reviewer, supersede=supersede)


def _describe(d: VersionDiff) -> str:
    parts = [f"已有版本：{md(d.source)}（文档 {d.document_id}）", f"指标 {d.indicators_before} → {d.indicators_after}"]
    if d.reviewed_rows or d.reviewed:
        parts.append(f"已有版本有 {d.reviewed_rows} 行人工校正或审核" + ("，且已标记为已审核" if d.reviewed else ""))
    return "；".join(parts)


def render_pending() -> None:
    """What was decided last, then one decision form per waiting file."""
    for message in st.session_state.pop("upload_decided", []):
        st.success(message)
    pending: list[Pending] = st.session_state.get(_PENDING, [])
    for item in list(pending):
        key = item.extraction.document.sha256[:12] if item.extraction.document else item.name
        with st.container(border=True):
            st.markdown(f"**{item.name}** 是已导入文件的新版本：")
            for d in item.diffs:
                st.markdown(f"- {_describe(d)}")
                changes.render(d.changes, "已有版本", "新文件", f"version_diff_{key}_{d.document_id}")
            loses = any(d.loses_page_images for d in item.diffs)
            if loses:
                st.warning("已有版本是 PDF（审核页可对照原文页面），新文件没有页面图像；"
                           "替换后审核页将无法显示原文页面。")
            careful = loses or any(d.reviewed_rows for d in item.diffs)
            st.radio("如何处理", list(CHOICES), format_func=CHOICES.get, horizontal=True, index=1 if careful else 0,
                     key=f"version_choice_{key}")
            st.button("确定", key=f"version_ok_{key}", on_click=_decide, args=(item, f"version_choice_{key}"))


def _decide(item: Pending, choice_key: str) -> None:
    # a callback: it runs before the page is drawn again, with the radio's current value
    choice = st.session_state.get(choice_key, "cancel")
    pending: list[Pending] = st.session_state.get(_PENDING, [])
    if item in pending:
        pending.remove(item)
    if choice == "cancel":
        outcome = FileOutcome(item.name, "cancelled", "已取消，未导入")
        message = f"{item.name}：已取消，未导入。"
    else:
        outcome = store(item.name, item.data, item.extraction, supersede=choice == "replace")
        message = f"{item.name}：" + ("已替换旧版本（旧版本仍保留，可在审核页恢复）" if outcome.status == "superseded"
                                     else "已作为新版本保留：已有版本仍是当前版本，可在审核页“版本”中打开、对比或恢复")
    st.session_state.setdefault("upload_decided", []).append(message)
    state = ui_state()  # the results list says what was decided, not 等待确认
    state.last_upload = [outcome.__dict__ if o.get("path") == item.name and o.get("status") == "pending" else o
                         for o in state.last_upload]
