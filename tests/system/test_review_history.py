"""审核校对 修改记录 and the rest of the base checks in the page: a field restored from the history, a conflict on
deleting or adding a row, a version restore someone else's correction overtook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_pointed_at, app_with_ingested, page
from tests.system.test_review_conflicts import _text
from tests.system.test_review_saves import TEXT, _revisions


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "调解.txt"
    source.write_text(TEXT, encoding="utf-8")
    with app_with_ingested(tmp_path / "data", [source]) as data:
        yield data


def _ids() -> tuple[Any, int, int]:
    from retrieval.store import queries
    from webui.resources import services

    store = services().store
    doc = queries.documents(store)[0]["id"]
    return store, doc, queries.projects(store, doc)[0]["id"]


def _services(data: Path) -> Any:
    from kernel.settings import Settings
    from retrieval.services import Services

    return Services(Settings(data_dir=data))


def test_a_budget_correction_shows_in_the_history_and_one_field_restores(data_dir: Path) -> None:
    from retrieval.store.edits import project_fields

    store, _, pid = _ids()
    at = page("review").run()
    at.text_input(key=f"proj_budget_total_{pid}").set_value("31")
    at.button(key=f"FormSubmitter:fields_{pid}-保存文档与项目信息").click().run()
    assert "预算 30.00 → 31.00" in _text(at), _text(at)
    saved = _revisions(data_dir)
    restore = next(b for b in at.button if str(b.key).startswith("history_restore_") and b.key.endswith("budget_total"))
    restore.click().run()
    assert not at.exception
    assert project_fields(store, pid)["budget_total"] == 30 and _revisions(data_dir) == saved + 1
    assert "已恢复旧值" in _text(at) and "预算 31.00 → 30.00" in _text(at)
    assert at.text_input(key=f"proj_budget_total_{pid}").value == "30", "the form shows the restored value"


def test_restoring_a_field_someone_changed_since_is_a_conflict(data_dir: Path) -> None:
    from usecases import correct

    _, doc, pid = _ids()
    at = page("review").run()
    at.text_input(key=f"proj_budget_total_{pid}").set_value("31")
    at.button(key=f"FormSubmitter:fields_{pid}-保存文档与项目信息").click().run()
    correct.correct_fields(_services(data_dir), doc, pid, {}, {"budget_total": 35}, who="甲",
                           base={"budget_total": 31})
    saved = _revisions(data_dir)
    next(b for b in at.button if str(b.key).endswith("budget_total")).click().run()
    assert "未恢复" in _text(at) and "他人已改为“35”" in _text(at), _text(at)
    assert _revisions(data_dir) == saved


def test_deleting_a_row_someone_corrected_meanwhile_offers_keep_or_take(data_dir: Path) -> None:
    from retrieval.store import queries
    from usecases import correct

    store, doc, pid = _ids()
    at = page("review").run()
    row = at.selectbox(key="review_row").value
    at.checkbox(key=f"delete_sure_{row}").check().run()  # the page now shows the row as it is: the delete's base
    seen = [r for r in queries.indicators(store, pid) if r["id"] == row]
    correct.correct_indicators(_services(data_dir), doc, seen, [{**seen[0], "target": "301"}], who="甲")
    saved = _revisions(data_dir)
    at.button(key=f"delete_{row}").click().run()
    assert not at.exception and "他人已改为“301”" in _text(at), _text(at)
    assert _revisions(data_dir) == saved and row in [r["id"] for r in queries.indicators(store, pid)]
    at.button(key=f"rows_conflict_{pid}_keep").click().run()
    assert not at.exception and row not in [r["id"] for r in queries.indicators(store, pid)]
    assert any(line.text.startswith("删除指标") for c in _history(store, doc, pid) for line in c.lines)
    # the deleted row comes back from 修改记录 as a new row with its values
    at.button(key=f"history_restore_{_history(store, doc, pid)[0].revision_id}_row").click().run()
    assert not at.exception and "已恢复删除的指标" in _text(at), _text(at)
    assert ("调解案件数", "301") in [(r["name"], r["target"]) for r in queries.indicators(store, pid)]


def test_adding_a_row_someone_added_meanwhile_offers_keep_or_take(data_dir: Path) -> None:
    from retrieval.store import queries
    from usecases import correct

    store, doc, pid = _ids()
    at = page("review").run()
    seen = [r["id"] for r in queries.indicators(store, pid)]
    correct.add_indicator(_services(data_dir), doc, pid, {"level1": "效益指标", "name": "满意度", "target": "≥90%"},
                          who="甲", seen=seen)
    at.text_input(key=f"add_level1_{pid}").set_value("效益指标")
    at.text_input(key=f"add_name_{pid}").set_value("满意度")
    at.button(key=f"FormSubmitter:add_{pid}-新增指标").click().run()
    assert not at.exception and "他人已改为“满意度”" in _text(at), _text(at)
    assert len(queries.indicators(store, pid)) == len(seen) + 1
    at.button(key=f"rows_conflict_{pid}_take").click().run()
    assert "他人已改为" not in _text(at) and len(queries.indicators(store, pid)) == len(seen) + 1


def _history(store: Any, doc: int, pid: int) -> Any:
    from retrieval.store.history import project_history

    return project_history(store, doc, pid)


VERSIONS = "from webui import review_versions\nreview_versions.render({doc})\n"


def test_a_version_restore_overtaken_by_a_correction_is_a_conflict(tmp_path: Path) -> None:
    from retrieval.store.versions import versions
    from tests.system.test_version_pages import FORM, _read
    from usecases import correct

    services = _services(tmp_path / "data")
    first = services.store.add_extraction(_read(FORM.format(count="≥300件"), "调解-初稿.txt")).document_id
    second = services.store.add_extraction(_read(FORM.format(count="≥350件"), "调解-定稿.txt")).document_id
    with app_pointed_at(tmp_path / "data"):
        at = AppTest.from_string(VERSIONS.format(doc=second), default_timeout=120).run()
        pid = _projects(services.store, second)[0].id
        correct.correct_fields(services, second, pid, {}, {"budget_total": 40}, who="甲", base={"budget_total": 30})
        saved = _revisions(tmp_path / "data")
        at.button(key=f"version_restore_{first}").click().run()
        assert not at.exception and "未恢复" in _text(at) and "预算 30.00 → 40.00" in _text(at), _text(at)
        assert _revisions(tmp_path / "data") == saved
        assert [v.live for v in versions(services.store, first)] == [False, True], "nothing written"
        at.button(key="version_conflict_keep").click().run()
        assert not at.exception and [v.live for v in versions(services.store, first)] == [True, False]


def _projects(store: Any, doc: int) -> Any:
    from sqlalchemy import select

    from retrieval.store.tables import ProjectRow

    with store.session() as s:
        return list(s.scalars(select(ProjectRow).where(ProjectRow.document_id == doc)))
