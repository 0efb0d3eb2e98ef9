"""The budget year: from a "(YYYY年度)" title, else from goal texts that state the budget year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

TITLE_YEAR = re.compile(r"(20\d{2})\s*年度")
# "2024年全委共…", "预算2024年雇员…": a year that is the subject of the plan. Deadlines ("2020年12月底前"),
# ranges ("2018-2020年"), starting dates ("自2013年1月1日") and completed events ("于2019年年底完工") are not.
_GOAL_YEAR = re.compile(r"(?<![\d\-—~至到自于])(20\d{2})年(?![\d底末前初内—\-~至到）)])")


# "2024年部门整体支出绩效目标表": a form title may say 年 without 度.
_FORM_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?![\d底末前初内月])(?=.*(?:绩效|目标|预算).*表)")


def title_year(text: str) -> int | None:
    """The year of a "(YYYY年度)" title or header line, or of a form title such as "2024年…绩效目标表"."""
    m = TITLE_YEAR.search(text) or (_FORM_TITLE_YEAR.search(text) if len(text) <= 60 else None)
    return int(m.group(1)) if m else None


def budget_year_from_goals(goals: Iterable[str | None], window: tuple[int, int] = (2000, 2099)) -> int | None:
    """The year most goal texts plan for, when the form prints no year of its own (None when none is stated)."""
    counts: Counter[int] = Counter()
    for goal in goals:
        for m in _GOAL_YEAR.finditer(goal or ""):
            year = int(m.group(1))
            if window[0] <= year <= window[1]:
                counts[year] += 1
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, n in counts.items() if n == best)  # a tie goes to the later year: plans look forward
