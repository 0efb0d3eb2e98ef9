"""One current version per disclosure: keep-both, the v6 migration, restore carrying corrections, field diffs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from extractor.api import extract
from extractor.schema import Extraction
from retrieval.store import queries
from retrieval.store.database import Store
from retrieval.store.edits import add_indicator, correct_document, correct_project
from retrieval.store.migrations import migrate
from retrieval.store.tables import DocumentRow
from retrieval.store.versions import restore_version, versions, would_replace
from tests.conftest import new_database

HEAD = ("某区司法局2024年度项目支出绩效目标表\n项目名称\t人民调解\n年度资金总额\t{budget}\n"
        "一级指标\t二级指标\t三级指标\t指标值\n")
ROWS = "产出指标\t数量指标\t调解案件数\t{count}\n产出指标\t质量指标\t调解成功率\t≥90%\n"


def _form(tag: str, budget: str = "30", count: str = "≥300件", extra: str = "") -> Extraction:
    result = extract((HEAD.format(budget=budget) + ROWS.format(count=count) + extra + tag).encode(), name="调解.txt")
    assert result.document is not None
    return result


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'j.db'}")


@pytest.fixture(params=["sqlite", "postgresql"])
def both(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A fresh store on SQLite or on the suite's PostgreSQL server (the migration runs raw SQL on both)."""
    if request.param == "sqlite":
        return _store(tmp_path)
    return Store(new_database(request.getfixturevalue("postgres_url")))


def test_keep_both_adds_a_version_not_a_second_current_document(both: Store) -> None:
    store = both
    first = store.add_extraction(_form("#1"))
    kept = store.add_extraction(_form("#2", count="≥350件"), supersede=False)
    assert kept.status == "kept"
    assert [d["id"] for d in queries.documents(store)] == [first.document_id]  # one current reading
    assert sum(r["budget_total"] for r in queries.overview(store)) == 30
    assert sum(m["count"] for m in queries.indicator_mix(store)) == 2
    chain = versions(store, kept.document_id)
    assert [(v.document_id, v.live, v.status) for v in chain] == [(first.document_id, True, "ok"),
                                                                   (kept.document_id, False, "kept")]
    restored = restore_version(store, kept.document_id, who="张三")
    assert restored.replaced == first.document_id
    assert [d["id"] for d in queries.documents(store)] == [kept.document_id]


