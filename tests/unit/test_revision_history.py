"""修改记录 of a project: field, budget and document corrections, rows added and deleted; restoring one field and
restoring a version both check the base they were made from."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from extractor.api import extract
from extractor.schema import Extraction
from kernel.errors import ConflictError
from retrieval.store import edits
from retrieval.store.database import Store
from retrieval.store.history import project_history
from retrieval.store.tables import RevisionRow
from retrieval.store.versions import lineage_base, restore_version, versions
from tests.corpus.test_version_lineage import both

__all__ = ["both"]  # SQLite and the suite's PostgreSQL: the history query and the restore check are SQL on both

FORM = ("某区司法局2024年度项目支出绩效目标表\n项目名称\t人民调解\n年度资金总额\t1150\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t调解案件数\t≥300件\n"
        "产出指标\t时效指标\t调解及时性\t及时\n")


def _doc(tag: str) -> Extraction:
    result = extract(FORM.encode() + tag.encode(), name="调解.txt")
    assert result.document is not None
    return result


def _ids(store: Store, document_id: int) -> tuple[int, list[int]]:
    document = store.document(document_id)
    assert document is not None
    from retrieval.store import queries

    pid = queries.projects(store, document_id)[0]["id"]
    return pid, [r["id"] for r in queries.indicators(store, pid)]


def _count(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count(RevisionRow.id))) or 0)


def test_history_lists_project_document_and_row_revisions_in_chinese(both: Store) -> None:
    store = both
    doc = store.add_extraction(_doc("#1")).document_id
    pid, rows = _ids(store, doc)
    assert project_history(store, doc, pid) == []
    edits.correct_project(store, pid, {"budget_total": 1200}, who="张三", why="按批复",
                          base={"budget_total": 1150})
    edits.correct_document(store, doc, {"department": "某区司法局（改）"}, who="张三",
                           base={"department": store.document(doc).department})  # type: ignore[union-attr]
    edits.add_indicator(store, pid, {"level1": "效益指标", "name": "群众满意度", "target": "≥95%"}, who="李四",
                        seen=rows)
    edits.delete_indicator(store, rows[1], who="李四", base={})
    history = project_history(store, doc, pid)
    texts = [line.text for change in history for line in change.lines]
    assert texts[0].startswith("删除指标 调解及时性（及时）"), texts
    assert texts[1].startswith("新增指标 群众满意度（≥95%）"), texts
    assert texts[2].startswith("部门 某区司法局 → 某区司法局（改）"), texts
    assert "预算 1,150.00 → 1,200.00" in texts, texts
    budget = next(line for change in history for line in change.lines if line.field == "budget_total")
    assert budget.old == 1150
    assert [c.who for c in history] == ["李四", "李四", "张三", "张三"]
    # an indicator's own field edit is listed with the indicator, not here
    from retrieval.store.concurrency import correct_indicator

    correct_indicator(store, rows[0], {"target": "≥310件"}, who="王五", why=None, base=None)
    assert len(project_history(store, doc, pid)) == 4


def test_restoring_one_field_is_a_new_revision_made_from_what_was_shown(both: Store) -> None:
    store = both
    doc = store.add_extraction(_doc("#1")).document_id
    pid, _ = _ids(store, doc)
    edits.correct_project(store, pid, {"budget_total": 1200}, who="张三", base={"budget_total": 1150})
    edits.correct_fields(store, doc, pid, {}, {"budget_total": 1150}, who="李四", why="从修改记录恢复旧值",
                         base={"budget_total": 1200})
    assert edits.project_fields(store, pid)["budget_total"] == 1150
    assert "预算 1,200.00 → 1,150.00" in project_history(store, doc, pid)[0].lines[0].text
    saved = _count(store)
    with pytest.raises(ConflictError):  # a page still showing 1200 after someone set 1,300
        edits.correct_project(store, pid, {"budget_total": 1300}, who="王五", base={"budget_total": 1150})
        edits.correct_fields(store, doc, pid, {}, {"budget_total": 1150}, who="李四", base={"budget_total": 1200})
    assert _count(store) == saved + 1 and edits.project_fields(store, pid)["budget_total"] == 1300


def test_restoring_a_version_after_someone_corrected_the_current_one_is_a_conflict(both: Store) -> None:
    store = both
    first = store.add_extraction(_doc("#1")).document_id
    second = store.add_extraction(_doc("#2")).document_id
    assert [v.live for v in versions(store, first)] == [False, True]
    base = lineage_base(store, first)  # the page loads
    pid, _ = _ids(store, second)
    edits.correct_project(store, pid, {"budget_total": 1200}, who="张三", base={"budget_total": 1150})
    saved = _count(store)
    with pytest.raises(ConflictError) as caught:
        restore_version(store, first, who="李四", carry=True, base=base)
    [clash] = caught.value.conflicts
    assert clash.who == "张三" and "预算 1,150.00 → 1,200.00" in clash.message()
    assert _count(store) == saved and [v.live for v in versions(store, first)] == [False, True], "nothing written"
    restored = restore_version(store, first, who="李四", carry=True, base=lineage_base(store, first))
    assert restored.replaced == second and any("1,200.00" in c for c in restored.carried)
