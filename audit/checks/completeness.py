"""Completeness: the indicator families and dimensions a project needs, and rows without a target or name."""

from __future__ import annotations

import re

from audit.model import RuleSpec
from audit.registry import Context, Hit, indicator_check, project_check
from audit.vocab import dimension, family, norm_text, project_label, quoted, reads_as_zero
from extractor.schema import Indicator, Project


@project_check("COMP-NO-OUTPUT")
def no_output(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """No 产出 row at all."""
    if any(family(i) == "output" for i in project.indicators):
        return []
    return [Hit(f"项目“{project_label(project)}”未设置产出指标，无法考核资金投入后提供的产品和服务。")]


@project_check("COMP-NO-OUTCOME")
def no_outcome(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """No 效益 row (经济/社会/生态效益, 可持续影响) at all."""
    if any(family(i) == "outcome" for i in project.indicators):
        return []
    return [Hit(f"项目“{project_label(project)}”未设置效益指标，无法反映项目实施后产生的效果。")]


@project_check("COMP-OUTPUT-DIMENSIONS")
def output_dimensions(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """产出 rows present, but one of the required dimensions (数量/质量/时效) has none."""
    outputs = [i for i in project.indicators if family(i) == "output"]
    if not outputs:
        return []  # COMP-NO-OUTPUT says it
    have = {dimension(i) for i in outputs}
    missing = [d for d in spec.words("required") if d not in have]
    if not missing:
        return []
    names = "、".join(f"{d}指标" for d in missing)
    return [Hit(f"项目“{project_label(project)}”的产出指标缺少{names}，产出目标不完整。")]


@project_check("COMP-NO-COST")
def no_cost(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """No 成本 row (level 1 or level 2)."""
    if any(dimension(i) == "成本" for i in project.indicators):
        return []
    return [Hit(f"项目“{project_label(project)}”未设置成本指标，无法考核成本控制情况。")]


@project_check("COMP-NO-SATISFACTION")
def no_satisfaction(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """The name or goal names people the project serves or pays, and no 满意度 row asks them."""
    if any(family(i) == "satisfaction" for i in project.indicators):
        return []
    if any(w in project.name for w in spec.words("exclude_name_words")):
        return []
    text = f"{project.name} {project.goal or ''}"
    people = [w for w in spec.words("people_words") if w in text]
    if not people:
        return []
    return [Hit(f"项目“{project_label(project)}”面向明确的服务对象（{'、'.join(people[:3])}），"
                f"但未设置服务对象满意度指标。")]


def _blank(ind: Indicator, spec: RuleSpec) -> bool:
    return ind.target.strip() in set(spec.words("blank_values"))


@project_check("COMP-NO-PERFORMANCE")
def no_performance(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """A 部门整体 form without a 履职效果 row (its outputs and outcomes sit there)."""
    if any("履职效果" in i.level1 or (i.level2 or "").startswith(("部门履职", "部门效果")) for i in project.indicators):
        return []
    return [Hit(f"部门整体支出“{project_label(project)}”未设置履职效果指标，无法考核部门履职的产出和效果。")]


# A name that is only a level name: the template's placeholder row ("质量指标", "经济成本") nobody filled in.
_LEVEL_ONLY = re.compile(r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|经济成本|"
                         r"社会成本|生态环境成本|产出|效益|满意度)(指标)?$")


@indicator_check("COMP-TEMPLATE-ROW")
def template_row(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """A row named after its own level with no target: the template's row left unfilled, not a missing value."""
    name = norm_text(ind.name)
    if not _blank(ind, spec):
        return None
    if not (_LEVEL_ONLY.match(name) or name in {norm_text(ind.level1), norm_text(ind.level2)}):
        return None
    return f"模板行“{quoted(ind.name)}”未填写：没有设置具体的三级指标和指标值。"


@indicator_check("COMP-NO-TARGET")
def no_target(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """The target cell is empty (or a dash); "无" on an incident-type indicator is a target (= 0)."""
    if not _blank(ind, spec) or reads_as_zero(ind):
        return None
    return f"指标“{quoted(ind.name) or '（无名称）'}”未填写指标值，无法考核。"


@indicator_check("COMP-NO-NAME")
def no_name(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """The row prints a target but no 三级指标 name."""
    if ind.name.strip():
        return None
    return (f"第{index + 1}个指标（{ind.level2 or ind.level1}，指标值“{quoted(ind.target)}”）未填写三级指标名称，"
            f"考核内容不明确。")
