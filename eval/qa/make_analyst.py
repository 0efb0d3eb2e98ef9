"""Writes eval/qa/analyst.jsonl: analyst questions whose expected answers are computed from eval/gold."""

from __future__ import annotations

import json
import logging
import random
from typing import Any

from eval.qa.analyst_gold import (
    ALL4,
    QUAL,
    QUANT,
    ROOT,
    SAT,
    _k,
    _r,
    _s,
    _v,
    kinds,
    level1_top,
    project_top,
    rank,
    share,
    versus,
)
from eval.qa.blind_sets import QUESTIONS_2, QUESTIONS_3, QUESTIONS_4

log = logging.getLogger(__name__)
SEED = 23  # the held-out split is drawn once with this seed; the held-out ids are recorded in every line

# (type, question, expected plan, expected answer); several wordings per intent, written before tuning.
QUESTIONS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("argmax", "哪个部门的满意度指标最多？", _r("indicator", "count", SAT), rank("count", "indicator", SAT)),
    ("argmax", "满意度指标最多的是哪个部门？", _r("indicator", "count", SAT), rank("count", "indicator", SAT)),
    ("argmax", "哪个单位的满意度类指标数量最多？", _r("indicator", "count", SAT), rank("count", "indicator", SAT)),
    ("argmin", "哪个部门的满意度指标最少？", _r("indicator", "count", SAT, False),
     rank("count", "indicator", SAT, False)),
    ("argmin", "满意度指标最少的部门是哪个？", _r("indicator", "count", SAT, False),
     rank("count", "indicator", SAT, False)),
    ("argmax", "哪个部门的项目最多？", _r("project", "count"), rank("count", "project")),
    ("argmax", "项目数量最多的部门是哪个？", _r("project", "count"), rank("count", "project")),
    ("argmin", "哪个部门项目最少？", _r("project", "count", desc=False), rank("count", "project", descending=False)),
    ("argmax", "哪个部门的项目预算总额最高？", _r("project", "budget"), rank("budget", "project")),
    ("argmax", "项目预算合计最多的部门是哪个？", _r("project", "budget"), rank("budget", "project")),
    ("argmin", "哪个部门项目预算总额最低？", _r("project", "budget", desc=False),
     rank("budget", "project", descending=False)),
    ("argmax", "哪个部门的指标最多？", _r("indicator", "count"), rank("count", "indicator")),
    ("argmax", "绩效指标数量最多的是哪个部门？", _r("indicator", "count"), rank("count", "indicator")),
    ("argmax", "哪个部门定量指标占比最高？", _r("indicator", "share", QUANT), rank("share", "indicator", QUANT)),
    ("argmax", "定量指标占比最大的部门是哪个？", _r("indicator", "share", QUANT), rank("share", "indicator", QUANT)),
    ("argmax", "哪个部门的满意度指标占比最大？", _r("indicator", "share", SAT), rank("share", "indicator", SAT)),
    ("argmin", "哪个部门定性指标占比最低？", _r("indicator", "share", QUAL, False),
     rank("share", "indicator", QUAL, False)),
    ("argmax", "哪类一级指标数量最多？", _r("indicator", "count", group="level1"), level1_top()),
    ("argmax", "数量最多的一级指标是哪一类？", _r("indicator", "count", group="level1"), level1_top()),
    ("versus", "遂宁和白云，哪个部门的项目预算总额更高？", _v("project", "budget", ("遂宁", "白云")),
     versus("budget", "project", "遂宁", "白云")),
    ("versus", "遂宁和白云哪个项目预算多？", _v("project", "budget", ("遂宁", "白云")),
     versus("budget", "project", "遂宁", "白云")),
    ("versus", "遂宁比白云项目预算多多少？", _v("project", "budget", ("遂宁", "白云")),
     versus("budget", "project", "遂宁", "白云")),
    ("versus", "宿州和遵化哪个满意度指标多？", _v("indicator", "count", ("宿州", "遵化"), SAT),
     versus("count", "indicator", "宿州", "遵化", SAT)),
    ("versus", "遂宁比宿州多几个满意度指标？", _v("indicator", "count", ("遂宁", "宿州"), SAT),
     versus("count", "indicator", "遂宁", "宿州", SAT)),
    ("versus", "遵化和白云哪个部门的项目更多？", _v("project", "count", ("遵化", "白云")),
     versus("count", "project", "遵化", "白云")),
    ("versus", "白云比遵化多几个项目？", _v("project", "count", ("白云", "遵化")),
     versus("count", "project", "白云", "遵化")),
    ("versus", "遂宁和遵化相比，哪个的指标更多？", _v("indicator", "count", ("遂宁", "遵化")),
     versus("count", "indicator", "遂宁", "遵化")),
    ("versus", "宿州、遂宁和白云，哪个定量指标占比最高？",
     _r("indicator", "share", QUANT, depts=("宿州", "遂宁", "白云")),
     rank("share", "indicator", QUANT, among=("宿州", "遂宁", "白云"))),
    ("versus", "宿州与白云的定量指标占比哪个高？", _v("indicator", "share", ("宿州", "白云"), QUANT),
     versus("share", "indicator", "宿州", "白云", QUANT)),
    ("share", "定量指标占比是多少？", _s(QUANT), share(QUANT)),
    ("share", "满意度指标占全部指标的比例是多少？", _s(SAT), share(SAT)),
    ("share", "定性指标占比多少？", _s(QUAL), share(QUAL)),
    ("share", "遂宁的定量指标占比是多少？", _s(QUANT, ("遂宁",)), share(QUANT, ("遂宁",))),
    ("share", "白云满意度指标占比多少？", _s(SAT, ("白云",)), share(SAT, ("白云",))),
    ("share", "宿州的指标中定性指标所占比例", _s(QUAL, ("宿州",)), share(QUAL, ("宿州",))),
    ("share", "各部门定量指标占比", _s(QUANT, group="department"), share(QUANT, ALL4)),
    ("share", "各部门满意度指标占比分别是多少？", _s(SAT, group="department"), share(SAT, ALL4)),
    ("kinds", "宿州的整体支出和项目支出各是多少？", _k(("宿州",)), kinds("宿州")),
    ("kinds", "宿州部门整体支出预算和项目支出预算分别多少？", _k(("宿州",)), kinds("宿州")),
    ("kinds", "整体支出和项目支出分别合计多少？", _k(), kinds(None)),
    ("kinds", "按整体支出、项目支出分别统计预算", _k(), kinds(None)),
    ("topn", "满意度指标最多的前两个部门", _r("indicator", "count", SAT, n=2), rank("count", "indicator", SAT, n=2)),
    ("topn", "项目最多的两个部门是哪两个？", _r("project", "count", n=2), rank("count", "project", n=2)),
    ("topn", "指标数量排前三的部门", _r("indicator", "count", n=3), rank("count", "indicator", n=3)),
    ("topn", "项目预算总额最低的两个部门", _r("project", "budget", desc=False, n=2),
     rank("budget", "project", descending=False, n=2)),
    ("topn", "指标最多的前四个项目", _r("indicator", "count", n=4, group="project"), project_top(4)),
    ("topn", "哪个项目的指标最多？", _r("indicator", "count", group="project"), project_top(1)),
    ("argmax", "哪一年的项目最多？", _r("project", "count", group="fiscal_year"), {"numbers": [22]}),
]


