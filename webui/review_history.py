"""审核校对: 修改记录 of the shown document and project (fields, budget, rows added and deleted), one field restorable.

A restore is a new correction writing the old value back, made from the value this page shows (the same base check
as any save: someone who changed the field since is a conflict, nothing written).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kernel.errors import ConflictError, CorrectionError
from retrieval.store.history import ROW, Change, FieldLine, project_history
from usecases import correct
from webui.resources import services
from webui.safe import md
from webui.state import ui_state

FLASH_KEY = "history_flash"


def render(doc: dict[str, Any], project_id: int, stored: dict[str, Any], rows: list[int]) -> None:
    """The history expander; `stored` and `rows` are the project's fields and row ids as this run shows them (the
    base of a restore)."""
    changes = project_history(services().store, doc["id"], project_id)
    current = {"department": doc["department"], "fiscal_year": doc["fiscal_year"], **stored, "rows": rows}
    flash = st.session_state.pop(FLASH_KEY, None)
    with st.expander(f"修改记录（{len(changes)}）", expanded=flash is not None):
        if flash:
            (st.success if flash[0] else st.error)(flash[1])
        if not changes:
            st.caption("该文档和项目还没有人工修改（单个指标的修改见所选指标的修改历史）。")
        for change in changes:
            _change(change, doc["id"], project_id, current)


def _change(change: Change, doc_id: int, project_id: int, current: dict[str, Any]) -> None:
    where = {"document": "文档", "project": "项目", "indicator": "指标"}[change.entity]
    st.markdown(f"**{change.at:%Y-%m-%d %H:%M}** · {md(change.who)} · {where}"
                + (f" · {md(change.why)}" if change.why else ""))
    for line in change.lines:
        text, button = st.columns([5, 1])
        text.markdown(f"- {md(line.text)}")
        if line.field == ROW:
            button.button("恢复该指标", key=f"history_restore_{change.revision_id}_row", on_click=_restore_row,
                          args=(line, doc_id, project_id, current["rows"]))
        elif line.field is not None and line.field in current:
            button.button("恢复旧值", key=f"history_restore_{change.revision_id}_{line.field}", on_click=_restore,
                          args=(change.entity, line, doc_id, project_id, current[line.field]))


def _restore_row(line: FieldLine, doc_id: int, project_id: int, seen: list[int]) -> None:
    """Add a deleted row again from its old values (a new row, a new revision)."""
    try:
        correct.add_indicator(services(), doc_id, project_id, dict(line.old), who=ui_state().reviewer,
                              why="从修改记录恢复删除的指标", seen=seen)
    except (CorrectionError, ValueError) as exc:  # a row of that name someone added since is a conflict too
        st.session_state[FLASH_KEY] = (False, f"未恢复：{exc}")
        return
    _reload(project_id, "已恢复删除的指标（记为一次新增）。")


def _reload(project_id: int, message: str) -> None:
    """Say what was restored; the forms start again from the stored record, and their base with it."""
    st.session_state[FLASH_KEY] = (True, message)
    for key in [k for k in st.session_state if str(k).endswith(f"_{project_id}")]:
        del st.session_state[key]


def _restore(entity: str, line: FieldLine, doc_id: int, project_id: int, shown: Any) -> None:
    """Write the old value back as a new revision, made from the value the page showed."""
    if line.field is None:
        return
    changes = {line.field: line.old}
    document, project = (changes, {}) if entity == "document" else ({}, changes)
    try:
        changed = correct.correct_fields(services(), doc_id, project_id, document, project,
                                         who=ui_state().reviewer, why="从修改记录恢复旧值",
                                         base={line.field: shown})
    except ConflictError as exc:
        st.session_state[FLASH_KEY] = (False, "未恢复：" + "；".join(c.message() for c in exc.conflicts))
        return
    except (CorrectionError, ValueError) as exc:
        st.session_state[FLASH_KEY] = (False, f"未恢复：{exc}")
        return
    _reload(project_id, "已恢复旧值（记为一次新的修改）。" if changed else "该字段已是这个值，没有修改。")
