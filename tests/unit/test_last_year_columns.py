"""A form that prints last year's figures beside this year's (上年度预算安排 | 上年度实际执行 | 本年度申请金额,
上年度实际水平 | 本年度计划水平): the reader takes this year's column, the verifier agrees, and a sentence that
mentions an indicator (预期提供的公共产品和服务的数量) is not taken for its row. A form the sample does not contain."""

from __future__ import annotations

from extractor.grid import DocumentGrid, table_from_rows
from extractor.layout.header_words import header_scores
from extractor.layout.mapper import map_grid
from extractor.schema import Document
from extractor.verify import verify

FORM = [
    ["项目名称", "社区矫正经费", "", "", ""],
    ["以前年度项目绩效情况", "上年度项目按计划实施，绩效目标基本完成。", "", "", ""],
    ["资金来源（万元）", "上年度预算安排", "上年度实际执行", "本年度申请金额", ""],
    ["合计", "40.00", "36.50", "45.00", ""],
    ["财政拨款", "40.00", "36.50", "42.00", ""],
    ["政府性基金拨款", "——", "——", "", ""],
    ["其他资金", "——", "——", "3.00", ""],
    ["预期提供的公共产品和服务的数量", "矫正对象人数≥300人；走访次数≥12次", "", "", ""],
    ["预期效果", "落实社区矫正对象监管，重新犯罪率控制在0.2%以下。", "", "", ""],
    ["指标名称", "", "", "上年度实际水平", "本年度计划水平"],
    ["一级指标", "二级指标", "三级指标", "", ""],
    ["产出指标", "数量指标", "矫正对象人数", "280人", "≥300人"],
    ["", "", "走访次数", "10次", "≥12次"],
    ["", "质量指标", "重新犯罪率", "0.3%", "≤0.2%"],
    ["满意度指标", "服务对象满意度指标", "矫正对象满意度", "88%", "≥90%"],
]


def _grid() -> DocumentGrid:
    return DocumentGrid(blocks=[table_from_rows(FORM)], n_pages=1)


def _reading() -> Document:
    mapped = map_grid(_grid())
    return Document(source="f.xlsx", sha256="x", projects=mapped.projects)


def test_last_years_level_heads_no_target() -> None:
    assert "target" not in header_scores("上年度实际水平")
    assert header_scores("本年度计划水平").get("target", 0) >= 0.9


def test_the_budget_is_this_years_column() -> None:
    (project,) = _reading().projects
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (45.0, 42.0, 3.0)


def test_targets_are_this_years_and_merged_levels_do_not_shift_the_row() -> None:
    (project,) = _reading().projects
    read = [(i.level2, i.name, i.target) for i in project.indicators]
    assert read == [("数量指标", "矫正对象人数", "≥300人"), ("数量指标", "走访次数", "≥12次"),
                    ("质量指标", "重新犯罪率", "≤0.2%"), ("服务对象满意度指标", "矫正对象满意度", "≥90%")]


def test_the_goal_is_the_expected_effect_never_last_years_performance() -> None:
    (project,) = _reading().projects
    assert project.goal == "落实社区矫正对象监管，重新犯罪率控制在0.2%以下。"


def test_the_verifier_agrees_with_the_right_reading() -> None:
    assert verify(_reading(), _grid()) == []
