"""Year over year (issue 23): a department's figure per stored fiscal year and its change, or why there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import Settings
from retrieval.ask import answer
from retrieval.services import Services
from usecases.batch import ingest_paths


@pytest.fixture(scope="module")
def two_years(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Services:
    """白云's 2024 disclosure and a 2025 one in which one project's budget grew from 84.70 to 100.00 万元."""
    root = tmp_path_factory.mktemp("years")
    services = Services(Settings(data_dir=root / "data", backend="rules", llm_base_url=None, llm_model=None))
    seed = corpus / "seeds" / "004.txt"
    later = root / "004-2025.txt"
    text = seed.read_text(encoding="utf-8").replace("2024", "2025")
    rented = "白云区2082支高清摄像机租赁项目"
    later.write_text(text.replace(f"{rented}\t84.70\t84.70", f"{rented}\t100.00\t100.00"), encoding="utf-8")
    assert [o.status for o in ingest_paths(services, [seed])] == ["new"]
    alone = answer("白云区项目预算同比变化", services)
    assert "只存有一个年度" in alone.answer and "→" not in alone.answer  # no change invented from one year
    assert [o.status for o in ingest_paths(services, [later])] == ["new"]  # another year: not a new version
    return services


@pytest.mark.parametrize("question", ["白云区项目预算同比变化", "白云区2025年比2024年项目预算增加了多少？",
                                      "白云的项目预算较上年有什么变化"])
def test_budget_change_from_the_previous_stored_year(two_years: Services, question: str) -> None:
    a = answer(question, two_years)
    assert a.plan is not None and a.plan.intent == "years"
    assert a.answer.startswith("按部门、按年度统计项目支出的预算合计（万元）")  # the plan, stated first
    assert "2024年 1989.76 万元 → 2025年 2005.06 万元（+15.30 万元，+0.8%）" in a.answer
    assert [r["年度"] for r in a.table] == [2024, 2025]
    assert {c.source for c in a.citations} == {"004.txt", "004-2025.txt"}  # the rows counted, both years


def test_counts_by_year(two_years: Services) -> None:
    a = answer("白云区满意度指标数量历年变化", two_years)
    assert "2024年 3 条 → 2025年 3 条（+0 条，+0%）" in a.answer
