"""Indicator headers and rows: header detection, side-by-side blocks, one row -> one Indicator."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.cells import is_unit, parse_direction, parse_weight
from extractor.layout.align import FieldSlot, Token, align_blocks
from extractor.layout.header_words import INDICATOR_FIELDS, header_scores
from extractor.layout.vocabulary import (
    belongs_to,
    header_field,
    is_junk,
    is_level1,
    is_level2,
    level1_parent,
    strip_name_prefix,
    strip_numbering,
)
from extractor.schema import Indicator
from extractor.textnorm import squash
from extractor.values import parse_split_target, parse_target

_CORE = {"level1", "level2", "name", "target"}
_SPLIT_FIELDS = {"nature", "unit"}


@dataclass
class IndicatorHeader:
    """Where each indicator field sits; several blocks when mid-term and annual stand side by side."""

    blocks: list[list[FieldSlot]]
    first_col: int
    annual_block: int = -1  # index into blocks of the annual one


_LEVEL_MAX = 16  # level names are short (服务对象满意度指标, 部门履职目标); a longer cell is a label or sentence


@dataclass
class LevelCarry:
    """Merged 一级/二级 cells carried down the rows they cover."""

    level1: str | None = None
    level2: str | None = None
    printed1: str | None = None  # the 一级 cell as printed, when it was read as another framework name


@dataclass
class RowResult:
    """What one row gave: an indicator, or why not."""

    indicator: Indicator | None = None
    problem: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


_DIRECTION_VALUES = {"正向", "反向", "逆向", "正向指标", "反向指标", "逆向指标", "正", "反"}


def _header_cell_field(text: str) -> tuple[str, float] | None:
    """The indicator field a header cell names and how sure: an exact synonym, else its words; data names none."""
    if f := header_field(text):
        return f, 1.0
    key = squash(text)
    if is_level1(text) or is_level2(text) or key in _DIRECTION_VALUES or any(ch.isdigit() for ch in text):
        return None
    scores = {f: s for f, s in header_scores(text).items() if f in INDICATOR_FIELDS}
    if not scores:
        return None
    f, s = max(scores.items(), key=lambda kv: kv[1])
    return (f, s) if s >= 0.7 else None


def detect_header(row: list[str], min_fields: int = 3) -> IndicatorHeader | None:
    """An indicator header row: at least three distinct indicator column names, one of them core."""
    found = [(c, *hit) for c, t in enumerate(row) if t and (hit := _header_cell_field(t))]
    level1_col = min((c for c, f, s in found if f == "level1" and s >= 1.0), default=None)
    if level1_col is not None:
        # Left of 一级指标 only a caption stands ("本年度绩效指标" down a merged first column), never a column of
        # the table: a cell named by its words alone there is not the indicator name.
        found = [x for x in found if x[0] > level1_col or x[2] >= 1.0]
    exact = {f for _, f, s in found if s >= 1.0}
    # Only exact names repeat into a second block (mid-term | annual); a field named by words alone keeps its
    # best-named column ("绩效指标（三级）" over the caption "绩效指标").
    best = {f: max((x for x in found if x[1] == f), key=lambda x: x[2])[0] for _, f, _ in found if f not in exact}
    slots = [(c, f) for c, f, s in found if (s >= 1.0) or (f not in exact and best[f] == c)]
    names = {f for _, f in slots if f}
    described = [c for c, f in slots if f == "description"]
    if "name" not in names and len(described) >= 2:
        # 指标内容 | 绩效指标描述 with no 三级指标 column: the first names the indicator, the second describes it.
        slots = [(c, "name" if c == described[0] else f) for c, f in slots]
        names = names | {"name"}
    elif "description" in names and "name" not in names and names & {"level1", "level2"}:
        # 一级 | 二级 | 指标内容 | 指标值: with no 三级指标 column, the content column names the indicator.
        slots = [(c, "name" if f == "description" else f) for c, f in slots]
        names = (names - {"description"}) | {"name"}
    if len(names) < min_fields or not names & _CORE or not names & {"name", "target"}:
        return None
    blocks: list[list[FieldSlot]] = [[]]
    for col, f in slots:
        assert f is not None
        if any(s.field == f for s in blocks[-1]):
            blocks.append([])  # a repeated column opens a second block (mid-term | annual)
        blocks[-1].append(FieldSlot(f, col))
    if len(blocks) > 1:
        # Levels printed once serve every block; the annual block is the last one unless marked.
        blocks = [b for b in blocks if any(s.field in ("name", "target") for s in b)] or blocks
    return IndicatorHeader(blocks=blocks, first_col=slots[0][0], annual_block=len(blocks) - 1)


_MIDTERM_WORDS = {"中期", "实施期", "实施周期", "中期指标值", "实施期指标值", "实施周期指标值", "中期目标值"}
_ANNUAL_WORDS = {"年度", "本年", "本年度", "当年", "年度指标值", "年度目标值", "当年指标值"}


def period_subheader(row: list[str]) -> dict[int, str] | None:
    """A row under the header that splits 指标值 into 实施期 | 年度 columns -> column: field."""
    out: dict[int, str] = {}
    for c, t in enumerate(row):
        if not t:
            continue
        key = squash(t)
        if key in _MIDTERM_WORDS:
            out[c] = "midterm_target"
        elif key in _ANNUAL_WORDS:
            out[c] = "target"
        else:
            return None
    return out if "target" in out.values() else None


def refine_header(header: IndicatorHeader, periods: dict[int, str]) -> IndicatorHeader:
    """The header with its value columns taken from a period sub-header (annual value, mid-term beside it)."""
    if len(header.blocks) != 1:
        return header
    kept = [s for s in header.blocks[0] if s.field not in ("target", "midterm_target")]
    slots = sorted(kept + [FieldSlot(f, c) for c, f in periods.items()], key=lambda s: s.col)
    return IndicatorHeader(blocks=[slots], first_col=header.first_col, annual_block=0)


# Cells that overflow a table's last column are clipped into it by the renderer: "30正向指标" (weight +
# direction), "次20" (unit + weight). Split them back; each half keeps the column it was printed in.
_WEIGHT_DIRECTION = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*((?:正向|反向)(?:指标)?)$")
_UNIT_WEIGHT = re.compile(r"^(\D{1,4}?)\s*(\d{1,3}(?:\.\d+)?)$")


def split_fused(text: str) -> list[str]:
    """One printed cell as the one or two field values it holds."""
    if m := _WEIGHT_DIRECTION.match(text):
        return [m.group(1), m.group(2)]
    if (m := _UNIT_WEIGHT.match(text)) and is_unit(m.group(1)) and float(m.group(2)) <= 100:
        return [m.group(1), m.group(2)]
    return [text]


def row_tokens(row: list[str], first_col: int = 0) -> list[Token]:
    """Non-empty, non-junk cells of a row from the first indicator column on (one column of slack)."""
    return [Token(c, part) for c, t in enumerate(row) if t and c >= first_col - 1 and not is_junk(t)
            for part in split_fused(t)]


def _merge_blocks(parts: list[dict[str, str]], annual: int) -> dict[str, str]:
    """One record from side-by-side blocks: annual values win; mid-term target kept separately."""
    merged: dict[str, str] = {}
    for i, part in enumerate(parts):
        for key, text in part.items():
            if i == annual or key not in merged:
                merged[key] = text
    if len(parts) > 1:
        mid = parts[0]
        annual_part = parts[annual] if annual < len(parts) else {}
        if "target" in mid and annual != 0:
            merged["midterm_target"] = mid["target"]
            if "target" not in annual_part:
                # only the mid-term side printed a value: it is the only value we have
                merged.setdefault("target", mid["target"])
                merged["midterm_target"] = ""
    return merged


def level_columns(header: IndicatorHeader) -> set[int]:
    """The columns the header's 一级 and 二级 slots stand in."""
    return {s.col for b in header.blocks for s in b if s.field in ("level1", "level2")}


