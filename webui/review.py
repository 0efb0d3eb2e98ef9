"""审核校对: pick a document and project, edit its indicators next to the source page, save as revisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from extractor.export import to_csv, to_xlsx
from extractor.page_images import page_image
from extractor.quality import REVIEW_BELOW_CONFIDENCE
from extractor.schema import EDITABLE_INDICATOR_FIELDS, INDICATOR_LABELS, Document
from retrieval.store import queries
from retrieval.store.corrections import EDITABLE, as_gold
from retrieval.store.edits import project_fields
from usecases import correct
from webui import audit_panel, review_edits, review_history, review_queue, review_versions
from webui.resources import services
from webui.safe import dotted, inline_image, md
from webui.state import ui_state

ORIGIN_LABELS = {"rules": "规则", "llm": "模型", "human": "人工"}
COLUMN_LABELS = {f: INDICATOR_LABELS[f] for f in (*EDITABLE_INDICATOR_FIELDS, "origin", "page")}


def _doc_label(d: dict[str, Any]) -> str:
    flag = ("⚠需人工审核" if d["needs_review"] and not d["reviewed"] else
            "有待审核" if d["low_confidence"] or d["unmapped"] else "")
    version = {"superseded": "旧版本", "kept": "保留的版本（非当前）"}.get(d["status"])
    reviewed = "已审核" if d["reviewed"] else ""
    return dotted(d["source"], d["department"] or "未识别部门", d["fiscal_year"], flag, reviewed, version)


def _project_label(p: dict[str, Any]) -> str:
    budget = f"，预算 {p['budget_total']} 万元" if p["budget_total"] is not None else ""
    return f"{p['name']}（{p['indicators']} 个指标{budget}）"


def _picker(label: str, items: list[dict[str, Any]], current: int | None, key: str, fmt: Any, on_change: Any
            ) -> dict[str, Any]:
    """A selectbox over row ids drawn from UiState: the widget is pointed at the state's choice before it is drawn,
    and a person's pick goes back into the state, so every picker names what the page shows."""
    by_id = {item["id"]: item for item in items}
    ids = list(by_id)
    st.session_state[key] = current if current in by_id else ids[0]
    chosen = st.selectbox(label, ids, key=key, format_func=lambda i: fmt(by_id[i]) if i in by_id else str(i),
                          on_change=on_change)
    return dict(by_id[chosen])


def _picked_document() -> None:
    ui_state().show(st.session_state.get("review_doc"))


def _picked_project() -> None:
    state = ui_state()
    state.project_id, state.indicator_id = st.session_state.get("review_project"), None


def _picked_row() -> None:
    ui_state().indicator_id = st.session_state.get("review_row")


def _pick_document() -> dict[str, Any] | None:
    old = st.checkbox("显示旧版本", key="review_include_old")
    store = services().store
    docs = queries.review_first(queries.documents(store, include_superseded=old))
    state = ui_state()
    if state.document_id is not None and state.document_id not in {d["id"] for d in docs}:
        # an opened old version is listed even with 显示旧版本 off: the picker names what the page shows
        docs += [d for d in queries.documents(store, include_superseded=True) if d["id"] == state.document_id]
    if not docs:
        st.info("还没有导入任何文件。请先在“上传”页导入。")
        return None
    doc = _picker("文档", docs, state.document_id, "review_doc", _doc_label, _picked_document)
    if doc["id"] != state.document_id:
        state.show(doc["id"])
    return doc


def _pick_project(doc_id: int) -> dict[str, Any] | None:
    projects = queries.projects(services().store, doc_id)
    if not projects:
        st.warning("该文档中没有找到绩效目标表。")
        return None
    state = ui_state()
    project = _picker("项目", projects, state.project_id, "review_project", _project_label, _picked_project)
    if project["id"] != state.project_id:
        state.project_id, state.indicator_id = project["id"], None
    return project


