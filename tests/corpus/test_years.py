"""The budget year: title first, else goal texts that state it; deadlines and ranges never count."""

import pytest

from extractor.api import extract
from extractor.layout.years import budget_year_from_goals, title_year


@pytest.mark.parametrize(("text", "year"), [
    ("2022年度项目支出绩效目标表", 2022), ("（2023 年度）", 2023), ("项目支出绩效目标表", None),
    ("2024年部门整体支出绩效目标表", 2024), ("2024年12月底前完成绩效目标表填报", None), ("2024年全委共雇员17人", None),
])
def test_title_year(text: str, year: int | None) -> None:
    assert title_year(text) == year


@pytest.mark.parametrize(("goals", "year"), [
    (["2024年全委共政府雇员编制17人", "按17人编制数预算2024年雇员17人全年工资"], 2024),
    (["此项目于2019年年底完工", "租赁费自2013年1月1日开始计算", "2020年12月底前完成"], None),
    (["依据《规划（2018-2020年）》", "2021年—2022年"], None),
    (["2025年完成巡查全覆盖", "2026年开展专项整治"], 2026),
    (["2024年开展", "2024年完成", "2025年完成"], 2024),
    ([None, ""], None),
])
def test_budget_year_from_goals(goals: list[str | None], year: int | None) -> None:
    assert budget_year_from_goals(goals) == year


def test_corpus_years(corpus) -> None:  # type: ignore[no-untyped-def]
    years = {name: extract(corpus / "seeds" / name).document.fiscal_year  # type: ignore[union-attr]
             for name in ("000.txt", "001.txt", "002.txt", "004.txt")}
    assert years == {"000.txt": 2022, "001.txt": None, "002.txt": 2023, "004.txt": 2024}