def test_upload_diff_lists_changed_fields_per_record(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_extraction(_form("#1", budget="1150"))
    newer = _form("#2", budget="1200", count="≥350件", extra="满意度指标\t服务对象满意度指标\t当事人满意度\t≥95%\n")
    assert newer.document is not None
    [diff] = would_replace(store, newer.document)
    lines = [c.line() for c in diff.changes]
    assert "人民调解：预算 1,150.00 → 1,200.00" in lines
    assert "人民调解 / 调解案件数：指标值 ≥300件 → ≥350件" in lines
    assert "人民调解 / 当事人满意度：新增" in lines
    assert not any("调解成功率" in line for line in lines)  # unchanged rows are not listed


def test_migration_links_two_current_documents_of_one_disclosure(both: Store) -> None:
    store = both
    first = store.add_extraction(_form("#1"))
    second = store.add_extraction(_form("#2"), supersede=False)
    other = store.add_extraction(extract("某县财政局2024年度项目支出绩效目标表\n项目名称\t预算管理\n年度资金总额\t5\n"
                                         "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t检查次数\t≥2次\n"
                                         .encode(), name="b.txt"))
    with store.engine.begin() as conn:  # what pre-v6 keep-both left: two current documents of one disclosure
        conn.execute(text("UPDATE documents SET superseded_by = NULL, status = 'ok' WHERE id = :i"),
                     {"i": second.document_id})
        conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    assert len(queries.documents(store)) == 3
    assert migrate(store.engine) >= 6
    assert sorted(d["id"] for d in queries.documents(store)) == [second.document_id, other.document_id]
    with store.session() as s:
        old = s.get(DocumentRow, first.document_id)
        assert old is not None and old.superseded_by == second.document_id and old.indexed
    assert [v.live for v in versions(store, first.document_id)] == [False, True]


def test_restore_carries_the_current_corrections_field_by_field(both: Store) -> None:
    store = both
    first = store.add_extraction(_form("#1"))
    second = store.add_extraction(_form("#2", extra="满意度指标\t服务对象满意度指标\t当事人满意度\t≥95%\n"))
    assert second.superseded_id == first.document_id
    project_id = queries.projects(store, second.document_id)[0]["id"]
    rows = {r["name"]: r["id"] for r in queries.indicators(store, project_id)}
    store.correct_indicator(rows["调解案件数"], {"target": "≥320件"}, who="张三", why="原文")
    store.correct_indicator(rows["当事人满意度"], {"target": "≥96%"}, who="张三")
    correct_project(store, project_id, {"budget_total": 32.0}, who="张三")
    add_indicator(store, project_id, {"level1": "产出指标", "level2": "数量指标", "name": "培训次数",
                                      "target": "≥4次"}, who="张三")
    correct_document(store, second.document_id, {"department": "某区司法局（更正）"}, who="张三")
    restored = restore_version(store, first.document_id, who="李四", carry=True)
    assert restored.replaced == second.document_id
    assert "文档：部门 某区司法局 → 某区司法局（更正）" in restored.carried
    assert "人民调解 / 调解案件数：指标值 ≥300件 → ≥320件" in restored.carried
    assert "人民调解：预算 30.00 → 32.00" in restored.carried
    assert "人民调解 / 培训次数：新增指标" in restored.carried
    assert restored.missed == ["人民调解 / 当事人满意度：该版本没有此指标"]
    doc = store.document(first.document_id)
    assert doc is not None
    [project] = doc.projects
    got = {i.name: i for i in project.indicators}
    assert doc.department == "某区司法局（更正）"
    assert project.budget.total == 32.0 and got["调解案件数"].target == "≥320件" and got["调解案件数"].value == 320
    assert got["调解案件数"].origin == "human" and got["调解成功率"].origin != "human" and "培训次数" in got
    carried_doc, rev = store.revisions("document", first.document_id)  # the department carried, then the restore
    assert carried_doc.new == {"department": "某区司法局（更正）"} and carried_doc.origin == "human"
    assert rev.who == "李四" and rev.new["carried"] == len(restored.carried) == 4
    assert rev.new["not_carried"] == restored.missed


def test_restore_without_carry_leaves_the_old_values(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = store.add_extraction(_form("#1"))
    second = store.add_extraction(_form("#2"))
    project_id = queries.projects(store, second.document_id)[0]["id"]
    store.correct_indicator(queries.indicators(store, project_id)[0]["id"], {"target": "≥320件"}, who="张三")
    restored = restore_version(store, first.document_id, who="李四")
    assert restored.carried == [] and restored.missed == []
    doc = store.document(first.document_id)
    assert doc is not None and doc.projects[0].indicators[0].target == "≥300件"


def test_search_ask_and_index_read_only_the_current_version_after_keep_both(tmp_path: Path) -> None:
    from kernel.settings import Settings
    from retrieval.ask import answer
    from retrieval.services import Services
    from usecases.ingest import store_extracted

    services = Services(Settings(data_dir=tmp_path / "data"))
    first = store_extracted(services, "调解.txt", b"v1", _form("#1"))
    kept = store_extracted(services, "调解.txt", b"v2", _form("#2", count="≥350件"), supersede=False)
    assert kept.status == "kept" and kept.document_id != first.document_id
    assert {r.metadata["document_id"] for r in services.records()} == {first.document_id}
    assert services.check().clean  # the kept version was never indexed
    hits = services.searcher.search("调解案件数", top_k=10)
    assert hits and {h.document_id for h in hits} == {first.document_id}
    reply = answer("人民调解项目的预算是多少？", services)
    assert "找到 1 个" in reply.answer and "30.00 万元" in reply.answer, reply.answer  # not two current documents
    assert len(reply.citations) == 1 and "第 ?" not in reply.answer