def closing_row(tokens: list[Token], header: IndicatorHeader) -> bool:
    """A sentence under the level columns (单位已有的（或拟订的）保证项目实施的制度、措施 | …): no indicator row."""
    levels = level_columns(header)
    first = min(tokens, key=lambda t: t.col) if tokens else None  # a row printed a column off starts with a level
    return first is not None and first.col in levels and len(squash(first.text)) > _LEVEL_MAX \
        and "指标" not in first.text


def read_row(tokens: list[Token], header: IndicatorHeader, carry: LevelCarry, page: int | None,
             bbox: tuple[float, float, float, float] | None) -> RowResult:
    """Map one indicator row to an Indicator (levels carried down), or say why it could not be."""
    if not tokens:
        return RowResult()
    if closing_row(tokens, header):
        return RowResult()
    parts, cost = align_blocks(tokens, header.blocks)
    split = any(s.field == "nature" for b in header.blocks for s in b)
    return read_fields(_merge_blocks(parts, header.annual_block), carry, page, bbox, cost, split)


def read_fields(fields: dict[str, str], carry: LevelCarry, page: int | None,
                bbox: tuple[float, float, float, float] | None, cost: float = 0.0,
                split: bool = False) -> RowResult:
    """Build an Indicator from field texts (levels carried down); cost lowers confidence."""
    if "level1" in fields:
        printed = strip_numbering(fields["level1"])
        new_l1 = framework_level1(printed, strip_numbering(fields.get("level2", "")) or carry.level2)
        if new_l1 != carry.level1 and "level2" not in fields:
            carry.level2 = None
        carry.level1, carry.printed1 = new_l1, (printed if new_l1 != printed else None)
    if "level2" in fields:
        carry.level2 = strip_numbering(fields["level2"])
        if "level1" not in fields and carry.level1 and not belongs_to(carry.level1, carry.level2):
            # the 一级 cell was lost (shifted row): the framework names the parent
            carry.level1, carry.printed1 = level1_parent(carry.level2), None
    name = strip_name_prefix(fields.get("name", ""))
    target_text = fields.get("target", "")
    if not name and not target_text:
        return RowResult(problem="行中没有可识别的指标名称或指标值") if cost > 0 or fields else RowResult()
    if carry.level1 is None:
        return RowResult(problem="指标行缺少一级指标")
    if split or _SPLIT_FIELDS & set(fields):
        parsed = parse_split_target(fields.get("nature"), target_text, fields.get("unit"))
    else:
        parsed = parse_target(target_text)
    confidence = parsed.confidence * (0.95 if cost == 0 else max(0.5, 0.95 - 0.04 * cost))
    if not is_level1(carry.level1):
        confidence -= 0.1
    if not name:
        confidence = min(confidence, 0.4)
    midterm = squash(fields.get("midterm_target", "")) or None
    indicator = Indicator(
        level1=carry.level1, level2=carry.level2, name=name, description=fields.get("description") or None,
        target=parsed.target, operator=parsed.operator, value=parsed.value, value_max=parsed.value_max,
        unit=parsed.unit, qualitative=parsed.qualitative, weight=parse_weight(fields.get("weight", "")),
        direction=parse_direction(fields.get("direction", "")), basis=fields.get("basis") or None,
        midterm_target=midterm, page=page, bbox=list(bbox) if bbox else None,
        confidence=round(max(0.05, min(1.0, confidence)), 3), origin="rules",
    )
    indicator._printed_level1 = carry.printed1
    return RowResult(indicator=indicator)


# Captions printed over or beside an indicator table's level columns.
CAPTIONS = {"绩效指标", "指标", "考核指标", "绩效考核指标", "项目绩效指标", "年度绩效指标", "指标体系"}


def framework_level1(printed: str, level2: str | None) -> str:
    """The framework's 一级指标 for what a 一级 cell prints: a 二级 name or the table's caption is read up a level."""
    key = squash(printed)
    if is_level1(key) or not key:
        return printed
    if parent := level1_parent(key):
        return parent  # 社会效益指标 printed as 一级 -> 效益指标
    if key in CAPTIONS and level2 and (parent := level1_parent(level2)):
        return parent  # the caption 绩效指标 over 经济效益指标 -> 效益指标
    return printed
