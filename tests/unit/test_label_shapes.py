"""Label words of real forms the sample does not print: a share of money by source is no total, a 专项 is named
like a project, and the blank's 指标N： numbering is no column of row numbers."""

from __future__ import annotations

from extractor.layout.money import read_money_block
from extractor.layout.roles import assign_roles, cell_scores
from extractor.layout.vocabulary import form_field


def test_a_share_by_source_or_level_of_government_is_never_the_total() -> None:
    for label in ("地方资金", "中央补助资金", "省级资金", "县级配套资金", "其中：省级补助"):
        assert form_field(label) != "total", label
    for label in ("资金总额", "年度金额：", "项目资金", "本级资金", "年度预算（万元）"):
        assert form_field(label) == "total", label
    assert form_field("自筹资金") == "other" and form_field("财政资金") == "fiscal"


def test_the_total_of_a_transfer_block_is_its_annual_amount() -> None:
    rows = [["资金情况（万元）", "年度金额：", "55", ""], ["", "其中：省级补助", "45", ""], ["", "地方资金", "10", ""]]
    assert read_money_block(rows, 0, 2, None) == {"total": 55.0}


def test_a_special_fund_is_named_like_a_project() -> None:
    assert form_field("专项名称") == "name" and form_field("专项资金名称") == "name"


def test_numbered_names_are_names_not_row_numbers() -> None:
    names = ["指标1：宣传、活动开展次数", "指标2：稿件自采自编率", "指标3：各项工作完成及时率", "指标4：预算控制"]
    assert cell_scores(names)["name"] >= 0.9
    roles = assign_roles({0: "三级指标", 1: "指标值"}, {0: names, 1: ["≥3次", "≥90%", "≥90%", "在预算范围内"]})
    assert {r.col: r.field for r in roles if r.field} == {0: "name", 1: "target"}
    numbers = assign_roles({0: "序号", 1: "三级指标"}, {0: ["1", "2", "3", "4"], 1: names})
    assert {r.col: r.field for r in numbers if r.field} == {1: "name"}


def test_a_number_wrapped_inside_a_dotted_run_joins_without_a_space() -> None:
    from extractor.textnorm import clean_cell

    assert clean_cell("重大节日及4.25、5.13.7.2\n2等敏感日") == "重大节日及4.25、5.13.7.22等敏感日"
    assert clean_cell("100\n200") == "100 200"  # two values stacked stay two
