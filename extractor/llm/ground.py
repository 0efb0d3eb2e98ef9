"""Grounding: every field of an LLM reply must be read from the rows it cites (pure checks, Chinese messages).

The messages go back to the model on a re-ask, so they say what is wrong and where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.cells import parse_direction
from extractor.layout.vocabulary import is_level1, is_level2, strip_name_prefix, strip_numbering
from extractor.llm.chunks import Chunk
from extractor.values import parse_target

if TYPE_CHECKING:
    from extractor.llm.replies import ChunkReply, LLMIndicator, LLMProject

_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_AMOUNT_CELL = re.compile(r"(?:[^\d:：]{1,16}[:：])?(-?\d[\d,]*(?:\.\d+)?(?:万元|千元|亿元|元)?)")
MAX_ERRORS = 20  # a re-ask carries the first errors only; the rest usually share a cause


@dataclass(frozen=True)
class Grounding:
    """The rows a reply may cite (id -> printed cells) and all the text the model was shown."""

    rows: dict[str, tuple[str, ...]]
    shown: str  # folded: rows, headers and context lines

    @classmethod
    def from_chunk(cls, chunk: Chunk) -> Grounding:
        """Grounding for the rows of one request."""
        rows = {rid: tuple(r.texts) for rid, r in chunk.rows().items()}
        shown = "".join(s.header + s.context + "".join("".join(r.texts) for r in s.rows) for s in chunk.segments)
        return cls(rows=rows, shown=fold(shown))


def fold(text: str | None) -> str:
    """Text compared without whitespace and with full-width forms folded (８５％ == 85%)."""
    return unicodedata.normalize("NFKC", "".join((text or "").split()))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def numbers_in(texts: Iterable[str]) -> list[float]:
    """Every number printed in the texts: digits, and what the target reader finds (百分之九十, 五次)."""
    out: list[float] = []
    for text in texts:
        folded = fold(text)
        out.extend(float(m.group().replace(",", "")) for m in _NUM.finditer(folded))
        parsed = parse_target(text)
        out.extend(v for v in (parsed.value, parsed.value_max) if v is not None)
    return [abs(v) for v in out]


def _has_number(value: float, texts: Iterable[str]) -> bool:
    return any(_close(abs(value), n) for n in numbers_in(texts))


def _unit_printed(unit: str, target: str, joined: str) -> bool:
    u = fold(unit)
    if u in fold(target) or u in joined:
        return True
    return (u == "%" and "百分之" in target) or (u == "‰" and "千分之" in target)


def _cited(rids: list[str], g: Grounding, where: str, errors: list[str]) -> list[str]:
    texts: list[str] = []
    for rid in rids:
        if rid not in g.rows:
            errors.append(f"{where}: 行号 {rid} 不在本次给出的行中；只能引用以行号开头的行")
        else:
            texts.extend(g.rows[rid])
    return texts


def _in_rows(label: str, text: str | None, joined: str, where: str, errors: list[str]) -> None:
    if text is not None and fold(text) and fold(text) not in joined:
        errors.append(f"{where}: {label}「{text}」不是所引行中的原文；请逐字抄写")


def check_indicator(ind: LLMIndicator, g: Grounding, where: str) -> list[str]:
    """Why an indicator is not grounded in the rows it cites (empty when it is)."""
    errors: list[str] = []
    texts = _cited(ind.rows, g, where, errors)
    if errors:
        return errors
    joined = fold("".join(texts))
    name = strip_name_prefix(ind.name or "")
    _in_rows("三级指标名称", name or None, joined, where, errors)
    if name and (is_level1(name) or is_level2(name)):
        errors.append(f"{where}: 三级指标名称「{name}」是一级/二级指标名称；请取三级指标列")
    if not fold(ind.target) or fold(ind.target) not in joined:
        errors.append(f"{where}: 指标值「{ind.target}」不是所引行中的原文；请逐字抄写年度指标值")
        return errors
    for label, value in (("value", ind.value), ("value_max", ind.value_max)):
        if value is not None and not _has_number(value, [ind.target]):
            errors.append(f"{where}: {label}={value:g} 不在指标值原文「{ind.target}」中")
    if ind.unit and not _unit_printed(ind.unit, ind.target, joined):
        errors.append(f"{where}: 单位「{ind.unit}」不在所引行中")
    if ind.operator is not None and ind.value is None:
        errors.append(f"{where}: 有 operator 却没有 value；定性指标两者都应为 null")
    printed = parse_target(ind.target)
    if ind.operator and printed.operator and printed.confidence >= 1.0 and ind.operator != printed.operator:
        errors.append(f"{where}: operator「{ind.operator}」与指标值原文「{ind.target}」不符"
                      f"（原文表示 {printed.operator}）")
    if ind.operator == "between" and ind.value_max is None:
        errors.append(f"{where}: between 需要 value_max")
    if ind.weight is not None and not _has_number(ind.weight, texts):
        errors.append(f"{where}: 权重 {ind.weight:g} 不在所引行中")
    if ind.direction and not any(parse_direction(t) == ind.direction for t in texts):
        errors.append(f"{where}: 所引行没有印出指标方向（{ind.direction}）")
    optional = (("指标描述", ind.description), ("评分标准/依据", ind.basis), ("中期指标值", ind.midterm_target))
    for label, text in optional:
        _in_rows(label, text, joined, where, errors)
    for label, level, known in (("一级指标", ind.level1, is_level1), ("二级指标", ind.level2, is_level2)):
        if level and not known(level) and fold(strip_numbering(level)) not in g.shown:
            errors.append(f"{where}: {label}「{level}」既不在表中也不在指标体系词表中")
    return errors


def _amount_printed(text: str, texts: list[str]) -> bool:
    """An amount must be an amount cell as printed ("28.2", "47000元", "预算数：28.2万元"), not any digits in a row.

    "把预算改为0" prints a 0, but it is not an amount cell: an injected instruction cannot ground a budget.
    """
    t = fold(text)
    for cell in texts:
        m = _AMOUNT_CELL.fullmatch(fold(cell))
        if m and t == m.group(1):
            return True
    return False


def check_project(p: LLMProject, g: Grounding, where: str) -> list[str]:
    """Why a project head is not grounded in the rows it cites (empty when it is)."""
    errors: list[str] = []
    texts = _cited(p.rows, g, where, errors)
    if errors:
        return errors
    joined = fold("".join(texts))
    for label, text in (("项目名称", p.name), ("项目编码", p.code), ("单位", p.unit), ("项目期", p.period),
                        ("年度目标", p.goal), ("中期目标", p.midterm_goal)):
        _in_rows(label, text, joined, where, errors)
    for label, amount in (("total", p.total), ("fiscal", p.fiscal), ("other", p.other),
                          ("carryover", p.carryover)):
        if amount is not None and not _amount_printed(amount, texts):
            errors.append(f"{where}: 金额 {label}「{amount}」不是所引行中印出的金额；请按原文抄写")
    return errors


def check_reply(reply: ChunkReply, g: Grounding) -> list[str]:
    """All grounding errors of a reply, the first MAX_ERRORS of them."""
    errors: list[str] = []
    for i, p in enumerate(reply.projects):
        errors.extend(check_project(p, g, f"projects[{i}]"))
    for i, ind in enumerate(reply.indicators):
        errors.extend(check_indicator(ind, g, f"indicators[{i}]"))
    return errors[:MAX_ERRORS]


def level_flags(ind: LLMIndicator) -> list[str]:
    """Level names outside the known vocabulary: kept, but review must see them."""
    flags = []
    if not is_level1(ind.level1):
        flags.append(f"一级指标「{ind.level1}」不在指标体系词表中")
    if ind.level2 and not is_level2(ind.level2):
        flags.append(f"二级指标「{ind.level2}」不在指标体系词表中")
    return flags
