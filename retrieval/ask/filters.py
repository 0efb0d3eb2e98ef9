"""Field filters a question names (反向, 定性, 单位是人次) and questions the audit findings answer (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Protocol

from retrieval.ask.vocabulary import Vocabulary, longest_first, normalize

Direction = Literal["positive", "negative"]
DIRECTION_WORDS: tuple[tuple[str, Direction], ...] = (("反向", "negative"), ("逆向", "negative"), ("负向", "negative"),
                                                       ("正向", "positive"))
QUALITATIVE_WORDS: tuple[tuple[str, bool], ...] = (("定性", True), ("定量", False), ("量化的", False))
_UNIT = re.compile(r"(?:计量)?单位(?:是|为)[“\"']?(?P<u>[^”\"'，,。？?\s]+?)[”\"']?(?=的|[，,。？?]|$)|"
                   r"以[“\"']?(?P<v>[^”\"'，,。？?\s]+?)[”\"']?为(?:计量)?单位")
# Questions about the review rules (绩效目标审核): the phrase, the rule ids whose findings answer it.
AUDIT_QUESTIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"(?:没有|没|未|不能|无法|未能|不)量化|定量指标(?:的)?(?:占比|比例|比重)|定量指标(?:太|偏|过)少"),
     ("MEAS-LOW-QUANT-SHARE",)),
    (re.compile(r"成本[^？?。]*?(?:超过|超出|高于|大于|多于)(?:了)?(?:项目)?(?:年度)?(?:预算|资金)|超预算"),
     ("MONEY-COST-OVER-BUDGET",)),
    (re.compile(r"(?:指标值?|目标值?)[^？?。]*?(?:模糊|不可衡量|无法衡量|不可考核|无法考核)"), ("MEAS-VAGUE-TARGET",)),
    (re.compile(r"照抄|模板选项"), ("MEAS-PLACEHOLDER",)),
    (re.compile(r"指标[^？?。]*?(?:雷同|相同|一样|重复)"), ("COPY-INDICATORS", "CONS-DUPLICATE")),
    (re.compile(r"资金来源[^？?。]*?(?:不符|对不上|不一致)"), ("MONEY-BUDGET-PARTS",)),
    (re.compile(r"方向[^？?。]*?矛盾"), ("CONS-DIRECTION",)),
)


class Blankable(Protocol):
    """The question text with understood spans blanked (parse._Text)."""

    def rest(self) -> str: ...

    def take(self, start: int, end: int) -> None: ...


@dataclass
class FieldFilters:
    """What a question filters indicators by, and the audit rules it asks about."""

    direction: Direction | None = None
    qualitative: bool | None = None
    unit: str | None = None
    rules: list[str] = field(default_factory=list)

    def any_indicator_filter(self) -> bool:
        """True when indicators are filtered by a field (direction, qualitative, unit)."""
        return self.direction is not None or self.qualitative is not None or self.unit is not None


def _take_word(t: Blankable, word: str) -> bool:
    i = t.rest().find(word)
    if i < 0:
        return False
    t.take(i, i + len(word))
    return True


def _unit(t: Blankable, vocab: Vocabulary) -> str | None:
    m = _UNIT.search(t.rest())
    if m is None:
        return None
    written = normalize(m.group("u") or m.group("v") or "")
    known = next((u for u in sorted(vocab.units, key=longest_first) if u == written), None)
    if known is None:
        known = next((u for u in sorted(vocab.units, key=longest_first) if written.startswith(u)), None)
    if known is None:
        return None
    t.take(m.start(), m.end())
    return known


def field_filters(t: Blankable, vocab: Vocabulary) -> FieldFilters:
    """Audit questions first (成本…超过预算 is not a 成本 level filter), then direction, qualitative, unit."""
    out = FieldFilters()
    for pattern, rules in AUDIT_QUESTIONS:
        m = pattern.search(t.rest())
        if m is not None:
            t.take(m.start(), m.end())
            out.rules.extend(r for r in rules if r not in out.rules)
    if out.rules:
        return out
    for word, direction in DIRECTION_WORDS:
        if _take_word(t, word):
            out.direction = direction
            break
    for word, qualitative in QUALITATIVE_WORDS:
        if _take_word(t, word):
            out.qualitative = qualitative
            break
    out.unit = _unit(t, vocab)
    return out
