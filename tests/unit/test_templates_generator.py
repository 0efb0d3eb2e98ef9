"""Template families of `jixiao eval --templates`: determinism, the printed labels, expected budgets, the split."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from eval.layouts.render import render
from eval.layouts.spec import FORMATS, TableBlock
from eval.templates.registry import TEMPLATES, generate
from eval.templates.run import run_template_eval
from eval.templates.split import draw_split, drawn_names, load_split
from kernel.settings import get_settings

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"
DOCS = ("000", "001", "002", "004")

# What each family prints as in its published blank (eval/templates/SOURCES.md), space-separated.
LABELS: dict[str, str] = {
    "national_project": "项目名称 主管部门及代码 实施单位 项目属性 项目期 项目资金（万元） 中期资金总额： "
                        "年度资金总额： 其中：财政拨款 其他资金 总体目标 中期目标 年度目标 绩效指标 一级指标 "
                        "二级指标 三级指标 中期指标值 年度指标值 项目金额 其中：当年财政拨款 上年结转资金 指标解释 "
                        "评分标准",
    "national_overall": "部门（单位）名称 年度主要任务 任务名称 主要内容 预算申请（万元） 总额 财政拨款 其他资金 "
                        "金额合计 年度总体目标 年度绩效指标 一级指标 二级指标 三级指标 指标值",
    "shanghai_fill": "财政项目支出绩效目标申报表 项目名称 项目性质 项目类别 主管部门 实施单位 计划开始日期 "
                     "计划完成日期 项目资金（元） 项目资金总额 其中：财政资金 年度资金申请总额 其中：当年财政拨款 "
                     "上年结转资金 项目总目标 年度总体目标 项目绩效目标 年度(/项目)指标值",
    "overall_framework": "部门（单位）名称 部门预算（万元） 收入预算合计 其中：当年财政拨款 上年结转结余 "
                         "支出预算合计 其中：基本支出 项目支出 年度总体目标 绩效指标 履职效果 部门履职目标",
    "hebei_project": "项目编码 项目名称 预算规模及资金用途 预算数 其中：财政资金 资金支出计划（%） 3月底 12月底 "
                     "绩效目标 绩效指标描述 指标值 指标值确定依据 单位：万元",
    "county_apply": "财政支出项目绩效目标申报表 项目属性 主管部门编码 项目实施单位 项目负责人 项目起止时间 "
                    "项目资金申请（万元） 资金总额： 财政拨款： 自有资金： 长期目标 年度目标 长期绩效指标 "
                    "年度绩效指标 指标内容 备注",
    "city_apply": "项目支出绩效目标申报表 项目属性 主管部门 项目负责人 联系电话 项目起止时间 项目预算（万元） 资金总额 "
                  "其中：市财政资金 其他资金： 项目绩效目标描述 总目标 本年度目标 项目实施进度计划 项目实施进度内容 "
                  "开始时间 完成时间 总目标绩效指标 本年度绩效指标 指标内容 指标值 审核意见 主管部门审核意见",
    "transfer_region": "专项转移支付区域绩效目标表 专项名称 省级主管部门 市（州）财政部门 市（州）主管部门 "
                       "资金情况（万元） 年度金额： 其中：省级补助 地方资金 年度总体目标 绩效指标 一级指标 二级指标 "
                       "三级指标 指标值",
    "core_reference": "绩效目标申报表 项目名称 项目负责人及电话 主管部门 实施单位 资金情况（万元） 年度资金总额： "
                      "其中：财政拨款 其他资金 总体目标 目标1： 一级指标 二级指标 三级指标 指标值 ★",
    "input_output_apply": "财政支出项目绩效目标申报表 填报单位（盖章） 单位代码 单位名称 项目名称 是否新增 "
                          "上年度预算安排资金（万元） 项目类型 功能科目编码 功能科目名称 项目实施单位 "
                          "项目负责人 联系电话 项目起止时间 项目资金申请（万元） 资金总额： 财政拨款： "
                          "自有资金： 事业收入： 经营性收入： 其他： 单位职能概述 项目概况 项目立项情况 "
                          "项目总体绩效目标（长期目标） 项目年度绩效目标（定量目标） 评价内容 绩效内容 参考标准 "
                          "绩效目标值 投入 产出 效益 数量目标 目标1",
    "prior_year_apply": "部门预算项目支出绩效目标申报表 编制单位（盖章） 项目基本情况 项目名称 项目负责人 联系电话 "
                        "项目类别 项目属性 项目计划实施时间 以前年度项目绩效情况 项目资金情况 资金来源（万元） "
                        "上年度预算安排 上年度实际执行 本年度申请金额 政府性基金拨款 财政专户拨款 上年结转 "
                        "事业基金弥补差额 项目支出内容及明细预算（万元） 资金测算依据及说明 绩效目标情况 预期目标 "
                        "预期效果 保障绩效目标实现的措施 指标名称 上年度实际水平 本年度计划水平 指标内容/计算公式",
    "sichuan_wide": "单位名称 项目名称 预算数 年度目标 一级指标 二级指标 三级指标 指标性质 指标值 度量单位 权重 "
                    "指标方向性 金额单位：万元",
    "guangdong_packed": "项目名称（资金使用单位） 总计 财政拨款 财政专户拨款 其他资金 绩效目标 绩效指标 合计 "
                        "实施周期指标值: 年度指标值:",
}


def _gold(doc: str) -> dict[str, Any]:
    return json.loads((GOLD / f"{doc}.json").read_text(encoding="utf-8"))


def _xlsx_cells(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    return {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None}


@pytest.mark.parametrize("template", TEMPLATES)
def test_same_seed_same_spec_and_bytes(template: str) -> None:
    a, b = generate(_gold("000"), template, 5, "000"), generate(_gold("000"), template, 5, "000")
    assert a.spec == b.spec and a.expected == b.expected
    for fmt in FORMATS:
        assert render(a.spec, fmt) == render(b.spec, fmt), f"{template}/{fmt} bytes differ between two renders"


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_xlsx_prints_the_labels_of_the_template(template: str) -> None:
    # a few seeds: some labels belong to one of a template's printed variants (one-sided money block, extra column)
    text = "|".join(c for seed in range(4) for c in _xlsx_cells(render(generate(_gold("002"), template, seed, "002")
                                                                       .spec, "xlsx"))).replace("\n", "")
    missing = [label for label in LABELS[template].split() if label not in text]
    assert not missing, f"{template}: labels not printed: {missing}"


def _gold_budget(gold: dict[str, Any], record: dict[str, Any]) -> dict[str, Any] | None:
    found = [p for p in gold["projects"] if p["name"] == record["name"] and p["kind"] == record["kind"]]
    return found[0]["budget"] if found else None


@pytest.mark.parametrize("template", TEMPLATES)
def test_expected_budgets_are_in_wan_and_zero_only_when_the_gold_says_so(template: str) -> None:
    for doc in DOCS:
        gold = _gold(doc)
        for record in generate(gold, template, 0, doc).expected["projects"]:
            source = _gold_budget(gold, record)
            for key, value in record["budget"].items():
                if value is None:
                    continue
                if source is None:  # a synthesized 整体 form: totals of the projects, never a printed zero
                    assert value != 0, f"{template}/{doc}: {key} is 0 in a synthesized form"
                    continue
                assert source.get(key) is not None, f"{template}/{doc}/{record['name']}: {key} printed from nothing"
                assert math.isclose(value, source[key], abs_tol=0.005), f"{template}/{doc}: {key} not in 万元"
                assert value != 0 or source[key] == 0


def test_the_split_covers_every_template_once_and_is_the_seeded_draw() -> None:
    split = load_split()
    tune, heldout = set(split["tune"]), set(split["heldout"])
    assert not tune & heldout and tune | heldout == set(TEMPLATES)
    drawn = drawn_names()
    held_drawn = [n for n in split["heldout"] if n in drawn]
    assert len(held_drawn) == math.ceil(len(drawn) / 3)
    assert draw_split(drawn) == {"tune": [n for n in split["tune"] if n in drawn], "heldout": held_drawn}


def test_a_page_break_prints_the_table_in_pieces() -> None:
    spec = next(v.spec for seed in range(20) if (v := generate(_gold("002"), "sichuan_wide", seed, "002"))
                and any(isinstance(b, TableBlock) and b.page_breaks for s in v.spec.sections for b in s.blocks))
    broken = [b for s in spec.sections for b in s.blocks if isinstance(b, TableBlock) and b.page_breaks]
    doc = open_docx(io.BytesIO(render(spec, "docx")))
    assert len(doc.tables) == len(broken[0].page_breaks) + 1


def test_run_and_cli(tmp_path: Path) -> None:
    gold = _gold("000")
    gold["projects"] = gold["projects"][:2]
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "000.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    report = run_template_eval(tmp_path / "gold", tmp_path / "work", "heldout", ["xlsx"], get_settings())
    split = report["splits"]["heldout"]
    assert set(split["by_template"]) == set(load_split()["heldout"])
    assert all("problems" not in row for row in split["files"])  # no per-file misses for held-out templates
    result = CliRunner().invoke(app, ["eval", "--templates", "--split", "nope"])
    assert result.exit_code != 0
