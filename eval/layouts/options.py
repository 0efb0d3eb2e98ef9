"""The seeded choices one variant makes: money unit and where it is stated, target columns, column order, merges."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from eval.layouts.cells import MoneyUnit, TargetMode
from eval.layouts.spec import Family

LEVELS = ["level1", "level2", "name"]
OPTIONAL = ("description", "weight", "direction", "basis", "midterm_target")
FORM_FAMILIES = ("form", "sheet_per_project", "overall_plus_projects")


class Options(BaseModel):
    """Everything random about one variant, drawn from its seed."""

    model_config = ConfigDict(extra="forbid")

    money: MoneyUnit
    money_where: Literal["header", "note", "label"]  # label: a 项目资金（元） block label in forms
    money_paren: int  # 0: （万元）, 1: (万元)
    thousands: bool
    target_mode: TargetMode
    level_mode: Literal["merge", "repeat"]
    group_header: bool
    long_direction: bool
    columns: list[str]  # indicator columns, printed order
    project_columns: list[str]  # wide and flat: project columns, printed order
    project_merge: bool  # wide: project cells merged down (else printed once, blank below)
    seq_column: bool  # flat: a 序号 column
    title: int  # which title wording (-1: none)
    form_label_col: bool  # forms: a 绩效指标 column merged down the indicator block
    fiscal_row: bool  # forms: 其中：财政拨款 under the total when the gold has it


def _present(gold: dict[str, Any], key: str) -> bool:
    return any(i.get(key) not in (None, "") for p in gold.get("projects", []) for i in p.get("indicators", []))


def _indicator_columns(gold: dict[str, Any], mode: TargetMode, remark: bool, rng: random.Random) -> list[str]:
    unit_first = rng.random() < 0.3
    value_unit = ["unit", "target"] if unit_first else ["target", "unit"]
    target = {"fused": ["target"], "split3": ["nature", *value_unit], "split2": value_unit}[mode]
    blocks = [[c] for c in OPTIONAL if _present(gold, c)] + [target]
    rng.shuffle(blocks)
    if ["description"] in blocks and rng.random() < 0.6:  # the description usually follows the name
        blocks.remove(["description"])
        blocks.insert(0, ["description"])
    return LEVELS + [c for b in blocks for c in b] + (["remark"] if remark else [])


def choose_options(family: Family, gold: dict[str, Any], rng: random.Random) -> Options:
    """Draw a variant's options; the flat family is the budget-system export (元, symbol/value/unit columns)."""
    flat = family == "flat"
    money: MoneyUnit = "yuan" if flat else rng.choice(["wan", "wan", "yuan", "yuan", "qian"])
    where_choices = ["header", "note", "label"] if family in FORM_FAMILIES else ["header", "header", "note"]
    mode: TargetMode = "split3" if flat else rng.choice(["fused", "fused", "split3", "split2"])
    has_code = any(p.get("code") for p in gold.get("projects", []))
    project_columns = ["project_name", "budget_total"]
    if has_code:
        project_columns.append("project_code")
    if rng.random() < (0.5 if flat else 0.7):
        project_columns.append("goal")
    if rng.random() < 0.4:
        project_columns.append("project_unit")
    rng.shuffle(project_columns)
    remark = rng.random() < 0.25
    return Options(
        money=money, money_where=rng.choice(where_choices), money_paren=rng.randint(0, 1),
        thousands=rng.random() < 0.5, target_mode=mode,
        level_mode="repeat" if flat else rng.choice(["merge", "repeat"]),
        group_header=not flat and rng.random() < 0.3, long_direction=rng.random() < 0.4,
        columns=_indicator_columns(gold, mode, remark, rng), project_columns=project_columns,
        project_merge=rng.random() < 0.75, seq_column=flat and rng.random() < 0.6,
        title=-1 if flat and rng.random() < 0.5 else rng.randint(0, 2),
        form_label_col=rng.random() < 0.5, fiscal_row=rng.random() < 0.5,
    )
