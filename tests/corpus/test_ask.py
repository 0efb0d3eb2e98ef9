"""Offline questions on the ingested sample corpus: the issue's examples, chat follow-ups, the QA eval floor."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from eval.qa_eval import check_qa_floors, load_questions, run_qa_eval
from kernel.errors import AskError
from kernel.settings import Settings
from retrieval.ask import Answer, answer
from retrieval.services import Services
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow
from usecases.batch import ingest_paths

ROOT = Path(__file__).resolve().parents[2]
QA = ROOT / "eval" / "qa"
_SHARED: dict[str, Services] = {}


def corpus_services(corpus: Path) -> Services:
    """The four sample PDFs ingested once per test run (the LLM tests reuse them): ~1 min on two cores."""
    if "services" not in _SHARED:
        data = Path(tempfile.mkdtemp(prefix="jixiao-ask-"))
        atexit.register(shutil.rmtree, data, ignore_errors=True)
        # Rules only and no LLM, whatever the environment sets: the answers below are offline answers.
        svc = Services(Settings(data_dir=data, backend="rules", llm_base_url=None, llm_model=None))
        outcomes = ingest_paths(svc, sorted((corpus / "pdf").glob("*.pdf")))
        assert [o.status for o in outcomes] == ["new"] * 4
        _SHARED["services"] = svc
    return _SHARED["services"]


@pytest.fixture(scope="module")
def services(corpus: Path) -> Services:
    return corpus_services(corpus)


def projects_of(a: Answer) -> dict[str, Any]:
    """Project name -> budget of the answer's table rows."""
    return {r["项目"]: r.get("预算（万元）") for r in a.table}


def test_which_departments_have_jianyiyongwei_projects_and_budgets(services: Services) -> None:
    a = answer("哪些部门有见义勇为相关项目？预算各多少？", services)
    assert a.mode == "offline"
    assert set(projects_of(a)) == {"见义勇为专项资金", "见义勇为奖励、慰问经费"}
    assert projects_of(a)["见义勇为奖励、慰问经费"] == 5.0
    assert "中国共产党遂宁市委员会政法委员会" in a.answer and "中共遵化市委政法委" in a.answer
    assert "见义勇为奖励、慰问经费（5.00 万元）" in a.answer
    cited = {(c.source, c.project, c.page) for c in a.citations}
    assert ("002.pdf", "见义勇为奖励、慰问经费", 3) in cited and ("001.pdf", "见义勇为专项资金", 4) in cited
    out = json.loads(a.model_dump_json())
    assert set(out) == {"answer", "citations", "table", "mode"}
    assert all(set(c) == {"source", "department", "project", "indicator", "page"} for c in out["citations"])


def test_zunhua_jianyiyongwei_budget(services: Services) -> None:
    a = answer("哪些部门有见义勇为相关项目？预算各多少？", services)
    assert projects_of(a)["见义勇为专项资金"] == 5.0


def test_satisfaction_targets_below_80_percent(services: Services) -> None:
    a = answer("满意度目标低于80%的指标有哪些？", services)
    with services.store.session() as s:  # the store itself: no numeric 满意度 target is below 80%
        q = (select(IndicatorRow.name, IndicatorRow.value).join(ProjectRow).join(DocumentRow)
             .where(IndicatorRow.level1.like("%满意度%"), IndicatorRow.unit == "%",
                    DocumentRow.superseded_by.is_(None)))
        values = s.execute(q).all()
    assert min(v for _, v in values) == 80 and a.table == []
    assert a.answer.startswith("计划：列出满意度指标（低于80%）。\n没有满意度指标的目标值低于80%")
    assert "最低为 80%" in a.answer
    assert "定性" in a.answer  # 高/高中低 targets cannot be compared, and the answer says so
    lowest = sorted(name for name, v in values if v == 80)
    assert sorted(c.indicator or "" for c in a.citations) == lowest and f"（{len(lowest)} 条）" in a.answer


def test_it_budgets_by_department_then_follow_up(services: Services) -> None:
    a = answer("各部门信息化项目预算合计", services)
    totals = {r["部门"]: r["合计"] for r in a.table}
    assert totals["中国共产党遂宁市委员会政法委员会"] == pytest.approx(2460.25)
    assert totals["中共广州市白云区区委政法委员会"] == pytest.approx(501.9)
    assert totals["中共宿州市委政法委员会"] == pytest.approx(5487.94632)
    assert totals["中共遵化市委政法委"] == pytest.approx(87.0)  # 政法综治信息系统建设资金 60 + 信息网运行 27
    for shown in ("2460.25 万元", "501.90 万元", "5487.95 万元", "87.00 万元"):
        assert shown in a.answer
    cited = {c.project for c in a.citations}
    assert {"信息化建设及运行维护经费(长安网)", "信创工作经费", "政法综治信息系统建设资金"} <= cited
    assert "公务用车购置经费" not in cited and "见义勇为奖励、慰问经费" not in cited
    follow = answer("那宿州的呢？", services, history=[a.turn("各部门信息化项目预算合计")])
    assert set(projects_of(follow)) == {"宿州市公共安全视频建设联网应用二期"}
    assert "5487.95 万元" in follow.answer and follow.citations[0].source == "000.pdf"


def test_budget_follow_up_keeps_the_topic(services: Services) -> None:
    first = answer("哪些部门有见义勇为相关项目？", services)
    second = answer("预算各多少？", services, history=[first.turn("哪些部门有见义勇为相关项目？")])
    assert set(projects_of(second)) == {"见义勇为专项资金", "见义勇为奖励、慰问经费"}
    assert "5.00 万元" in second.answer


def test_history_without_plans_is_reparsed(services: Services) -> None:
    from retrieval.ask import Turn

    a = answer("那遂宁的呢？", services, history=[Turn(question="各部门信息化项目预算合计")])
    assert all(r["部门"] == "中国共产党遂宁市委员会政法委员会" for r in a.table) and len(a.table) == 4


def test_unknown_department_says_no_data(services: Services) -> None:
    first = answer("各部门信息化项目预算合计", services)
    a = answer("那成都的呢？", services, history=[first.turn("各部门信息化项目预算合计")])
    assert a.table == [] and a.citations == [] and "没有找到“成都”" in a.answer


def test_auto_is_offline_without_llm_and_llm_mode_needs_one(services: Services) -> None:
    assert answer("遂宁有多少个项目？", services, mode="auto").mode == "offline"
    with pytest.raises(AskError):
        answer("遂宁有多少个项目？", services, mode="llm")


def test_qa_eval_offline_meets_its_floor(services: Services) -> None:
    questions = load_questions(QA / "questions.jsonl")
    assert len(questions) >= 30
    report = run_qa_eval(services, questions, "offline")
    assert check_qa_floors(report, QA / "floors.json") == []
    assert not any("error" in r for r in report["per_question"])
    answers = [answer(q["question"], services).answer for q in questions if not q.get("history")]
    assert not any("LLM" in text or "配置" in text for text in answers)  # offline never sends users elsewhere
