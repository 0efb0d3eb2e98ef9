"""审核校对: the versions of the open document — open an old one, compare it with the current one, restore it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kernel.errors import ConflictError
from retrieval.store.version_diff import FieldChange, record_changes
from retrieval.store.versions import Version, lineage_base, versions
from usecases.versions import restore_version
from webui import changes
from webui.resources import services
from webui.safe import md
from webui.state import ui_state

CARRY_KEY = "version_carry"
CONFLICT_KEY = "version_conflict"


def compare(store: Any, live: Version, other: Version) -> list[FieldChange]:
    """What the chosen version changes against the current one, record by record and field by field."""
    a, b = store.document(live.document_id), store.document(other.document_id)
    return [] if a is None or b is None else record_changes(a, b)


def _mark(v: Version) -> str:
    if v.live:
        return "当前版本"
    if v.status == "kept":
        return "上传时作为新版本保留（非当前）"
    return f"已被文档 {v.superseded_by} 替换"


def render(doc_id: int) -> None:
    """An expander listing every stored version of this document, with 打开 / 对比 / 恢复为当前版本."""
    store = services().store
    chain = versions(store, doc_id)
    if len(chain) < 2:
        return
    live = next((v for v in chain if v.live), chain[-1])
    with st.expander(f"版本（{len(chain)}）", expanded=CONFLICT_KEY in st.session_state):
        for v in chain:
            st.markdown(f"- 文档 {v.document_id} · {v.source} · {v.created_at} · {v.indicators} 个指标 · {_mark(v)}"
                        + (" · 已审核" if v.reviewed else ""))
        others = [v for v in chain if not v.live]
        if not others:
            return
        pick = st.selectbox("选择版本", others, key=f"version_pick_{doc_id}",
                            format_func=lambda v: f"文档 {v.document_id} · {v.source} · {v.created_at} · {_mark(v)}")
        changes.render(compare(store, live, pick), f"当前版本（文档 {live.document_id}）",
                       f"该版本（文档 {pick.document_id}）", f"version_cmp_{doc_id}")
        st.checkbox("恢复时沿用当前版本的人工校正（逐字段，仅限该版本中仍有的项目和指标）", value=True, key=CARRY_KEY)
        c1, c2 = st.columns(2)
        c1.button("打开该版本", key=f"version_open_{pick.document_id}", on_click=_open, args=(pick.document_id,))
        # the base is what this run shows: a click restores only if nobody changed the disclosure since
        base = lineage_base(store, doc_id)
        c2.button("恢复为当前版本", key=f"version_restore_{pick.document_id}", on_click=_restore,
                  args=(pick.document_id, base))
        _conflict(base)


def _open(document_id: int) -> None:
    # a callback: it runs before the page, and the pickers are drawn from the state, so they name this version
    ui_state().show(document_id)


def _conflict(base: int) -> None:
    """A restore someone else's change overtook: restore anyway (from what is now shown) or leave it."""
    pending = st.session_state.get(CONFLICT_KEY)
    if not pending:
        return
    st.error("未恢复：在你打开之后，他人修改了这份文件的版本或校正。请先查看上面的差异和修改记录。")
    st.markdown("".join(f"\n- {md(c.message())}" for c in pending["conflicts"]))
    keep, take = st.columns(2)
    keep.button("仍然恢复该版本", key=f"{CONFLICT_KEY}_keep", type="primary", on_click=_restore,
                args=(pending["document_id"], base))
    take.button("不恢复，保留他人的修改", key=f"{CONFLICT_KEY}_take", on_click=st.session_state.pop,
                args=(CONFLICT_KEY, None))


def _restore(document_id: int, base: int) -> None:
    carry = bool(st.session_state.get(CARRY_KEY, True))
    st.session_state.pop(CONFLICT_KEY, None)
    try:
        done = restore_version(services(), document_id, who=ui_state().reviewer, carry=carry, base=base)
    except ConflictError as exc:
        st.session_state[CONFLICT_KEY] = {"document_id": document_id, "conflicts": exc.conflicts}
        return
    message = f"已将文档 {document_id} 恢复为当前版本。"
    if carry:
        message += (f"沿用了 {len(done.carried)} 处人工校正：" + "".join(f"\n- {md(c)}" for c in done.carried)
                    if done.carried else "当前版本没有可沿用的人工校正。")
        if done.missed:
            message += "\n\n无法沿用：" + "".join(f"\n- {md(c)}" for c in done.missed)
    st.session_state["review_flash"] = message
    _open(document_id)
