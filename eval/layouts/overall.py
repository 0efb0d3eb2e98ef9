"""A 部门整体支出 form for a gold document that has none: what departments typically put in one."""

from __future__ import annotations

import random
from typing import Any

_CANDIDATES: list[tuple[str, str, str, str, str | None, float | None, str | None]] = [
    # level1, level2, name, target, operator, value, unit
    ("产出指标", "数量指标", "重点工作任务完成数", "≥{n}项", ">=", None, "项"),
    ("产出指标", "质量指标", "重点工作任务完成率", "≥95%", ">=", 95, "%"),
    ("产出指标", "时效指标", "预算执行率", "≥90%", ">=", 90, "%"),
    ("产出指标", "成本指标", "“三公”经费变动率", "≤0%", "<=", 0, "%"),
    ("效益指标", "社会效益指标", "社会治安环境", "持续改善", None, None, None),
    ("效益指标", "可持续影响指标", "长效管理机制", "健全", None, None, None),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", ">=", 90, "%"),
]

OVERALL_GOAL = "围绕部门职责，保障各项重点工作顺利开展，提升履职效能和公共服务水平，维护社会和谐稳定。"


def _indicator(c: tuple[str, str, str, str, str | None, float | None, str | None], n: int) -> dict[str, Any]:
    level1, level2, name, target, op, value, unit = c
    if "{n}" in target:
        target, value = target.format(n=n), n
    return {"level1": level1, "level2": level2, "name": name, "description": None, "target": target,
            "operator": op, "value": value, "value_max": None, "unit": unit, "qualitative": op is None,
            "weight": None, "direction": None, "basis": None, "midterm_target": None, "page": None, "bbox": None,
            "confidence": 1.0, "origin": "human"}


def synthesize_overall(gold: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """An overall project named after the department: total = sum of project totals, 4–6 generic indicators."""
    projects = [p for p in gold.get("projects", []) if p.get("kind") == "project"]
    total = round(sum((p.get("budget") or {}).get("total") or 0.0 for p in projects), 6)
    keep = sorted(rng.sample(range(len(_CANDIDATES)), rng.randint(4, 6)))
    name = gold.get("department") or "本部门"
    return {"kind": "overall", "name": name, "code": None, "unit": name,
            "budget": {"total": total, "fiscal": None, "other": None, "carryover": None},
            "period": None, "goal": OVERALL_GOAL, "midterm_goal": None,
            "indicators": [_indicator(_CANDIDATES[i], len(projects)) for i in keep], "page": None}
