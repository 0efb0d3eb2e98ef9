"""Measurability: targets a reviewer cannot check — unfilled option lists, words where a number belongs."""

from __future__ import annotations

import re

from audit.frameworks import is_management_row
from audit.model import RuleSpec
from audit.registry import Context, Hit, indicator_check, project_check
from audit.vocab import dimension, has_number, is_cost, own_name, project_label, quoted
from extractor.schema import Indicator, Project

_SEPARATORS = re.compile(r"[、/，,|；;:：\s]+")


@project_check("MEAS-LOW-QUANT-SHARE")
def low_quant_share(project: Project, ctx: Context, spec: RuleSpec) -> list[Hit]:
    """Fewer than `threshold` of the project's indicators state a number."""
    n = len(project.indicators)
    if n < spec.number("min_indicators"):
        return []
    quantitative = sum(1 for i in project.indicators if has_number(i))
    if quantitative / n >= spec.number("threshold"):
        return []
    return [Hit(f"项目“{project_label(project)}”的{n}个指标中仅{quantitative}个为定量指标"
                f"（{quantitative / n:.0%}，低于{spec.number('threshold'):.0%}），难以客观考核。")]


def option_count(target: str, options: list[str]) -> int:
    """How many grade options the target lists when it is nothing but options ("高中低" → 3), else 0."""
    text = _SEPARATORS.sub("", target).removesuffix("项").removesuffix("等")
    ordered = sorted(options, key=len, reverse=True)  # 较好 before 好
    count, pos = 0, 0
    while pos < len(text):
        match = next((o for o in ordered if text.startswith(o, pos)), None)
        if match is None:
            return 0
        count, pos = count + 1, pos + len(match)
    return count


@indicator_check("MEAS-PLACEHOLDER")
def placeholder(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """The target is the template's option list ("高中低", "优良中低差项") with no option chosen."""
    if option_count(ind.target, spec.words("options")) < spec.number("min_options"):
        return None
    return f"指标“{quoted(ind.name)}”的指标值为模板选项“{quoted(ind.target)}”，未选定目标等级，无法考核。"


@indicator_check("MEAS-COST-NO-AMOUNT")
def cost_no_amount(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """A 成本 row whose target has no amount ("按标准发放", "在预算范围内"); 社会 / 生态环境成本 are no money."""
    if not is_cost(ind) or has_number(ind) or not ind.target.strip():
        return None
    if any(w in f"{ind.level2 or ''}{own_name(ind)}" for w in spec.words("non_money")):
        return None
    return f"成本指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”未给出金额或单位成本，无法考核成本控制。"


@indicator_check("MEAS-QUANTITY-QUALITATIVE")
def quantity_qualitative(ind: Indicator, index: int, project: Project, ctx: Context,
                         spec: RuleSpec) -> str | None:
    """A 数量 row whose target states no quantity."""
    if dimension(ind) != "数量" or has_number(ind) or not ind.target.strip():
        return None
    return f"数量指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”未给出具体数量，无法考核产出数量。"


def accepted(target: str, spec: RuleSpec) -> bool:
    """A qualitative target a reviewer takes as checkable: a grade, a state, compliance, no incident, a period."""
    text = re.sub(r"[。；;，,\s]+$", "", target)
    return any(re.search(p, text) for p in spec.words("accepted_patterns"))


@indicator_check("MEAS-RATE-WORD-TARGET")
def rate_word_target(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """A rate or share ("及时率") whose target is a word ("及时"): it cannot be checked against a percentage."""
    if has_number(ind) or not ind.target.strip() or not re.search(spec.text("rate_pattern"), own_name(ind)):
        return None
    return f"比率指标“{quoted(ind.name)}”的指标值“{quoted(ind.target)}”是文字，应以百分比给出目标水平。"


@indicator_check("MEAS-VAGUE-TARGET")
def vague_target(ind: Indicator, index: int, project: Project, ctx: Context, spec: RuleSpec) -> str | None:
    """Words where a number is expected, vague trend words, or a description instead of a level."""
    if has_number(ind) or not ind.target.strip():
        return None
    if is_management_row(ind.level1) and any(w in ind.target for w in spec.words("management_states")):
        return None  # 制度健全性: 健全 is what a 部门管理 indicator is expected to state
    target, name = quoted(ind.target), quoted(ind.name)
    if re.search(spec.text("numeric_name_pattern"), own_name(ind)):
        return f"指标“{name}”应以数值衡量，但指标值“{target}”未给出数值，无法考核。"
    vague = next((w for w in spec.words("vague_words") if w in ind.target), None)
    if vague:
        which = "" if vague == ind.target.strip() else f"（含“{vague}”）"
        return f"指标“{name}”的指标值“{target}”为模糊表述{which}，没有可衡量的目标水平。"
    if accepted(ind.target, spec):
        return None
    return f"指标“{name}”的指标值“{target}”是文字描述，未体现可考核的目标水平。"
