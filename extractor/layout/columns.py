"""An indicator header settled by its cells: roles re-assigned from header words and the column's values."""

from __future__ import annotations

from extractor.cells import parse_direction
from extractor.layout.align import UNUSED, FieldSlot
from extractor.layout.header_words import INDICATOR_FIELDS, header_scores, names_past
from extractor.layout.indicators import IndicatorHeader
from extractor.layout.roles import ColumnRole, assign_roles, item_labels
from extractor.layout.vocabulary import is_junk, is_level1, is_level2
from extractor.textnorm import squash

_SUB_WORDS = {"符号", "数值", "单位", "值", "性质", "计量单位", "度量单位", "目标值", "指标值", "比较符", "运算符",
              "年度", "中期", "实施期", "实施周期", "本年", "当年", "全年"}


def is_subheader(row: list[str]) -> bool:
    """A row of header words (a second header row under merged cells): no data, and mostly known header words."""
    filled = [t for t in row if t and t.strip()]
    if not filled or len(filled) > 16:
        return False
    known = 0
    for t in filled:
        key = squash(t)
        if is_level1(t) or is_level2(t) or parse_direction(t) or any(ch.isdigit() for ch in key) or len(key) > 16:
            return False
        known += key in _SUB_WORDS or bool(header_scores(t))
    return known * 2 >= len(filled)


def header_texts(rows: list[list[str]], spans: dict[tuple[int, int], int], first: int, last: int) -> dict[int, str]:
    """Per column, the header words of rows first..last, a merged cell's words repeated over the columns it spans."""
    out: dict[int, list[str]] = {}
    for r in range(first, last + 1):
        row = rows[r]
        for c, t in enumerate(row):
            if not t:
                continue
            for cc in range(c, c + max(1, spans.get((r, c), 1))):
                out.setdefault(cc, []).append(squash(t))
    # The lowest row's word names the column; the upper one is kept as context ("指标值" over "单位").
    return {c: _compose(parts) for c, parts in out.items()}


def _compose(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    child, parent = parts[-1], parts[-2]
    if child == parent:
        return child
    # "指标值" over "单位" -> "单位" (the lower word names the column); "指标值" over "年度" -> "指标值年度"
    return child if header_scores(child) else parent + child


def _names(header: str) -> str | None:
    """The field a header names best (ties go to the first listed)."""
    scores = header_scores(header)
    return max(scores, key=lambda f: scores[f]) if scores and max(scores.values()) >= 0.7 else None


def unused_columns(texts: dict[int, str], columns: dict[int, list[str]]) -> set[int]:
    """Columns printed but read by no field: last year's (上年度实际水平) and a blank's 目标1 / 目标2 row labels."""
    return {c for c, t in texts.items() if names_past(t)} | {c for c, v in columns.items() if item_labels(v)}


def settle_header(header: IndicatorHeader, texts: dict[int, str], data: list[list[str]]
                  ) -> tuple[IndicatorHeader, list[ColumnRole]]:
    """The header with columns assigned from evidence; side-by-side (mid-term | annual) blocks kept as printed."""
    if len(header.blocks) != 1:
        return header, []
    columns: dict[int, list[str]] = {}
    for row in data:
        for c, t in enumerate(row):
            if t:
                columns.setdefault(c, []).append(t)
    columns = {c: v for c, v in columns.items() if c in texts or len(v) >= 2}
    # A header cell left of the detected columns with (almost) nothing printed under it is the block's caption
    # ("本年度绩效指标" down a merged first column), not a column.
    texts = {c: t for c, t in texts.items() if c >= header.first_col or len(columns.get(c, [])) >= 2}
    past = unused_columns(texts, columns)  # no field's evidence, a slot of their own
    roles = assign_roles({c: t for c, t in texts.items() if c not in past},
                         {c: v for c, v in columns.items() if c not in past}, INDICATOR_FIELDS | {"nature"})
    assigned = {r.col for r in roles}
    taken = {r.field for r in roles}
    for c, values in sorted(columns.items()):
        texts_only = [v for v in values if v.strip() and not is_junk(v)]
        head = texts.get(c, "")
        # A merged header spread over two columns, or a 备注 column, is no unknown column.
        known = bool(head) and (head in {texts.get(r.col) for r in roles} or "备注" in head or c in past
                                or bool(set(header_scores(head)) & taken))
        # Only a headed column counts: rows printed a column off spill text under no header, and the aligner reads them.
        if c not in assigned and len(texts_only) >= 3 and head and not known:
            roles.append(ColumnRole(c, "", 0.0, texts.get(c, "")))  # text nobody could place: review must see it
    # Its cells are placed there and never shift into a field when a merged level leaves the row short.
    roles += [ColumnRole(c, UNUSED, 0.0, texts.get(c, "")) for c in sorted(past) if c in columns]
    roles = [r for r in roles if r.field] + [r for r in roles if not r.field]
    fields = {r.field for r in roles if r.field}
    # (a caption such as 绩效指标 over no cells names no column)
    named = any(_names(t) == "name" for c, t in texts.items() if c in columns or not columns)
    if not named and "description" in fields:
        # 一级 | 二级 | 指标内容 | 指标值: with no 三级指标 header, the content column names the indicator; with two
        # (指标内容 | 绩效指标描述) the first names it and the second describes it.
        placed = {r.col for r in roles if r.field}
        roles = [r for r in roles if r.field] + [  # description-headed columns the assignment left out
            ColumnRole(c, "", 0.0, t) for c, t in texts.items()
            if c not in placed and c in columns and header_scores(t).get("description", 0.0) >= 0.7]
        described = sorted([r for r in roles if r.field in ("name", "description", "")
                            and (r.field != "name" or header_scores(r.header).get("description", 0.0) >= 0.7)],
                           key=lambda r: r.col)
        for role, field in zip(described, ("name", "description"), strict=False):
            role.field = field
        for role in described[2:]:
            role.field = ""
        roles = [r for r in roles if r.field] + [r for r in roles if not r.field]
        fields = {r.field for r in roles if r.field}
    if not fields & {"name", "target"}:
        return header, roles
    slots = sorted((FieldSlot(r.field, r.col) for r in roles if r.field), key=lambda s: s.col)
    return IndicatorHeader(blocks=[slots], first_col=min(s.col for s in slots), annual_block=0), roles
