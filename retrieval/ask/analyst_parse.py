"""Analyst questions (pure): rank groups, compare named departments, shares, totals by kind -> the Plan's fields."""

from __future__ import annotations

import re

from retrieval.ask.answers import ANALYST_INTENTS, GroupKey, Intent, Part, Plan
from retrieval.ask.lexicon import CN_NUM, DEPT_GROUP_WORDS, cn_number
from retrieval.ask.vocabulary import Vocabulary

SUPERLATIVE = re.compile(r"最(多|少|高|低|大|小)|排(名)?前|前(\d+|" + CN_NUM + r")(个|名|位)?|排(名)?第一|第一名|居首")
COMPARATIVE = re.compile(r"更(多|少|高|低|大|小)|哪个[^，,、]{0,8}(多|少|高|低|大|小)[？?]?$|(多|少|高|低)(多少|几)"
                         r"|相比|比较")
ASCENDING = re.compile(r"最(少|低|小)|更(少|低|小)|哪个[^，,、]{0,8}(少|低|小)[？?]?$")
SHARE = re.compile(r"占比|比例|比重|百分比|所占")
# Year over year: a change between fiscal years of the same department(s), never a rank of years.
YEARLY = re.compile(r"同比|比上一?年|较上一?年|与上一?年|比去年|较去年|逐年|历年|各年度?的?(变化|增减)"
                    r"|年度变化|每年变化|(\d{4})年(度)?(比|较|相比)(\d{4})年")
# What a year-over-year question says of the change: words of the question, not topics or conditions.
CHANGE = re.compile(r"变化|增减|增长|增加|减少|多了|少了|情况|年度|每年|历年|逐年|同比|上年|去年|\d{4}")
TOP_N = re.compile(rf"(?:前|排名前|排前)(\d+|{CN_NUM})|(\d+|{CN_NUM})个(?:部门|单位|项目)|哪(\d+|{CN_NUM})个")
# An ordering word without anything countable behind it (最快, 最好): a question the plan cannot express.
VAGUE_ORDER = re.compile(r"最(?![多少高低大小])|更(?![多少高低大小])|哪个.{0,4}(好|快|强|差|优|慢)")
WHICH_GROUP = re.compile(r"哪(个|家)(部门|单位)|哪(一|个)?年|哪(一)?类|哪几个部门|哪两个|哪个项目|部门是|的部门")
BUDGET = ("预算", "资金", "经费", "金额", "支出额")
SIZE_WORDS = ("规模", "总量", "数额", "体量")
PARTS: tuple[tuple[str, Part], ...] = (("满意度", "satisfaction"), ("定量", "quantitative"), ("定性", "qualitative"))
EXAMPLES = ("哪个部门的满意度指标最多？", "遂宁和白云哪个部门的项目预算总额更高？", "遂宁比白云多几个项目？",
            "各部门定量指标占比", "整体支出和项目支出分别合计多少？", "指标最多的前三个项目")


def _has(q: str, words: tuple[str, ...]) -> bool:
    return any(w in q for w in words)


def _part(q: str) -> Part | None:
    return next((part for word, part in PARTS if word in q), None)


def _group(q: str, counted: str) -> GroupKey:
    if re.search(r"哪(一|个)?年|各年|每年", q):
        return "fiscal_year"
    if re.search(r"一级指标|哪(一)?类|各类", q):
        return "level1"
    if counted == "indicator" and re.search(r"哪(个|些|几个)项目|个项目|的项目$|项目是", q):
        return "project"
    return "department"


def _top_n(q: str) -> int:
    m = TOP_N.search(q)
    word = next((g for g in m.groups() if g), None) if m else None
    return int(cn_number(word)) if word else 1


def _ordered(q: str, departments: list[str], vocab: Vocabulary) -> list[str]:
    """Named departments in the order the question writes them (遂宁比白云: 遂宁 first)."""
    def first(name: str) -> int:
        spots = [q.find(a) for a, names in vocab.aliases.items() if name in names and a in q]
        return min(spots, default=len(q))
    return sorted(departments, key=first)


def _topics(q: str, plan: Plan) -> list[str]:
    """Topic words the store knows and unknown words, less ordering, share and question words (not topics)."""
    cue = re.compile(r"更|最|哪|排|占|比")  # jieba cuts 数量排前三 into 量排…: pieces of the cues, not topics
    # Words no record uses and made of question words only (一级, 哪类, 各是): not a condition either.
    idle = re.compile(r"[一二三级类各是分别第几哪个位居名列请问]+")
    words = [t for t in plan.topics + [u for u in plan.unknown if not idle.fullmatch(u)]
             if not (SUPERLATIVE.search(t) or COMPARATIVE.search(t) or SHARE.search(t) or cue.search(t))
             and not (t in SIZE_WORDS and any(w in q for w in BUDGET))]  # 预算规模 is the budget itself
    return [t for t in words if not re.fullmatch(rf"(\d+|{CN_NUM})(个|名|位|项)?", t)]  # 前四个: the N of a top-N


