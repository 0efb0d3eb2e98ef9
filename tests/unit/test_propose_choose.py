"""Propose, then choose: the mapper's own assumptions are alternatives the verifier decides between.

The forms are written as Excel files and read through `extract`, as an upload is. Wordings are not the sample's:
a goal or a target that starts with a label word and a colon (实施周期：…, 计划完成时间：…), which the
label-in-one-cell rule (from a filled-in county form) would take for a label and its value.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from extractor import choose
from extractor.api import extract
from extractor.grid import DocumentGrid
from extractor.layout.label_cells import split_label_cells
from extractor.schema import Document, Extraction, Indicator, Project
from extractor.verify import verify

GOAL = "实施周期：1年内完成全部站点建设，为辖区老年人提供助餐、日间照料服务"
LABELS = [
    ["项目名称", "社区养老服务站运营补助", "", ""],
    ["主管部门", "某区民政局", "实施单位", "各街道办事处"],
    ["年度资金总额", "320.00", "", ""],
]
INDICATORS = [
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "助餐服务人次", "≥12000人次"],
    ["", "质量指标", "服务规范达标率", "≥95%"],
    ["", "时效指标", "补助资金拨付", "2024年6月底前"],
    ["", "", "站点建设", "计划完成时间：2024年12月"],
    ["效益指标", "社会效益指标", "老年人生活便利度", "明显提升"],
    ["满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%"],
]


def _xlsx(rows: list[list[str]], merges: list[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([t or None for t in row])
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(rows: list[list[str]], merges: list[str]) -> Extraction:
    result = extract(_xlsx(rows, merges), name="form.xlsx", backend="rules")
    assert result.document is not None
    return result


def test_a_goal_printed_under_its_label_is_read_whole_when_the_verifier_objects_to_the_split() -> None:
    # the goal on its own merged row below 年度目标: the usual reading takes 实施周期： for a label and the
    # sentence for the period; the verifier says a period is no sentence, the reading without the split wins
    rows = [*LABELS, ["年度目标", "", "", ""], [GOAL, "", "", ""], *INDICATORS]
    result = _read(rows, ["A5:D5", "A7:A10", "B9:B10"])
    (project,) = result.document.projects  # type: ignore[union-attr]
    assert project.goal == GOAL and project.period is None
    assert project.budget.total == 320.0
    assert len(project.indicators) == 6
    assert not result.contradictions and not result.quality.needs_review


def test_a_target_that_starts_with_a_label_word_stays_in_its_indicator_row() -> None:
    # labels typed into their cells (the rule's own case) above an indicator row whose target starts with one
    typed = [["项目名称：社区养老服务站运营补助", "", "主管部门：某区民政局", ""],
             ["年度目标", GOAL, "", ""], *INDICATORS]
    result = _read(typed, ["B2:D2", "A4:A7", "B6:B7"])
    (project,) = result.document.projects  # type: ignore[union-attr]
    assert project.name == "社区养老服务站运营补助" and project.unit == "某区民政局"
    assert project.goal == GOAL  # right of its bare label: the label's value, not another label
    site = project.indicators[3]
    assert (site.name, site.target) == ("站点建设", "计划完成时间：2024年12月")
    assert not result.contradictions


def test_a_cell_right_of_a_bare_label_is_its_value() -> None:
    assert split_label_cells(["年度目标", GOAL, "", ""]) == ["年度目标", GOAL, "", ""]
    assert split_label_cells(["项目名称", "社区养老", "主管部门：某区民政局", ""]) == \
        ["项目名称", "社区养老", "主管部门：", "某区民政局"]


def _doc(indicator_name: str, period: str | None) -> Document:
    indicator = Indicator(level1="产出指标", level2="数量指标", name=indicator_name, target="≥12000人次",
                          confidence=1.0)
    project = Project(kind="project", name="社区养老服务站运营补助", period=period, indicators=[indicator], page=1)
    return Document(source="form.xlsx", sha256="0" * 64, projects=[project])


@pytest.mark.parametrize(("name", "period", "kind"), [
    ("计划完成时间：", None, "indicator_name_label"),
    ("项目名称", None, "indicator_name_label"),
    ("助餐服务人次", "1年内完成全部站点建设，为辖区老年人提供助餐服务", "period_not_a_period"),
])
def test_the_verifier_names_a_label_as_indicator_and_a_sentence_as_period(name: str, period: str | None,
                                                                         kind: str) -> None:
    assert kind in [c.kind for c in verify(_doc(name, period), DocumentGrid(blocks=[]))]


@pytest.mark.parametrize("period", [None, "2024年", "1年", "2024年1月1日至2026年12月31日"])
def test_a_period_that_is_a_time_passes(period: str | None) -> None:
    kinds = [c.kind for c in verify(_doc("助餐服务人次", period), DocumentGrid(blocks=[]))]
    assert "period_not_a_period" not in kinds and "indicator_name_label" not in kinds


def test_only_the_assumptions_the_usual_reading_used_are_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = choose._read

    def counting(name: str, *args: object) -> choose.Reading:
        calls.append(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(choose, "_read", counting)
    _read([*LABELS, ["年度目标", "", "", ""], [GOAL, "", "", ""], *INDICATORS], ["A5:D5", "A7:A10", "B9:B10"])
    # contradicted, so alternatives are read: one sheet (nothing to keep apart) and one assumption relied on
    assert calls == ["stitched", "no_label_cells"]
    calls.clear()
    _read([*LABELS, ["年度目标", "完成全部站点建设", "", ""], *INDICATORS], ["A6:A9", "B8:B9"])
    assert calls == ["stitched"]  # nothing contradicted: nothing else is read
