"""Which indicator framework a form is written in, so each rule applies only where it belongs.

项目支出 forms use 产出 / 效益 / 满意度 (and, from 2021, 成本 split into 经济 / 社会 / 生态环境成本); 部门整体 forms in
the newer framework use 部门管理 / 履职效果 / 能力建设, with their outputs under 履职效果 (部门履职目标) and no
产出指标 level at all. A rule names the frameworks it covers in the rule file.
"""

from __future__ import annotations

from audit.model import FrameworkName as Framework
from extractor.schema import Project

_OVERALL_LEVEL1 = ("部门管理", "履职效果", "能力建设")
_OVERALL_LEVEL2 = ("部门履职目标", "部门效果目标", "重点工作履行情况", "履职目标实现", "资金投入", "财务管理",
                   "采购管理", "资产管理", "人员管理", "重点工作管理", "长效管理", "人力资源建设", "档案管理")
_PROJECT_LEVEL1 = ("产出", "效益", "满意度", "成本", "效果")


def framework(project: Project) -> Framework:
    """The framework most of the project's rows are written in (部门整体 when its level-1 names are used)."""
    overall = project_rows = 0
    for ind in project.indicators:
        level1, level2 = ind.level1 or "", ind.level2 or ""
        if any(w in level1 for w in _OVERALL_LEVEL1) or any(level2.startswith(w) for w in _OVERALL_LEVEL2):
            overall += 1
        elif any(w in level1 for w in _PROJECT_LEVEL1):
            project_rows += 1
    if not overall and not project_rows:
        return "未知"
    return "部门整体" if overall >= project_rows else "项目支出"


def is_management_row(level1: str) -> bool:
    """A row of the 部门管理 / 能力建设 levels: management states (健全, 完备) are its normal targets."""
    return any(w in level1 for w in ("部门管理", "能力建设"))
