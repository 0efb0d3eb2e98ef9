"""A save never overwrites a change its author did not see; a correction changes only what the person changed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from extractor.api import extract
from kernel.errors import ConflictError
from retrieval.store import queries
from retrieval.store.database import Store
from retrieval.store.edits import project_fields
from retrieval.store.tables import RevisionRow
from usecases import correct

TEXT = ("项目绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t调解案件数\t≥5条\n产出指标\t时效指标\t调解及时率\t≥90%\n")


def stored(url: str) -> tuple[Any, int, int, list[int]]:
    """A store at `url` with one document; services that index nothing (the store is what is checked)."""
    store = Store(url)
    doc_id = store.add_extraction(extract(TEXT.encode(), name="调解.txt")).document_id
    project_id = queries.projects(store, doc_id)[0]["id"]
    ids = [r["id"] for r in queries.indicators(store, project_id)]
    return SimpleNamespace(store=store, refresh_later=lambda doc_id: None), doc_id, project_id, ids


def revisions(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(RevisionRow)) or 0)


def row(store: Store, project_id: int, indicator_id: int) -> dict[str, Any]:
    return next(r for r in queries.indicators(store, project_id) if r["id"] == indicator_id)


@pytest.fixture()
def app(tmp_path: Path) -> tuple[Any, int, int, list[int]]:
    return stored(f"sqlite:///{tmp_path / 'j.db'}")


def two_sessions(url: str) -> None:
    """A and B load one record; A saves; B saves another field (kept both) and then A's field (conflict)."""
    svc, _, project_id, ids = stored(url)
    first = ids[0]
    seen_a = row(svc.store, project_id, first)
    seen_b = dict(seen_a)
    assert not correct.correct_indicators(svc, None, [seen_a], [{**seen_a, "target": "≥6条"}], who="甲").conflicts
    result = correct.correct_indicators(svc, None, [seen_b], [{**seen_b, "basis": "台账"}], who="乙")
    assert result.saved == [first] and not result.conflicts
    now = row(svc.store, project_id, first)
    assert (now["target"], now["basis"]) == ("≥6条", "台账"), "B's save keeps A's change"
    before = revisions(svc.store)
    result = correct.correct_indicators(svc, None, [seen_b], [{**seen_b, "target": "≥7条", "weight": 10}], who="乙")
    assert not result.saved and result.conflicts
    (clash,) = result.conflicts[first]
    assert (clash.field, clash.yours, clash.theirs, clash.who) == ("target", "≥7条", "≥6条", "甲")
    assert clash.at is not None and "他人已改为“≥6条”" in clash.message()
    assert revisions(svc.store) == before
    now = row(svc.store, project_id, first)
    assert (now["target"], now["weight"]) == ("≥6条", None), "nothing of the conflicting record is written"
    # keep mine: the same change made from the record as it is now saves
    again = correct.correct_indicators(svc, None, [now], [{**now, "target": "≥7条"}], who="乙")
    assert again.saved == [first] and row(svc.store, project_id, first)["target"] == "≥7条"


def test_two_sessions_on_one_record(tmp_path: Path) -> None:
    two_sessions(f"sqlite:///{tmp_path / 'j.db'}")


def test_a_stale_base_through_every_use_case_is_a_conflict_and_writes_nothing(tmp_path: Path) -> None:
    stale_everywhere(f"sqlite:///{tmp_path / 'j.db'}")


