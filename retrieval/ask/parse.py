"""Question text + the store's vocabulary -> a Plan (pure): intent, filters, topic words, a number condition."""

from __future__ import annotations

import logging
import re
from typing import Literal

from retrieval.ask.analyst_parse import refine, vague
from retrieval.ask.answers import Comparison, GroupKey, Intent, Op, Plan, Subject
from retrieval.ask.filters import FieldFilters, field_filters
from retrieval.ask.lexicon import (
    AVG_WORDS,
    BUDGET_WORDS,
    COMPARE_WORDS,
    COUNT_WORDS,
    DEPT_GROUP_WORDS,
    EXISTENCE_WORDS,
    FOLLOW_UP,
    INDICATOR_WORDS,
    LEVEL_GROUP_WORDS,
    MISSING_WORDS,
    NUM,
    OPS,
    OVERALL_WORDS,
    STOPWORDS,
    SUFFIX_OPS,
    SUM_WORDS,
    TOP,
    VALUE_WORDS,
    YEAR,
    YEAR_GROUP_WORDS,
    cn_number,
)
from retrieval.ask.vocabulary import MONEY_UNITS, Vocabulary, level_stem, longest_first, normalize

log = logging.getLogger(__name__)

class _Text:
    """The question with the spans already understood blanked out, so later steps do not read them twice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.free = list(text)

    def rest(self) -> str:
        return "".join(self.free)

    def take(self, start: int, end: int) -> None:
        self.free[start:end] = [" "] * (end - start)

    def find_free(self, word: str) -> int:
        return self.rest().find(word)


def _departments(t: _Text, vocab: Vocabulary) -> list[str]:
    found: list[str] = []
    for alias in sorted(vocab.aliases, key=longest_first):
        while (i := t.find_free(alias)) >= 0:
            t.take(i, i + len(alias))
            found.extend(n for n in sorted(vocab.aliases[alias]) if n not in found)
    return found


def _year(t: _Text) -> int | None:
    m = YEAR.search(t.rest())
    if m is None:
        return None
    t.take(m.start(), m.end())
    return int(m.group(1))


def _unit_after(text: str, vocab: Vocabulary) -> str | None:
    if text.startswith("%"):
        return "%"
    return next((u for u in (*MONEY_UNITS, *vocab.units) if text.startswith(u)), None)


def _comparison(t: _Text, vocab: Vocabulary, money_context: bool) -> Comparison | None:
    rest = t.rest()
    for word, op in OPS:
        for m in re.finditer(re.escape(word) + NUM, rest):
            if word in ("为", "是", "=", "达到") and not (m.group("pct") or m.group("num")):
                continue  # 为/是 before a Chinese numeral is ordinary text (是一个…)
            return _make_comparison(t, vocab, m, op, m.start(), money_context)
    for m in re.finditer(NUM, rest):
        if not (m.group("num") or m.group("pct")):
            continue
        after = rest[m.end():]
        unit = _unit_after(after, vocab) or ""
        suffix = next((s for s in SUFFIX_OPS if after[len(unit):].startswith(s)), None)
        if suffix:
            return _make_comparison(t, vocab, m, SUFFIX_OPS[suffix], m.start(), money_context, len(suffix))
    return None


def _make_comparison(t: _Text, vocab: Vocabulary, m: re.Match[str], op: Op, start: int,
                     money_context: bool, suffix: int = 0) -> Comparison:
    raw = m.group("pct") or m.group("num") or m.group("cn") or "0"
    value = cn_number(raw)
    after = t.rest()[m.end():]
    unit = "%" if m.group("pct") else _unit_after(after, vocab)
    end = m.end() + (len(unit) if unit and not m.group("pct") else 0) + suffix
    text = t.text[start:end]
    t.take(start, end)
    if unit in MONEY_UNITS or (unit is None and money_context):
        return Comparison(op=op, value=round(value * MONEY_UNITS.get(unit or "万元", 1.0), 6), unit="万元",
                          field="budget", text=text)
    return Comparison(op=op, value=value, unit=unit, field="value", text=text)


def _top(t: _Text) -> tuple[int | None, bool, bool]:
    """(N, descending, explicit N) of 前N / 最高的三个 / 最低的…"""
    m = TOP.search(t.rest())
    if m is None:
        return None, True, False
    t.take(m.start(), m.end())
    if m.group("n"):
        return int(cn_number(m.group("n"))), True, True
    descending = m.group("dir") not in ("最低", "最小", "最少")
    return (int(cn_number(m.group("m"))) if m.group("m") else 1), descending, bool(m.group("m"))


def _levels(t: _Text, vocab: Vocabulary) -> tuple[list[str], str | None]:
    """Store level names the question names, by full name or by stem (满意度 -> every 满意度 level)."""
    stems = sorted({level_stem(lv) for lv in vocab.levels} | set(vocab.levels), key=longest_first)
    found: list[str] = []
    labels: list[str] = []
    for stem in stems:
        rest = t.rest()
        i = rest.find(stem)
        if i < 0:
            continue
        after = rest[i + len(stem):]
        # Two-character stems (数量, 成本…) are ordinary words unless followed by 指标/目标/类.
        if len(stem) < 3 and stem not in vocab.levels and not after.startswith(("指标", "目标", "类", "方面")):
            continue
        t.take(i, i + len(stem))
        labels.append(stem)
        found.extend(lv for lv in vocab.levels if level_stem(stem) in lv and lv not in found)
    return found, ("、".join(labels) or None)


def _topics(t: _Text, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """Topic words the store knows, and leftover words it does not."""
    rest = t.rest()
    for word in STOPWORDS:
        if len(word) > 1:  # single characters (的, 为…) occur inside topic words: dropped as jieba tokens below
            rest = rest.replace(word, " ")
    pieces: list[list[str]] = [[]]
    for token in _segment(rest):
        if token in STOPWORDS or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9]+", token) or token.isdigit():
            pieces.append([])
        else:
            pieces[-1].append(token)
    topics: list[str] = []
    unknown: list[str] = []
    for tokens in pieces:
        piece = "".join(tokens)
        if len(piece) < 2:
            continue
        if vocab.knows(piece):
            topics.append(piece)
            continue
        known = [w for w in tokens if vocab.knows(w)]
        topics.extend(known)
        unknown.extend(w for w in tokens if len(w) >= 2 and w not in known)
    return list(dict.fromkeys(topics)), list(dict.fromkeys(unknown))


def _segment(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(text) if w.strip()]


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def _intent(q: str, comparison: Comparison | None, top: int | None, audit: bool) -> tuple[Intent, list[str]]:
    stated: list[str] = []
    intent: Intent = "list"
    if audit:
        intent = "audit"
    elif _has(q, MISSING_WORDS) and not _has(q, EXISTENCE_WORDS):
        intent = "missing"
    elif _has(q, COUNT_WORDS):
        intent = "count"
    elif top is not None or _has(q, ("排名", "排序")):
        intent = "top"  # 合计最高的部门: the top of the sums
    elif _has(q, AVG_WORDS):
        intent = "avg"
    elif _has(q, SUM_WORDS):
        intent = "sum"
    elif _has(q, COMPARE_WORDS):
        intent = "compare"
    elif comparison is not None:
        intent = "threshold"
    if intent != "list" or _has(q, ("哪些", "列出", "有什么")):
        stated.append("intent")
    return intent, stated


_NOUNS: tuple[tuple[str, Subject], ...] = (("部门", "department"), ("单位", "department"), ("项目", "project"),
                                          ("指标", "indicator"))


def _count_of(q: str) -> Subject | None:
    """What a count counts: the first of 部门/项目/指标 after 多少个 (or anywhere before it)."""
    for word in COUNT_WORDS:
        i = q.find(word)
        if i >= 0:
            after = [(q.find(n, i), s) for n, s in _NOUNS if q.find(n, i) >= 0]
            before = [(-q.rfind(n, 0, i), s) for n, s in _NOUNS if q.rfind(n, 0, i) >= 0]
            return min(after)[1] if after else min(before)[1] if before else None
    return None


def _subject(q: str, intent: Intent, levels: list[str], comparison: Comparison | None,
             count_of: Subject | None, filters: FieldFilters) -> Subject:
    """What the rows of the answer are: projects, indicators, or departments (projects grouped by them)."""
    if _has(q, ("哪些部门", "哪个部门", "哪几个部门")) or count_of == "department":
        return "department"
    if intent in ("missing", "audit") or count_of == "project":
        return "project"
    about_indicators = _has(q, INDICATOR_WORDS) or (_has(q, VALUE_WORDS) and not _has(q, BUDGET_WORDS))
    if (levels or filters.any_indicator_filter() or (comparison is not None and comparison.field == "value")
            or count_of == "indicator"
            or (about_indicators and not _has(q, ("项目",)))):
        return "indicator"
    return "project"


def _group_by(q: str, intent: Intent, subject: Subject, departments: list[str]
              ) -> GroupKey | None:
    if _has(q, DEPT_GROUP_WORDS) or subject == "department" or (_has(q, ("分别", "各自")) and len(departments) > 1):
        return "department"
    if _has(q, YEAR_GROUP_WORDS):
        return "fiscal_year"
    if _has(q, LEVEL_GROUP_WORDS):
        return "level1"
    return "department" if intent == "compare" else None


def parse(question: str, vocab: Vocabulary) -> Plan:
    """What a question asks, in terms of the store's own departments, years, levels and topic words."""
    q = normalize(question)
    t = _Text(q)  # each step blanks what it understood, in this order: names first, free words last
    departments = _departments(t, vocab)
    year = _year(t)
    filters = field_filters(t, vocab)
    levels, level_label = _levels(t, vocab)
    comparison = _comparison(t, vocab, money_context=_has(q, BUDGET_WORDS) and not levels)
    top_n, descending, explicit_n = _top(t)
    topics, unknown = _topics(t, vocab)
    intent, stated = _intent(q, comparison, top_n, bool(filters.rules))
    asks_budget = _has(q, BUDGET_WORDS)
    count_of = _count_of(q) if intent == "count" else None
    subject = _subject(q, intent, levels, comparison, count_of, filters)
    measure: Literal["budget", "value", "count"] = (
        "value" if subject == "indicator" and not asks_budget else "count" if intent == "count" else "budget")
    for name, value in (("departments", departments), ("fiscal_year", year), ("levels", levels),
                        ("topics", topics), ("comparison", comparison), ("top_n", top_n)):
        if value:
            stated.append(name)
    if asks_budget:
        stated.append("asks_budget")
    if filters.any_indicator_filter() or filters.rules:
        stated.append("filters")
    if _has(q, ("项目", "指标", "部门")):
        stated.append("subject")
    plan = Plan(intent=intent, subject=subject, departments=departments, fiscal_year=year, levels=levels,
                level_label=level_label, topics=topics, comparison=comparison,
                top_n=top_n if intent == "top" or explicit_n else None, descending=descending,
                group_by=_group_by(q, intent, subject, departments), measure=measure,
                overall=_has(q, OVERALL_WORDS), direction=filters.direction, qualitative=filters.qualitative,
                unit=filters.unit, rules=filters.rules, count_of=count_of, asks_budget=asks_budget, unknown=unknown,
                stated=stated, follow_up=bool(FOLLOW_UP.search(q)))
    plan = refine(q, plan, vocab)
    if vague(q, plan):
        plan = plan.model_copy(update={"intent": "refuse"})
    log.debug("parsed %r -> %s", question, plan)
    return plan
