"""What the LLM sees: grid rows with ids ("T2R15"), in segments that carry header and context, packed into chunks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extractor.grid import Table
from extractor.layout.indicators import detect_header
from extractor.layout.vocabulary import form_field, header_field, is_level1, is_level2, strip_numbering, wide_field
from extractor.layout.wide import detect_wide

_ROW_ID = re.compile(r"^T(\d+)R(\d+)$")
_LOOKBACK_TABLES = 2  # a header printed on an earlier page still heads a continuation table


def row_id(table: int, row: int) -> str:
    """The id the LLM cites for row `row` of table `table` (both 0-based; the id is 1-based)."""
    return f"T{table + 1}R{row + 1}"


def parse_row_id(rid: str) -> tuple[int, int] | None:
    """(table, row), 0-based, of a row id; None when it is not one."""
    m = _ROW_ID.match(rid.strip())
    return (int(m.group(1)) - 1, int(m.group(2)) - 1) if m else None


def clean_cell(text: str) -> str:
    """One line of cell text that cannot forge a row line or close the table block."""
    # A newline in a cell could start a fake "T9R9 | ..." line; "|" would fake a cell border.
    t = " ".join(text.split()).replace("|", "｜")
    return t.replace("<<<", "《《《").replace(">>>", "》》》")


@dataclass(frozen=True)
class Row:
    """One printed row the model may cite."""

    id: str
    table: int
    index: int
    cells: tuple[str, ...]  # printed cells in column order, interior blanks kept as ""
    page: int | None = None

    @property
    def line(self) -> str:
        """The row as the prompt shows it."""
        return " | ".join((self.id, *self.cells))

    @property
    def texts(self) -> list[str]:
        """The non-empty cells."""
        return [c for c in self.cells if c]


@dataclass(frozen=True)
class Segment:
    """Rows of one table with the header and the project/level context in force at the first row."""

    table: int
    page: int | None
    header: str
    context: str
    rows: tuple[Row, ...]

    def size(self) -> int:
        """Characters the segment adds to a prompt."""
        return len(self.header) + len(self.context) + sum(len(r.line) + 1 for r in self.rows) + 24


@dataclass(frozen=True)
class Chunk:
    """The rows of one request."""

    segments: tuple[Segment, ...]

    def rows(self) -> dict[str, Row]:
        """Citable rows by id."""
        return {r.id: r for s in self.segments for r in s.rows}

    def size(self) -> int:
        """Characters of table text in the prompt."""
        return sum(s.size() for s in self.segments)

    def first_page(self) -> int | None:
        """Page of the first row (for problem reports)."""
        return next((s.page for s in self.segments if s.page is not None), None)


def _cells(row: list[str]) -> tuple[str, ...]:
    cells = [clean_cell(t) for t in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _is_header(row: list[str]) -> bool:
    return detect_header(row) is not None or detect_wide([row]) is not None


class Planner:
    """Turns wanted rows of a document's tables into segments and chunks (pure; holds the tables)."""

    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables
        self._anchors = [t.anchors() for t in tables]
        self._matrix = [t.matrix() for t in tables]

    def row(self, t: int, r: int) -> Row:
        """The citable row r of table t."""
        return Row(row_id(t, r), t, r, _cells(self._anchors[t][r]), self.tables[t].page_of(r))

    def table_text(self, t: int) -> str:
        """Everything table t prints, joined (for vocabulary tests)."""
        return "".join("".join(row) for row in self._anchors[t])

    def content_rows(self, t: int) -> list[int]:
        """Rows of table t that print anything."""
        return [r for r, row in enumerate(self._anchors[t]) if any(c.strip() for c in row)]

    def _back(self, t: int, r: int) -> Iterable[tuple[int, int]]:
        """Positions before (t, r), nearest first, into at most two earlier tables."""
        for tt in range(t, max(-1, t - _LOOKBACK_TABLES - 1), -1):
            start = r - 1 if tt == t else len(self._anchors[tt]) - 1
            for rr in range(start, -1, -1):
                yield tt, rr

    def header(self, t: int, r: int) -> tuple[int, int] | None:
        """The header row in force at (t, r): the nearest indicator or row-per-project header at or above it."""
        if _is_header(self._anchors[t][r]):
            return t, r
        for tt, rr in self._back(t, r):
            if _is_header(self._anchors[tt][rr]):
                return tt, rr
        return None

    def context(self, t: int, r: int, project: str | None = None) -> str:
        """Project and 一级/二级 names in force at (t, r), from merged cells and labels above it."""
        level1 = level2 = None
        # Levels are read only inside the indicator block (t, r) belongs to; a header row starts a new one.
        in_block = not _is_header(self._anchors[t][r])
        for tt, rr in self._back(t, r):
            row = self._matrix[tt][rr]
            if _is_header(self._anchors[tt][rr]):
                if in_block:
                    in_block = False
                    project = project or self._project_above(tt, rr, self._anchors[tt][rr], t, r)
            else:
                if in_block:
                    for c in row:
                        if level2 is None and c and is_level2(c):
                            level2 = strip_numbering(c)
                        if level1 is None and c and is_level1(c):
                            level1 = strip_numbering(c)
                project = project or _labelled_name(row)
            if project and (level1 or not in_block):
                break
        parts = [f"项目：{clean_cell(project)}" if project else "",
                 f"一级指标：{clean_cell(level1)}" if level1 else "",
                 f"二级指标：{clean_cell(level2)}" if level2 else ""]
        return "；".join(p for p in parts if p)

    def _project_above(self, ht: int, hr: int, header: list[str], t: int, r: int) -> str | None:
        """In a row-per-project table, the project column's last value between the header and (t, r)."""
        col = next((c for c, text in enumerate(header) if text and wide_field(text) == "project"), None)
        if col is None:
            return None
        for tt, rr in self._back(t, r):
            if (tt, rr) == (ht, hr):
                break
            row = self._matrix[tt][rr]
            if col < len(row) and row[col].strip():
                return row[col]
        return None

    def segment(self, t: int, rows: list[int], project: str | None = None) -> Segment:
        """One segment of table t starting at rows[0]."""
        h = self.header(t, rows[0])
        header = " | ".join(_cells(self._anchors[h[0]][h[1]])) if h and h != (t, rows[0]) else ""
        return Segment(t, self.tables[t].page_of(rows[0]), header, self.context(t, rows[0], project),
                       tuple(self.row(t, r) for r in rows))

    def segments(self, t: int, rows: list[int], max_chars: int, project: str | None = None) -> list[Segment]:
        """Runs of adjacent wanted rows as segments no larger than max_chars (at least one row each)."""
        out: list[Segment] = []
        run: list[int] = []
        size = 0
        for r in sorted(set(rows)):
            line = len(self.row(t, r).line) + 1
            if run and (r - run[-1] > 1 or size + line > max_chars):
                out.append(self.segment(t, run, project))
                run = []
            if not run:
                size = self.segment(t, [r], project).size() - line  # header and context of a new run
            run.append(r)
            size += line
        if run:
            out.append(self.segment(t, run, project))
        return out

    def split(self, chunk: Chunk) -> tuple[Chunk, Chunk] | None:
        """Two halves of a chunk whose reply was truncated; None when it is a single row."""
        segs = chunk.segments
        if len(segs) > 1:
            mid = len(segs) // 2
            return Chunk(segs[:mid]), Chunk(segs[mid:])
        seg = segs[0]
        if len(seg.rows) < 2:
            return None
        mid = len(seg.rows) // 2
        first = [r.index for r in seg.rows[:mid]]
        second = [r.index for r in seg.rows[mid:]]
        project = _context_project(seg.context)
        return (Chunk((self.segment(seg.table, first, project),)),
                Chunk((self.segment(seg.table, second, project),)))


def _labelled_name(row: list[str]) -> str | None:
    """The value right of a 项目名称 label in a form row (not another label)."""
    for c, text in enumerate(row):
        if text and form_field(text) == "name":
            value = next((v for v in row[c + 1:] if v.strip() and v != text), None)
            return value if value and not (form_field(value) or header_field(value) or wide_field(value)) else None
    return None


def _context_project(context: str) -> str | None:
    m = re.match(r"^项目：([^；]+)", context)
    return m.group(1) if m else None


def pack(segments: list[Segment], max_chars: int) -> list[Chunk]:
    """Greedily pack segments, in order, into chunks of at most max_chars of table text."""
    chunks: list[Chunk] = []
    current: list[Segment] = []
    size = 0
    for seg in segments:
        if current and size + seg.size() > max_chars:
            chunks.append(Chunk(tuple(current)))
            current, size = [], 0
        current.append(seg)
        size += seg.size()
    if current:
        chunks.append(Chunk(tuple(current)))
    return chunks
