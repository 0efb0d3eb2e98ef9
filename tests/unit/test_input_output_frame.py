"""A 申报表 whose goals are 投入 / 产出 / 效益 targets: levels named 时效目标, 数量目标…, a column of the blank's
目标1 / 目标2 row labels, 评价内容 over the level columns, 绩效内容 naming the indicator, a closing 措施 row under
the table. A form the sample does not contain."""

from __future__ import annotations

from extractor.grid import DocumentGrid, table_from_rows
from extractor.layout.mapper import map_grid
from extractor.layout.roles import item_labels
from extractor.layout.vocabulary import is_level1, is_level2

FORM = [
    ["项目名称", "", "社区矫正经费", "", "", ""],
    ["资金总额：", "12.50", "财政拨款：", "12.50", "自有资金：", ""],
    ["项目年度绩效目标（定量目标）", "", "", "", "", ""],
    ["评价内容", "", "", "绩效内容", "参考标准", "绩效目标值"],
    ["投入", "时效目标", "目标1", "经费拨付时间", "计划标准", "年度之前"],
    ["", "", "目标2", "项目完成时间", "计划标准", "12月底前"],
    ["产出", "数量目标", "目标1", "矫正对象人数", "历史标准", "≥300人"],
    ["", "质量目标", "目标1", "重新犯罪率", "行业标准", "≤0.2%"],
    ["效益", "社会效益目标", "目标1", "社区安全感", "其他标准", "明显提升"],
    ["", "服务对象满意度目标", "目标1", "矫正对象满意度", "计划标准", "≥90%"],
    ["单位已有的（或拟订的）保证项目实施的制度、措施", "", "严格执行财务管理制度，专款专用。", "", "", ""],
]


def test_the_frameworks_level_words_are_levels() -> None:
    assert is_level1("投入") and is_level1("效益")
    assert is_level2("时效目标") and is_level2("服务对象满意度目标") and is_level2("环境效益目标")


def test_a_column_of_numbered_row_labels_is_no_field() -> None:
    assert item_labels(["目标1", "目标2", "目标1", "目标1"])
    assert not item_labels(["10", "20", "10"])  # bare numbers may be weights: other rules decide
    assert not item_labels(["目标1：按时发放", "目标2"])


def test_every_target_is_read_with_its_printed_levels_and_the_closing_row_is_none() -> None:
    (project,) = map_grid(DocumentGrid(blocks=[table_from_rows(FORM)], n_pages=1)).projects
    read = [(i.level1, i.level2, i.name, i.target, i.basis) for i in project.indicators]
    assert read == [("投入", "时效目标", "经费拨付时间", "年度之前", "计划标准"),
                    ("投入", "时效目标", "项目完成时间", "12月底前", "计划标准"),
                    ("产出", "数量目标", "矫正对象人数", "≥300人", "历史标准"),
                    ("产出", "质量目标", "重新犯罪率", "≤0.2%", "行业标准"),
                    ("效益", "社会效益目标", "社区安全感", "明显提升", "其他标准"),
                    ("效益", "服务对象满意度目标", "矫正对象满意度", "≥90%", "计划标准")]
