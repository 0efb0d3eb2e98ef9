"""Form labels nobody listed: a label cell's field read from the value beside it.

A form prints label | value pairs above its indicator block. When a label's words are unknown, the
value still says what it is: an amount is the budget, a code is the project code, an organisation is
the implementing unit, a long sentence is the goal, and the remaining short text is the project's name.
"""

from __future__ import annotations

import re

from extractor.layout.forms import unit_line
from extractor.layout.header_words import header_scores
from extractor.layout.names import is_date, never_a_name
from extractor.layout.vocabulary import form_field, is_level1, is_level2, is_other_label
from extractor.textnorm import squash

_AMOUNT = re.compile(r"^[-+]?[\d,]+(\.\d+)?\s*(万元|元|千元|亿元)?$")
_CODE = re.compile(r"^(?=.*\d)[0-9A-Za-z][0-9A-Za-z\-_.]{5,}$")
# Budget units print their code first (208302-某某中学); otherwise the name ends like an organisation.
_ORGANISATION = re.compile(r"(委员会|委|局|院|办公室|办|中心|厅|政府|学|校|园|医院|所|站|队|处|室|馆|社|会)"
                           r"(本级|机关|部门)?$|^\d{3,}\s*[-－—]")
_PAST = re.compile(r"^(以前年度|上一?年度?|去年|历年|往年)")
_PERIOD = re.compile(r"^(20\d{2}\s*(年|-|—|至|~)\s*(20\d{2}\s*年?)?|\d+\s*年)$")


def _label_like(text: str) -> bool:
    key = squash(text)
    return (0 < len(key) <= 14 and not any(ch.isdigit() for ch in key) and not is_level1(text)
            and not is_level2(text) and form_field(text) is None and not header_scores(text))


def unknown_pairs(row: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of a row made only of unknown labels each followed by its value."""
    filled = [t for t in row if t and t.strip()]
    if not filled or len(filled) % 2 or len(filled) > 6:
        return []
    pairs = list(zip(filled[::2], filled[1::2], strict=True))
    if not all(_label_like(label) for label, _ in pairs):
        return []
    # 项目性质 | 经常性项目, and 以前年度项目绩效情况 | …: neither is this year's field
    pairs = [(label, value) for label, value in pairs if not is_other_label(label) and not _PAST.match(squash(label))]
    if any(value_field(v) == "target" for _, v in pairs):
        return []  # a name beside its target or level is an indicator row, not a label row
    if len(pairs) >= 3 and all(value_field(v) == "name" for _, v in pairs):
        return []  # a row of short words only: a header row in words nobody listed
    return pairs


def value_field(value: str) -> str:
    """The form field a value reads as: total, code, unit, period, goal or name ("target" for none of them)."""
    key = squash(value)
    if _AMOUNT.match(key):
        return "total"
    if is_date(key):
        return "period"  # 2025-12-31 is a date, never a code
    if never_a_name(key):
        return "target"  # ≤100%, a level name, a caption: what an indicator row prints, never a form's value
    if _CODE.match(key):
        return "code"
    if _PERIOD.match(key):
        return "period"
    if len(key) >= 25 or re.search(r"[。；;]", key) or (len(key) >= 12 and re.search(r"[，,]", key)):
        return "goal"
    if _ORGANISATION.search(key) or unit_line(value):
        return "unit"
    return "name"