def _conditions(q: str, plan: Plan) -> list[str]:
    """Conditions the analyst plan cannot hold: words no record uses, a number condition, audit rules."""
    unknown = [t for t in _topics(q, plan) if t not in plan.topics]
    rules = [] if _part(q) in ("quantitative", "qualitative") else plan.rules  # 定量指标占比 is the share itself
    return unknown + [str(f) for f in (plan.comparison, *rules) if f]


def refine(q: str, plan: Plan, vocab: Vocabulary) -> Plan:
    """The plan of an analyst question; any other question's plan unchanged."""
    kinds = "整体支出" in q and "项目支出" in q
    if YEARLY.search(q) and not [c for c in _conditions(q, plan) if not CHANGE.search(c)]:
        return _yearly(q, plan, vocab)
    share = bool(SHARE.search(q))
    order = bool(SUPERLATIVE.search(q) or COMPARATIVE.search(q))
    named = _ordered(q, plan.departments, vocab)
    grouped = bool(WHICH_GROUP.search(q)) or len(named) > 1 or bool(TOP_N.search(q))
    if not (kinds or share or (order and grouped)):
        return plan
    if _conditions(q, plan):
        return plan  # a condition the analyst plan cannot hold: the record path keeps it
    part = _part(q)
    budget = any(w in q for w in BUDGET)
    counted = "indicator" if "指标" in q or part else "project" if "项目" in q or budget else None
    topics = [t for t in _topics(q, plan) if t in plan.topics]
    filtered = bool(topics or plan.direction or plan.unit or "平均" in q)
    if filtered and (kinds or (share and not order) or ("平均" in q and counted != "project")):
        return plan  # 信息化项目的整体支出, 平均指标数: not what these plans compute; the record path answers
    update: dict[str, object] = {
        "departments": named, "part": part, "comparison": None, "topics": topics, "unknown": [], "levels": [],
        "level_label": None, "stated": [*plan.stated, "intent"],
        "qualitative": None if part in ("quantitative", "qualitative") else plan.qualitative}  # part says it
    if kinds:
        return plan.model_copy(update={**update, "intent": "kinds", "counted": "project", "metric": "budget",
                                       "part": None, "group_by": None})
    if counted is None:
        return plan.model_copy(update={"intent": "refuse", "unknown": plan.unknown or plan.topics})
    metric = "share" if share else ("avg" if "平均" in q else "budget") if budget and counted == "project" else "count"
    base = {**update, "counted": counted, "metric": metric, "descending": not ASCENDING.search(q)}
    intent: Intent
    if len(named) == 2 and not SUPERLATIVE.search(q) and order:
        intent = "versus"
    elif order and grouped:
        intent = "rank"
    else:
        group = "department" if (_has(q, DEPT_GROUP_WORDS) or "分别" in q) and not named else None
        return plan.model_copy(update={**base, "intent": "share", "group_by": group, "top_n": None})
    group = "department" if named else _group(q, counted)
    if intent == "rank" and group == "department" and not re.search(r"部门|单位", q) and len(named) < 2:
        return plan  # 遂宁预算最高的三个项目: records ranked, not groups; the record path answers it
    return plan.model_copy(update={**base, "intent": intent, "group_by": group if intent == "rank" else None,
                                   "top_n": _top_n(q) if intent == "rank" else None})


def _yearly(q: str, plan: Plan, vocab: Vocabulary) -> Plan:
    """同比 / 逐年: each named department's (or every department's) figure per stored fiscal year."""
    part = _part(q)
    counted = "indicator" if "指标" in q or part else "project"
    metric = "count" if counted == "indicator" or re.search(r"项目数|多少个项目|几个项目", q) else "budget"
    topics = [t for t in _topics(q, plan) if t in plan.topics and not CHANGE.search(t)]
    return plan.model_copy(update={
        "intent": "years", "departments": _ordered(q, plan.departments, vocab), "fiscal_year": None,
        "counted": counted, "metric": metric, "part": part, "group_by": "fiscal_year", "top_n": None,
        "topics": topics, "comparison": None, "unknown": [],
        "levels": [], "level_label": None, "stated": [*plan.stated, "intent"]})


def vague(q: str, plan: Plan) -> bool:
    """An ordering question (哪个部门最好) with no count, sum or share the plan can compute."""
    return plan.intent not in ANALYST_INTENTS and bool(WHICH_GROUP.search(q)) \
        and bool(VAGUE_ORDER.search(q))
