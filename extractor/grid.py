"""The one table-grid model every reader produces and layout mapping consumes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    """One printed cell: its anchor position, spans, text, page and box."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: BBox | None = None
    confidence: float = 1.0  # OCR recognition score (min over the cell's text lines); 1.0 for text layers
    # Does the cell's last text line reach its right edge (so its text may go on past a page break)? None: the
    # reader cannot tell. A short last line ended its text: the next page's first row is not its tail.
    open_end: bool | None = None


@dataclass
class Table:
    """A table as a set of anchored cells; spans cover the positions a merged cell fills."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    source: str = ""  # e.g. "page 3", "sheet Sheet1", "table 2"
    row_pages: list[int | None] = field(default_factory=list)
    row_boxes: list[BBox | None] = field(default_factory=list)

    def matrix(self) -> list[list[str]]:
        """Rows of text; a vertically merged cell repeats down its anchor column, other covered slots are ''."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                if cell.col < self.n_cols:
                    grid[r][cell.col] = cell.text
        return grid

    def anchors(self) -> list[list[str]]:
        """Rows of text with every covered slot '' (what was printed in that row only)."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            if cell.row < self.n_rows and cell.col < self.n_cols:
                grid[cell.row][cell.col] = cell.text
        return grid

    def page_of(self, row: int) -> int | None:
        """1-based page of a row, when the reader knows it."""
        return self.row_pages[row] if row < len(self.row_pages) else None

    def bbox_of(self, row: int) -> BBox | None:
        """Box of a row on its page, when the reader knows it."""
        return self.row_boxes[row] if row < len(self.row_boxes) else None


@dataclass
class TextLine:
    """A line of text outside any table (titles, 部门名称：…, notes)."""

    text: str
    page: int | None = None


Block = Table | TextLine


@dataclass
class DocumentGrid:
    """Everything a reader found in one file, in reading order."""

    blocks: list[Block]
    n_pages: int = 1
    needs_ocr_pages: list[int] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        """Only the tables."""
        return [b for b in self.blocks if isinstance(b, Table)]

    def with_tables(self, change: Callable[[Table], Table]) -> DocumentGrid:
        """The grid with `change` applied to each table; itself when every table came back as it was."""
        blocks = [change(b) if isinstance(b, Table) else b for b in self.blocks]
        if all(a is b for a, b in zip(blocks, self.blocks, strict=True)):
            return self
        return replace(self, blocks=blocks)


def table_from_rows(rows: list[list[str]], source: str = "", page: int | None = None) -> Table:
    """Build a span-less table from plain rows of text (text dumps, simple sheets)."""
    n_cols = max((len(r) for r in rows), default=0)
    cells = [Cell(row=i, col=j, text=t, page=page) for i, r in enumerate(rows) for j, t in enumerate(r) if t]
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, source=source, row_pages=[page] * len(rows))
