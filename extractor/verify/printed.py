"""What the page prints, read without the readers' rules: a stream of rows, their numbers and money units.

The verifier's own view of the document. It shares nothing with `extractor.layout`, `extractor.cells` or
`extractor.values` on purpose: a reading is checked by something that does not make the reader's assumptions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extractor.grid import DocumentGrid, Table, TextLine

# A printed number: 1,150.00 / 1150 / -3.5 / 95% (the % is not part of it). Digits glued to letters count too.
_NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])-?\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")
_MIDTERM = ("长期", "中期", "实施周期")
_OVERALL = ("总目标", "总体", "全周期", "项目周期")
# Money units a page states, most specific first: 万元 before 元, 千元 before 元.
_UNIT_WORDS = (("万元", 1.0), ("千元", 10.0), ("元", 10000.0))
_UNIT_STATEMENT = re.compile(r"(?:单位|金额|资金|预算|数|额|计|拨款|合计)\s*[（(]?\s*[:：]?\s*[（(]?(万元|千元|元)"
                             r"\s*[）)]?|[（(](万元|千元|元)[）)]")


def squeeze(text: str) -> str:
    """Text without any whitespace, compatibility forms folded (％ → %, ＜ → <): wrapped cells print breaks."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def labelled_numbers(text: str) -> list[tuple[str, float]]:
    """Each number printed in a text with the words printed between the number before it and itself."""
    out, start = [], 0
    for m in _NUMBER.finditer(text or ""):
        out.append((text[start:m.start()], float(m.group(0).replace(",", ""))))
        start = m.end()
    return out


def numbers_in(text: str) -> list[float]:
    """Every number printed in a text, thousands separators removed."""
    return [number for _, number in labelled_numbers(text)]


def stated_unit(text: str) -> float | None:
    """The 万元 factor a short text states for amounts (元 → 10000, 千元 → 10, 万元 → 1), or None."""
    if not text or len(text) > 40:
        return None
    m = _UNIT_STATEMENT.search(squeeze(text))
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return dict(_UNIT_WORDS)[word]


@dataclass
class PrintedRow:
    """One printed row: a table row (merged cells repeated down, as the eye reads them) or a line of text."""

    index: int  # position in the document's reading order
    cells: list[str]
    page: int | None
    table: int | None = None  # index among the document's tables
    row: int | None = None
    units: set[float] = field(default_factory=set)  # money units stated in this row's table or the lines above
    midterm: bool = False  # in a 长期/中期/实施周期 indicator block (its targets are no annual targets)

    @property
    def joined(self) -> str:
        """The row's text with whitespace removed and cells run together."""
        return "".join(squeeze(c) for c in self.cells)

    def where(self) -> str:
        """Where a person finds this row, in Chinese."""
        page = f"第{self.page}页" if self.page else ""
        if self.table is not None and self.row is not None:
            return f"{page}表{self.table + 1}第{self.row + 1}行"
        return page or "正文"


@dataclass
class Printed:
    """The document as printed: rows in reading order."""

    rows: list[PrintedRow]

    def find_rows(self, text: str, start: int = 0) -> list[PrintedRow]:
        """Rows from `start` on with a cell that contains `text` (whitespace ignored)."""
        needle = squeeze(text)
        if not needle:
            return []
        return [r for r in self.rows[start:] if any(needle in squeeze(c) for c in r.cells)]


def _table_units(table: Table) -> set[float]:
    units = set()
    for cell in table.cells:
        unit = stated_unit(cell.text)
        if unit is not None:
            units.add(unit)
    return units


def printed_rows(grid: DocumentGrid) -> Printed:
    """The grid as rows in reading order; each table row knows the money units stated around it."""
    rows: list[PrintedRow] = []
    pending: set[float] = set()  # units stated in lines since the last table (单位：元 above a table)
    last_units: set[float] = set()
    n_table = 0
    for block in grid.blocks:
        if isinstance(block, TextLine):
            unit = stated_unit(block.text)
            if unit is not None:
                pending.add(unit)
            rows.append(PrintedRow(index=len(rows), cells=[block.text], page=block.page, units=set(pending)))
            continue
        units = _table_units(block) | pending or last_units  # a continuation table keeps the unit stated before
        last_units, pending = units, set()
        for r, cells in enumerate(block.matrix()):
            if any(c.strip() for c in cells):
                rows.append(PrintedRow(index=len(rows), cells=cells, page=block.page_of(r), table=n_table, row=r,
                                       units=set(units)))
        n_table += 1
    _mark_midterm(rows)
    return Printed(rows=rows)


def _caption(row: PrintedRow) -> str | None:
    for text in (squeeze(c) for c in row.cells if c.strip()):
        if len(text) <= 10 and text.endswith(("指标", "目标")) and ("绩效" in text or any(w in text for w in _MIDTERM)):
            return text
    return None


def _overall_table(caption: str) -> bool:
    """总目标绩效指标 / 总体绩效指标: the whole-period table of a form that prints its annual one apart."""
    return caption.endswith("指标") and "年度" not in caption and any(w in caption for w in _OVERALL)


def _mark_midterm(rows: list[PrintedRow]) -> None:
    """A 长期 block keeps its caption's meaning on the next page, where the merged caption is not printed again."""
    midterm = False
    for row in rows:
        caption = _caption(row)
        if caption is not None:
            midterm = any(w in caption for w in _MIDTERM) or _overall_table(caption)
        elif any(squeeze(c) in ("项目名称", "一级指标") for c in row.cells):
            midterm = False  # a new form or a new indicator table without a caption
        row.midterm = midterm
