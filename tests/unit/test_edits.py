"""Corrections beyond indicator cells: document and project fields, added and deleted rows, each a revision."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.api import extract
from kernel.errors import CorrectionError
from retrieval.store.database import Store
from retrieval.store.edits import add_indicator, correct_document, correct_project, delete_indicator

TEXT = ("项目绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t调解案件数\t≥300件\n产出指标\t数量指标\t错误的行\t1\n")


@pytest.fixture()
def stored(tmp_path: Path) -> tuple[Store, int]:
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    outcome = store.add_extraction(extract(TEXT.encode(), name="调解.txt"))
    return store, outcome.document_id


def test_document_and_project_fields_are_corrected_as_revisions(stored: tuple[Store, int]) -> None:
    store, doc_id = stored
    assert correct_document(store, doc_id, {"department": "某区司法局", "fiscal_year": "2025"}, who="张三", why="原件")
    assert not correct_document(store, doc_id, {"department": "某区司法局"}, who="张三")  # nothing changed
    doc = store.document(doc_id)
    assert doc is not None and (doc.department, doc.fiscal_year) == ("某区司法局", 2025)
    project_id = _project_id(store, doc_id)
    assert correct_project(store, project_id, {"name": "人民调解经费", "kind": "project", "budget_fiscal": 25.5,
                                               "goal": "化解矛盾纠纷"}, who="张三")
    [project] = store.document(doc_id).projects  # type: ignore[union-attr]
    assert (project.name, project.budget.fiscal, project.goal) == ("人民调解经费", 25.5, "化解矛盾纠纷")
    [rev] = store.revisions("project", project_id)
    assert rev.old["name"] == "人民调解" and rev.new["name"] == "人民调解经费" and rev.who == "张三"
    with pytest.raises(CorrectionError):
        correct_project(store, project_id, {"kind": "其他"}, who="张三")
    with pytest.raises(CorrectionError):
        correct_document(store, doc_id, {"fiscal_year": "明年"}, who="张三")


def test_indicator_rows_are_added_and_deleted_with_their_values_kept(stored: tuple[Store, int]) -> None:
    store, doc_id = stored
    project_id = _project_id(store, doc_id)
    new_id = add_indicator(store, project_id, {"level1": "满意度指标", "level2": "服务对象满意度指标",
                                               "name": "当事人满意度", "target": "≥95%"}, who="李四")
    [project] = store.document(doc_id).projects  # type: ignore[union-attr]
    added = project.indicators[-1]
    assert (added.name, added.operator, added.value, added.unit, added.origin) == (
        "当事人满意度", ">=", 95, "%", "human")
    wrong = _indicator_ids(store, project_id)[1]
    assert wrong != new_id
    delete_indicator(store, wrong, who="李四", why="多读的一行")
    names = [i.name for i in store.document(doc_id).projects[0].indicators]  # type: ignore[union-attr]
    assert names == ["调解案件数", "当事人满意度"]
    [rev] = store.revisions("indicator", wrong)
    assert rev.new == {} and rev.old["name"] == "错误的行" and rev.why == "多读的一行"
    with pytest.raises(CorrectionError):
        add_indicator(store, project_id, {"level1": "产出指标", "name": ""}, who="李四")


def _project_id(store: Store, doc_id: int) -> int:
    from retrieval.store import queries

    return int(queries.projects(store, doc_id)[0]["id"])


def _indicator_ids(store: Store, project_id: int) -> list[int]:
    from retrieval.store import queries

    return [int(r["id"]) for r in queries.indicators(store, project_id)]