def _browse(rows: list[dict[str, Any]], project_id: int) -> None:
    """The indicators read-only: clicking a row points the row picker and the page highlight at it."""
    frame = _grid(rows)
    event = st.dataframe(frame, key=f"browse_{project_id}", hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row",
                         column_config={"flag": st.column_config.TextColumn("", width="small"),
                                        "confidence": st.column_config.NumberColumn("置信度", format="%.2f"),
                                        **COLUMN_LABELS})
    picked = picked_indicator(frame, list(getattr(getattr(event, "selection", None), "rows", []) or []))
    if picked is not None and picked != ui_state().indicator_id:
        ui_state().indicator_id = picked  # the row picker below is drawn from the state: it names the clicked row


def picked_indicator(frame: pd.DataFrame, selected_rows: list[int]) -> int | None:
    """The indicator id of the clicked grid row (positions count in the shown order), if any."""
    return int(frame.index[selected_rows[0]]) if selected_rows and selected_rows[0] < len(frame) else None


def _grid(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["flag"] = ["⚠" if r["confidence"] < REVIEW_BELOW_CONFIDENCE and r["origin"] != "human"
                     else ("✓" if r["reviewed"] else "") for r in rows]
    # Low-confidence rows first: that is where review time pays off.
    frame["_order"] = [0 if f == "⚠" else 1 for f in frame["flag"]]
    frame = frame.sort_values(["_order", "id"]).drop(columns=["_order"])
    frame["origin"] = frame["origin"].map(ORIGIN_LABELS).fillna(frame["origin"])
    # The row id is the (hidden) index: the key for saving, not something a reviewer reads.
    return frame[["flag", "id", *EDITABLE, "confidence", "origin", "page"]].set_index("id")


def render() -> None:
    """The review page."""
    st.header("审核校对")
    if flash := st.session_state.pop("review_flash", None):
        st.success(flash)
    review_queue.render()
    doc = _pick_document()
    if doc is None:
        return
    if doc["status"] in ("superseded", "kept"):
        st.info("这不是当前版本（总览、检索、问答和审核意见只读当前版本）；可在下方“版本”中对比或恢复为当前版本。")
    review_versions.render(doc["id"])
    if doc["needs_review"] and not doc["reviewed"]:
        st.warning("提取结果需人工审核：" + "；".join(doc["review_reasons"]))
    for err in doc["errors"]:
        st.warning(f"提取问题：{err}")
    if doc["unmapped"]:
        st.warning(f"有 {doc['unmapped']} 行无法自动映射，请对照原文检查。")
    project = _pick_project(doc["id"])
    if project is None:
        return
    svc = services()
    rows = queries.indicators(svc.store, project["id"])
    left, right = st.columns([3, 2])
    with left:
        st.caption(f"年度目标：{md(project['goal'] or '—')}")
        mode = st.segmented_control("表格", ["浏览", "批量编辑"], default="浏览", key="review_grid_mode")
        if mode == "批量编辑":
            loaded = review_edits.loaded(f"editor_base_{project['id']}", {"rows": rows}, f"editor_{project['id']}")
            edited = st.data_editor(_grid(loaded["rows"]), key=f"editor_{project['id']}", hide_index=True,
                                    width="stretch",
                                    disabled=["flag", "confidence", "origin", "page"],
                                    column_config={"flag": st.column_config.TextColumn("", width="small"),
                                                   "confidence": st.column_config.NumberColumn("置信度", format="%.2f"),
                                                   **COLUMN_LABELS})
            why = st.text_input("修改原因（可选）", key="review_why")
            if st.button("保存修改", type="primary", key="save_edits"):
                review_edits.save_grid(doc["id"], project["id"], loaded["rows"],
                                       edited.reset_index().to_dict("records"), why or None)
            review_edits.grid_conflict(doc["id"], project["id"])
        else:
            _browse(rows, project["id"])
        ids = [r["id"] for r in rows]
        state = ui_state()
        if ids:
            # every picker reads UiState, so the row picker never holds a row id of another document (the
            # StopIteration in the edit form after opening an old version)
            chosen = _picker("定位指标（在原文中高亮）", rows, state.indicator_id, "review_row",
                             lambda r: r["name"] or f"#{r['id']}", _picked_row)
            state.indicator_id = chosen["id"]
            review_edits.indicator_form(rows, chosen["id"])
            _history(chosen["id"])
        stored = project_fields(svc.store, project["id"])
        review_edits.render(doc, project, stored, state.indicator_id if ids else None)
        review_history.render(doc, project["id"], stored, ids)
    with right:
        audit_panel.render(doc["id"], project, rows)  # after the saves above, so it shows the corrected values
        _source(doc, project, next((r for r in rows if r["id"] == ui_state().indicator_id), None))
    _actions(doc)


def _history(indicator_id: int) -> None:
    revisions = services().store.revisions("indicator", indicator_id)
    with st.expander(f"修改历史（{len(revisions)}）"):
        for rev in revisions:
            changes = queries.change_lines(rev.old, rev.new)
            st.markdown(f"- {dotted(f'{rev.at:%Y-%m-%d %H:%M}', md(rev.who), md(rev.why))}\n  "
                        + "；".join(md(c) for c in changes))


@st.cache_data(show_spinner=False, max_entries=256)
def _is_pdf(sha256: str) -> bool:
    """Whether a stored file has pages to show (files are stored by content hash: the answer never changes)."""
    data = services().blobs.get(sha256)
    return data is not None and data.startswith(b"%PDF")


@st.cache_data(show_spinner=False, max_entries=64)
def _page_png(sha256: str, page: int, dpi: int, highlight: tuple[float, ...] | None) -> bytes:
    """One page with a row outlined, drawn once per file, page, zoom and box: a save's rerun shows the same image."""
    return page_image(services().blobs.get(sha256) or b"", page, dpi=dpi, highlight=list(highlight or ()) or None)


def _source(doc: dict[str, Any], project: dict[str, Any], row: dict[str, Any] | None) -> None:
    if not _is_pdf(doc["sha256"]):
        st.info("该文件格式没有页面图像；请对照左侧表格审核。")
        return
    page = (row or {}).get("page") or project.get("page") or 1
    zoom = st.select_slider("页面缩放", options=[100, 150, 200, 300], value=100, key="review_zoom",
                            format_func=lambda z: f"{z}%")
    # a zoomed page is rendered sharper, and scrolls inside its frame
    box = (row or {}).get("bbox")
    png = _page_png(doc["sha256"], int(page), min(300, 110 * zoom // 100), tuple(box) if box else None)
    inline_image(png, f"{doc['source']} 第 {page} 页", zoom)


def _actions(doc: dict[str, Any]) -> None:
    svc = services()
    st.divider()
    cols = st.columns(4)
    if cols[0].button("标记为已审核" if not doc["reviewed"] else "取消已审核", key="mark_reviewed"):
        correct.mark_reviewed(svc, doc["id"], who=ui_state().reviewer, reviewed=not doc["reviewed"],
                              base=doc["reviewed"])
        st.rerun()
    # Each export is written when its button is clicked, from the stored document then, not on every run:
    # building the three files took ~0.15 s of every run of the page (a save's rerun too). A download changes
    # nothing, so it does not rerun the page: a rerun would retire the other buttons' files while being clicked.
    stem = doc["source"].rsplit(".", 1)[0]
    cols[1].download_button("导出为金标准 JSON", _export(doc["id"], lambda d: as_gold(d).model_dump_json(indent=1)),
                            file_name=f"{stem}.gold.json", mime="application/json", key="dl_gold", on_click="ignore")
    cols[2].download_button("导出 CSV", _export(doc["id"], lambda d: to_csv([d])), file_name=f"{stem}.csv",
                            mime="text/csv", key="dl_csv", on_click="ignore")
    cols[3].download_button("导出 XLSX", _export(doc["id"], lambda d: to_xlsx([d])), file_name=f"{stem}.xlsx",
                            key="dl_xlsx", on_click="ignore",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _export(doc_id: int, write: Callable[[Document], str | bytes]) -> Callable[[], bytes]:
    """A download's contents, made on click (a callable keeps Streamlit from building it on each run)."""
    store = services().store

    def build() -> bytes:
        document = store.document(doc_id)
        data = b"" if document is None else write(document)
        return data.encode("utf-8") if isinstance(data, str) else data
    return build
