"""What an indicator row is, read from its printed level names and target (level names vary by template)."""

from __future__ import annotations

import re
from typing import Literal

from extractor.schema import Indicator, Project

Family = Literal["output", "outcome", "satisfaction", "cost", "other"]
DIMENSIONS = ("数量", "质量", "时效", "成本")
_DIGIT = re.compile(r"[0-9０-９]|百分之")
_PUNCT = re.compile(r"[\s\W_]+")
_UNIT_SUFFIX = re.compile(r"[（(][%％‰]?[）)]|[%％]$")


def levels(ind: Indicator) -> str:
    """Level 1 and level 2 as one string, for keyword tests."""
    return f"{ind.level1}/{ind.level2 or ''}"


def family(ind: Indicator) -> Family:
    """Which level-1 family a row belongs to, whatever the template calls it.

    社会效益指标 printed as level 1, 绩效指标/经济效益指标, or 效果指标 are all 效益; 成本指标 may be a level 1 (2021
    template) or a level 2 under 产出 — a 成本 level 2 under 产出 is an output row of the 成本 dimension.
    """
    lv = levels(ind)
    if "满意" in lv:
        return "satisfaction"
    if "产出" in ind.level1:
        return "output"
    if "成本" in ind.level1:
        return "cost"
    if any(k in lv for k in ("效益", "效果", "可持续", "影响")):
        return "outcome"
    if any(k in (ind.level2 or "") for k in ("数量", "质量", "时效")):
        return "output"
    if "成本" in lv:
        return "cost"
    return "other"


# 部门整体 forms put outputs under 部门履职目标 and name the dimension in the 三级 name: "产出数量指标3-临时救助".
_NAMED_DIMENSION = re.compile(r"^产出(数量|质量|时效|成本)指标\s*\d*\s*[-－—:：]")


def dimension(ind: Indicator) -> str | None:
    """数量/质量/时效/成本 from the level-2 name (or a 成本 level 1, or a 三级 name prefix), else None."""
    for dim in DIMENSIONS:
        if dim in (ind.level2 or ""):
            return dim
    if "成本" in ind.level1:
        return "成本"
    return m.group(1) if (m := _NAMED_DIMENSION.match(ind.name.strip())) else None


def own_name(ind: Indicator) -> str:
    """The indicator's name without a prefix naming its dimension (产出时效指标1-奖励金发放 → 奖励金发放).

    The prefix is the form's structure, not the indicator's words: its 时效 or 数量 says nothing of the target.
    """
    name = ind.name.strip()
    return name[m.end():] if (m := _NAMED_DIMENSION.match(name)) else name


def is_cost(ind: Indicator) -> bool:
    """A 成本 row, as a level 1 or a level 2, or named so by its 三级 prefix (产出成本指标2-…)."""
    return "成本" in levels(ind) or dimension(ind) == "成本"


# Incident-type indicators (重大突发事件发生率, 违法违纪情况, 安全事故): "无" / "未发生" / "0" is their target, = 0.
_INCIDENT = re.compile(r"事件|事故|案件|违法|违纪|违规|投诉|差错|失误|纠纷|隐患|泄密|伤亡|舆情|问责|通报")
_ZERO_WORDS = {"无", "未发生", "不发生", "零", "0", "0起", "0次", "0件", "0个", "杜绝", "没有", "无发生"}


_SIDE_COST = re.compile(r"社会成本|生态环境成本|生态成本|环境成本")


def reads_as_zero(ind: Indicator) -> bool:
    """无 / 未发生 / 0 on an incident-type indicator, or on a social or ecological cost row: none happened or is
    incurred, a measurable target (= 0), not a blank."""
    if _PUNCT.sub("", ind.target) not in _ZERO_WORDS:
        return False
    return bool(_INCIDENT.search(ind.name)) or bool(_SIDE_COST.search(f"{ind.level1}{ind.level2 or ''}"))


def has_number(ind: Indicator) -> bool:
    """The target states a number (a parsed value, a digit, 百分之…, or none-happened on an incident indicator)."""
    return ind.value is not None or bool(_DIGIT.search(ind.target)) or reads_as_zero(ind)


def norm_name(text: str) -> str:
    """A name for comparison: no "(%)" suffix, punctuation or spaces; full-width folded."""
    text = text.replace("％", "%").strip()
    text = _UNIT_SUFFIX.sub("", text)
    return _PUNCT.sub("", text).lower()


def norm_text(text: str | None) -> str:
    """Free text for comparison: punctuation and spaces removed."""
    return _PUNCT.sub("", text or "")


def label(ind: Indicator, index: int) -> str:
    """How a finding names an indicator: its name, or its position when the name is blank."""
    return ind.name.strip() or f"第{index + 1}个指标（{ind.level2 or ind.level1}）"


def quoted(text: str, limit: int = 24) -> str:
    """A target or name shortened for a one-sentence explanation."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def project_label(project: Project) -> str:
    """How a finding names a project."""
    return project.name.strip() or "（未命名项目）"


def num(x: float) -> str:
    """A number as a reviewer writes it: 90, 84.6, 5487.95."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def is_percent(ind: Indicator) -> bool:
    """The value is a percentage."""
    return "%" in (ind.unit or "") or "％" in (ind.unit or "") or "百分之" in ind.target