def stale_everywhere(url: str) -> None:
    """Someone else changes what each use case is about to change: every one raises a conflict, nothing written."""
    svc, doc_id, project_id, ids = stored(url)
    store = svc.store
    seen_row = row(store, project_id, ids[0])
    seen_fields = {"department": None, "fiscal_year": None, **project_fields(store, project_id)}
    seen_ids = list(ids)
    seen_reviewed = False
    # someone else changes everything this person is about to change
    correct.correct_indicators(svc, doc_id, [seen_row], [{**seen_row, "target": "≥8条"}], who="甲")
    correct.correct_fields(svc, doc_id, project_id, {"fiscal_year": 2024}, {"budget_total": 31.0}, who="甲",
                           base=seen_fields)
    added = correct.add_indicator(svc, doc_id, project_id, {"level1": "满意度指标", "name": "群众满意度",
                                                            "target": "≥90%"}, who="甲", seen=seen_ids)
    correct.mark_reviewed(svc, doc_id, who="甲", base=seen_reviewed)
    before, document = revisions(store), store.document(doc_id)

    stale: list[Any] = [
        lambda: correct.correct_fields(svc, doc_id, project_id, {"fiscal_year": 2025}, {}, who="乙", base=seen_fields),
        lambda: correct.correct_fields(svc, doc_id, project_id, {"department": "某局"}, {"budget_total": 32.0},
                                       who="乙", base=seen_fields),
        lambda: correct.add_indicator(svc, doc_id, project_id, {"level1": "满意度指标", "name": "群众满意度"},
                                      who="乙", seen=seen_ids),
        lambda: correct.delete_indicator(svc, doc_id, ids[0], who="乙", base=seen_row),
        lambda: correct.mark_reviewed(svc, doc_id, who="乙", reviewed=True, base=seen_reviewed),
    ]
    for call in stale:
        with pytest.raises(ConflictError) as caught:
            call()
        assert caught.value.conflicts and all(c.who == "甲" for c in caught.value.conflicts)
    assert "已审核：他人已改为“是”（甲，" in str(caught.value)
    result = correct.correct_indicators(svc, doc_id, [seen_row], [{**seen_row, "target": "≥9条"}], who="乙")
    assert list(result.conflicts) == [ids[0]] and not result.saved
    assert revisions(store) == before and store.document(doc_id) == document, "nothing was written"
    assert added in [r["id"] for r in queries.indicators(store, project_id)]


def test_a_field_nobody_else_changed_is_saved_beside_theirs(app: tuple[Any, int, int, list[int]]) -> None:
    svc, doc_id, project_id, _ = app
    seen = {"department": None, "fiscal_year": None, **project_fields(svc.store, project_id)}
    assert correct.correct_fields(svc, doc_id, project_id, {}, {"budget_total": 31.0}, who="甲", base=seen)
    assert correct.correct_fields(svc, doc_id, project_id, {"fiscal_year": "2025"}, {"goal": "化解纠纷"}, who="乙",
                                  base=seen)
    fields = project_fields(svc.store, project_id)
    assert (fields["budget_total"], fields["goal"]) == (31.0, "化解纠纷")
    assert svc.store.document(doc_id).fiscal_year == 2025


def test_a_new_target_keeps_the_unit_and_an_unchanged_save_writes_nothing(app: tuple[Any, int, int, list[int]]
                                                                         ) -> None:
    svc, _, project_id, ids = app
    seen = row(svc.store, project_id, ids[0])
    assert (seen["target"], seen["unit"]) == ("≥5条", "条")
    correct.correct_indicators(svc, None, [seen], [{**seen, "target": "≥6"}], who="甲")
    now = row(svc.store, project_id, ids[0])
    assert (now["target"], now["operator"], now["value"], now["unit"]) == ("≥6", ">=", 6.0, "条")
    saved = revisions(svc.store)
    result = correct.correct_indicators(svc, None, [now], [dict(now)], who="甲")
    assert not result.saved and revisions(svc.store) == saved
    # a unit the person types wins over the parse; a text target has no unit
    correct.correct_indicators(svc, None, [now], [{**now, "target": "≥7", "unit": "件"}], who="甲")
    assert row(svc.store, project_id, ids[0])["unit"] == "件"
    now = row(svc.store, project_id, ids[0])
    correct.correct_indicators(svc, None, [now], [{**now, "target": "及时"}], who="甲")
    assert row(svc.store, project_id, ids[0])["unit"] is None
