"""Two review pages on one record (two Streamlit sessions): the stale one gets a conflict it resolves in one click."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import app_with_ingested, page
from tests.system.test_review_saves import TEXT, _revisions


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "调解.txt"
    source.write_text(TEXT.replace("\t300\t件", "\t≥5条\t条"), encoding="utf-8")
    with app_with_ingested(tmp_path / "data", [source]) as data:
        yield data


def _open() -> tuple[Any, int]:
    at = page("review").run()
    ind_id = at.selectbox(key="review_row").value
    return at, ind_id


def _save(at: Any, ind_id: int, **values: str) -> Any:
    for field, value in values.items():
        at.text_input(key=f"edit_{ind_id}_{field}").set_value(value)
    return at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()


def _text(at: Any) -> str:
    return " ".join(e.value for e in (*at.error, *at.markdown, *at.success, *at.info))


def test_a_stale_page_gets_a_conflict_and_keeps_or_takes_in_one_click(data_dir: Path) -> None:
    a, ind_id = _open()
    b, same = _open()
    assert same == ind_id
    _save(a, ind_id, target="≥6条")
    assert any("已保存" in s.value for s in a.success)
    saved = _revisions(data_dir)
    _save(b, ind_id, target="≥7条")
    assert not b.exception
    shown = _text(b)
    assert "他人已改为“≥6条”" in shown and "你的值“≥7条”" in shown, shown
    assert _revisions(data_dir) == saved, "nothing written on a conflict"
    b.button(key=f"edit_{ind_id}_conflict_take").click().run()
    assert b.text_input(key=f"edit_{ind_id}_target").value == "≥6条", "take theirs reloads the record"
    # B now works from A's value; A, still on its old screen, changes the target again and conflicts
    _save(b, ind_id, basis="台账")
    _save(a, ind_id, target="≥8条")
    assert "已改为" not in _text(a) and any("已保存" in s.value for s in a.success), "a field B did not touch"
    _save(b, ind_id, target="≥9条")
    assert "他人已改为“≥8条”" in _text(b)
    b.button(key=f"edit_{ind_id}_conflict_keep").click().run()
    assert not b.exception and any("已保存" in s.value for s in b.success)
    assert b.text_input(key=f"edit_{ind_id}_target").value == "≥9条"
    assert b.text_input(key=f"edit_{ind_id}_basis").value == "台账"


def test_a_new_target_keeps_the_unit_and_the_form_shows_what_was_saved(data_dir: Path) -> None:
    at, ind_id = _open()
    assert at.text_input(key=f"edit_{ind_id}_unit").value == "条"
    _save(at, ind_id, target="≥6", why="原件为6")
    assert at.text_input(key=f"edit_{ind_id}_unit").value == "条"
    assert at.text_input(key=f"edit_{ind_id}_why").value == "", "修改原因 is emptied after a save"
    saved = _revisions(data_dir)
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert any("没有修改" in i.value for i in at.info)
    assert _revisions(data_dir) == saved


def test_a_stale_project_form_gets_a_conflict(data_dir: Path) -> None:
    a, _ = _open()
    b, _ = _open()
    pid = next(k for k in (w.key for w in a.text_input) if k and k.startswith("proj_name_")).removeprefix("proj_name_")
    submit = f"FormSubmitter:fields_{pid}-保存文档与项目信息"
    a.text_input(key=f"proj_budget_total_{pid}").set_value("31")
    a.button(key=submit).click().run()
    assert any("已保存文档与项目信息" in s.value for s in a.success)
    saved = _revisions(data_dir)
    b.text_input(key=f"proj_budget_total_{pid}").set_value("32")
    b.text_input(key=f"proj_goal_{pid}").set_value("化解纠纷")
    b.button(key=submit).click().run()
    assert "他人已改为“31”" in _text(b) and _revisions(data_dir) == saved
    b.button(key=f"fields_conflict_{pid}_keep").click().run()
    assert any("已保存文档与项目信息" in s.value for s in b.success)
    assert b.text_input(key=f"proj_budget_total_{pid}").value == "32"
    assert b.text_input(key=f"proj_goal_{pid}").value == "化解纠纷"


GRID = """
import json
import streamlit as st
from webui import review_edits
if not st.session_state.get("saved"):
    st.session_state["saved"] = True
    base = json.loads({base!r})
    review_edits.save_grid({doc}, {pid}, base, [{{**base[0], "target": "≥7条"}}, {{**base[1], "basis": "台账"}}], None)
review_edits.grid_conflict({doc}, {pid})
"""


def test_grid_rows_someone_changed_meanwhile_wait_as_a_conflict(data_dir: Path) -> None:
    import json

    from streamlit.testing.v1 import AppTest

    from kernel.settings import Settings
    from retrieval.services import Services
    from retrieval.store import queries
    from usecases import correct
    from webui.resources import services

    store = services().store
    doc = queries.documents(store)[0]["id"]
    pid = queries.projects(store, doc)[0]["id"]
    seen = [{k: r[k] for k in ("id", "name", "target", "unit", "basis")} for r in queries.indicators(store, pid)]
    correct.correct_indicators(Services(Settings(data_dir=data_dir)), None, seen, [{**seen[0], "target": "≥6条"}],
                               who="甲")
    at = AppTest.from_string(GRID.format(base=json.dumps(seen, ensure_ascii=False), doc=doc, pid=pid),
                             default_timeout=120).run()
    assert not at.exception
    assert "他人已改为“≥6条”" in _text(at) and f"指标 {seen[0]['id']}" in _text(at)
    assert [r["basis"] for r in queries.indicators(store, pid)][1] == "台账", "the row nobody else changed is saved"
    at.button(key=f"editor_conflict_{pid}_keep").click().run()
    assert not at.exception and queries.indicators(store, pid)[0]["target"] == "≥7条"
    assert "他人已改为" not in _text(at), "the conflict is resolved"
