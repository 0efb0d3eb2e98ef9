"""What a header cell says, from its meaningful parts rather than its exact string.

Departments decorate the same column name in endless ways ("考核指标值", "目标水平（年度）", "指标值/标准",
"指标比重", "扣分规则"). Exact synonyms still win (vocabulary.py); otherwise the header is reduced to
its words (brackets, slashes, 及/和/含 split; prefixes such as 年度/项目/预期/考核/绩效 dropped) and each
word votes for the fields it names. The result is a score per field, kept as evidence for review.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extractor.layout.vocabulary import HEADER_SYNONYMS, WIDE_SYNONYMS, header_field, wide_field
from extractor.textnorm import squash

# (pattern, field, score): the first hit per field counts; several fields may be named by one header.
# Ordered from the most to the least specific; scores say how sure a word alone makes us.
_WORDS: tuple[tuple[str, str, float], ...] = (
    (r"一级", "level1", 0.95),
    (r"大类|指标类别|指标类型", "level1", 0.75),
    (r"二级", "level2", 0.95),
    (r"三级", "name", 0.9),
    (r"方向|正反向|正负向|^正向|^反向|^正/反", "direction", 0.95),
    (r"(指标)?(性质|属性|符号|运算|关系符|比较|类型)", "nature", 0.7),
    (r"(计量|度量|计算|数值|指标值?)单位|^单位$", "unit", 0.9),
    (r"权重|比重|权数|分值|分数|满分|占分|^分$|标准分", "weight", 0.9),
    (r"评分|扣分|计分|打分|评价标准|考核标准|评判|规则|依据|取值说明|值说明|佐证|来源|测算", "basis", 0.85),
    (r"(中期|实施期|实施周期|周期|全周期|总体|规划期|三年|长期|远期)\w{0,4}(值|水平|标准)$", "midterm_target", 0.9),
    (r"(年度|本年|当年|今年)\w{0,4}(值|水平)$", "target", 0.9),
    (r"(指标|目标|计划|预期|考核|完成|绩效|期望|实现|预计|达到)(值|水平|数)|^值$|数值|^目标$|^标准值$|^指标值",
     "target", 0.8),
    (r"[^分权]值$", "target", 0.6),
    (r"描述|解释|说明|内容|定义|口径|释义|含义|内涵", "description", 0.7),
    (r"(指标|绩效)名称|^(绩效|考核|具体|明细)?指标(项)?$|^名称$|细化指标|指标项目", "name", 0.7),
    (r"标准", "basis", 0.4),
    (r"目标", "target", 0.4),
)
# Project columns of row-per-project and one-row-per-indicator tables.
_PROJECT_WORDS: tuple[tuple[str, str, float], ...] = (
    (r"(项目|资金)(名称|全称)|^项目$|预算项目$|^(二级|三级)?项目名称", "project", 0.9),
    (r"(项目|资金)(编码|代码|编号|标识码)|^(编码|代码|编号|标识码)$", "code", 0.9),
    (r"(单位|部门)(名称)?$|(实施|使用|主管|预算|申报)(单位|部门)", "unit_name", 0.7),
    (r"财政(拨款|资金)|一般公共预算|本级财力", "fiscal", 0.85),
    (r"其他资金|自筹|其他来源", "other", 0.85),
    (r"结转|结余", "carryover", 0.85),
    (r"(预算|资金|项目)?(金额|总额|规模|总计|合计|数额)|预算数|^预算$|安排数", "total", 0.75),
    (r"(年度|项目|绩效|总体)?(绩效)?目标(内容|描述)?$", "goal", 0.5),
)
_SPLIT = re.compile(r"[/／、|]|及|和|与|或|含")
_BRACKETS = re.compile(r"[(（\[【〔<《]([^)）\]】〕>》]*)[)）\]】〕>》]")
_PREFIX = re.compile(r"^(年度|项目|预期|考核|绩效|具体|本年度|本年|设定|计划|拟定|申报)+")
_NUMBERING = re.compile(r"^[\d一二三四五六七八九十]+[.、．]\s*")
_PAST = re.compile(r"^(上一?年度?|去年|前一?年度?|以前年度|历年|往年)|实际(完成)?(值|水平|数)$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", squash(text)).rstrip(":：*＊")


@lru_cache(maxsize=8192)
def header_scores(text: str) -> dict[str, float]:
    """Score per indicator or project field that a header cell names (1.0 = an exact known synonym)."""
    key = _NUMBERING.sub("", _fold(text))
    if not key or len(key) > 24:
        return {}
    out: dict[str, float] = {}
    if f := header_field(key):
        out[f] = 1.0
    if f := wide_field(key):
        out.setdefault(f, 1.0)
    notes = " ".join(_BRACKETS.findall(key))
    core = _BRACKETS.sub("", key)
    parts = [p for p in _SPLIT.split(core) if p] or [core]
    for level, field in (("一级", "level1"), ("二级", "level2"), ("三级", "name")):
        if level in notes:
            out[field] = max(out.get(field, 0.0), 0.95)  # "绩效指标（二级）": the note says which level
    inline = _BRACKETS.sub(r"\1", key)  # "政策（项目）名称" -> "政策项目名称"
    for part in [core, inline, *parts, *(_PREFIX.sub("", p) for p in parts)]:
        for pattern, field, score in (*_WORDS, *_PROJECT_WORDS):
            if part and re.search(pattern, part) and score > out.get(field, 0.0):
                out[field] = score
    if notes:
        if re.search(r"%|分", notes):
            out.setdefault("weight", 0.5)
        if re.search(r"年度|本年|当年", notes) and "target" in out:
            out["target"] = max(out["target"], 0.9)
        if re.search(r"中期|实施期|周期", notes) and "target" in out:
            out["midterm_target"] = max(out.get("midterm_target", 0.0), out.pop("target"))
    if "unit_name" in out and "unit" in out and out["unit"] < 1.0:
        # 实施单位 names an organisation; 指标单位 / 度量单位名称 a measure
        organisation = re.search(r"(实施|使用|主管|预算|申报|填报|责任|项目)单位|^单位名称$|部门", key)
        out.pop("unit" if organisation and not re.search(r"(计量|度量|计算)单位", key) else "unit_name")
    if _PAST.search(key) and out.get("target", 0.0) < 1.0:
        out.pop("target", None)  # 上年度实际水平 beside 本年度计划水平: last year's level is no target
        out.pop("midterm_target", None)
    if out.get("midterm_target", 0.0) >= 0.9 and out.get("target", 0.0) < 1.0:
        out.pop("target", None)  # 中期指标值 is not the annual value
    if "project" in out and ("name" in out or "level1" in out) and not re.search(r"项目|资金", key):
        out.pop("project")
    return out


def names_past(text: str) -> bool:
    """A header of last year's figures (上年度实际水平, 上年度预算安排): its column is printed but holds no field."""
    return bool(_PAST.search(_NUMBERING.sub("", _fold(text))))


def best_header_field(text: str, fields: frozenset[str] | None = None, floor: float = 0.6) -> str | None:
    """The field a header cell most clearly names, if its score reaches `floor`."""
    scores = {f: s for f, s in header_scores(text).items() if fields is None or f in fields}
    if not scores:
        return None
    f, s = max(scores.items(), key=lambda kv: kv[1])
    return f if s >= floor else None


INDICATOR_FIELDS = frozenset(HEADER_SYNONYMS)
PROJECT_FIELDS = frozenset(WIDE_SYNONYMS)