def build() -> list[dict[str, Any]]:
    """Every question with its id, type, plan, expected answer and split (a seeded third held out)."""
    ids = [f"an{i:02d}" for i in range(1, len(QUESTIONS) + 1)]
    held = set(random.Random(SEED).sample(ids, len(ids) // 3))
    first = [{"id": qid, "type": kind, "question": text, "plan": plan, "expect": expect,
              "split": "heldout" if qid in held else "tuned"}
             for qid, (kind, text, plan, expect) in zip(ids, QUESTIONS, strict=True)]
    second = [{"id": f"an{len(QUESTIONS) + i:02d}", "type": kind, "question": text, "plan": plan, "expect": expect,
               "split": "heldout2"} for i, (kind, text, plan, expect) in enumerate(QUESTIONS_2, 1)]
    start = len(QUESTIONS) + len(QUESTIONS_2)
    third = [{"id": f"an{start + i:02d}", "type": kind, "question": text, "plan": plan, "expect": expect,
              "split": "heldout3"} for i, (kind, text, plan, expect) in enumerate(QUESTIONS_3, 1)]
    start += len(QUESTIONS_3)
    fourth = [{"id": f"an{start + i:02d}", "type": kind, "question": text, "plan": plan, "expect": expect,
               "split": "heldout4"} for i, (kind, text, plan, expect) in enumerate(QUESTIONS_4, 1)]
    return first + second + third + fourth


def main() -> None:
    """Rewrite analyst.jsonl from the gold files."""
    rows = build()
    out = ROOT / "eval" / "qa" / "analyst.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    log.info("%d questions (%d held out, seed %d; %d in the second blind set) -> %s", len(rows),
             sum(r["split"] == "heldout" for r in rows), SEED, sum(r["split"] == "heldout2" for r in rows), out)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
