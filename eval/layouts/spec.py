"""The layout spec: what a generated file prints (sections of text lines and ruled tables with merges)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Family = Literal["form", "wide", "flat", "sheet_per_project", "overall_plus_projects"]
FAMILIES: tuple[Family, ...] = ("form", "wide", "flat", "sheet_per_project", "overall_plus_projects")
Format = Literal["xlsx", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("xlsx", "docx", "pdf")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cell(_Model):
    """One printed cell: its text, and for Excel the number behind it with a display format."""

    text: str = ""
    number: float | None = None
    fmt: str | None = None  # Excel number format, e.g. "#,##0.00"
    bold: bool = False


class Merge(_Model):
    """A merged range, inclusive, 0-based (row0, col0) .. (row1, col1)."""

    row0: int
    col0: int
    row1: int
    col1: int


class TextBlock(_Model):
    """A line printed outside tables: a title or a note such as 单位：元."""

    kind: Literal["text"] = "text"
    text: str
    style: Literal["title", "note"] = "note"


class TableBlock(_Model):
    """A ruled table: a full grid of cells (covered cells of a merge are blank) plus its merges."""

    kind: Literal["table"] = "table"
    rows: list[list[Cell]]
    merges: list[Merge] = Field(default_factory=list)
    widths: list[float] = Field(default_factory=list)  # relative column widths
    # rows that start a new printed page (pdf and docx print the table in pieces, xlsx gets a manual page break)
    page_breaks: list[int] = Field(default_factory=list)

    @property
    def n_cols(self) -> int:
        """Number of columns of the grid."""
        return max((len(r) for r in self.rows), default=0)


Block = TextBlock | TableBlock


class Section(_Model):
    """A sheet (xlsx), a page-broken part (docx) or a page run (pdf)."""

    name: str
    blocks: list[Block] = Field(default_factory=list)


class LayoutSpec(_Model):
    """Everything a renderer needs to write one variant."""

    doc: str
    family: Family
    seed: int
    pool: str
    options: dict[str, Any] = Field(default_factory=dict)  # the seeded choices, for debugging and reports
    sections: list[Section]


class Variant(_Model):
    """A layout spec and the gold the extractor is expected to return for it."""

    spec: LayoutSpec
    expected: dict[str, Any]

    @property
    def key(self) -> str:
        """A stable file stem: doc-family-seed."""
        return f"{self.spec.doc}-{self.spec.family}-s{self.spec.seed}"


class GridBuilder:
    """Builds a TableBlock row by row; merges are given as spans from a cell."""

    def __init__(self, n_cols: int) -> None:
        """Start an empty grid of n_cols columns."""
        self.n_cols = n_cols
        self.rows: list[list[Cell]] = []
        self.merges: list[Merge] = []

    def add_row(self, cells: Sequence[Cell | str]) -> int:
        """Append a row (padded with blanks to the width); returns its index."""
        row = [c if isinstance(c, Cell) else Cell(text=c) for c in cells]
        if len(row) > self.n_cols:
            raise ValueError(f"row of {len(row)} cells in a grid of {self.n_cols} columns")
        row += [Cell() for _ in range(self.n_cols - len(row))]
        self.rows.append(row)
        return len(self.rows) - 1

    def set(self, row: int, col: int, cell: Cell | str) -> None:
        """Put a cell at (row, col)."""
        self.rows[row][col] = cell if isinstance(cell, Cell) else Cell(text=cell)

    def merge(self, row0: int, col0: int, row1: int, col1: int) -> None:
        """Merge an inclusive range when it covers more than one cell (covered cells are blanked)."""
        if (row0, col0) == (row1, col1):
            return
        for r in range(row0, row1 + 1):
            for c in range(col0, col1 + 1):
                if (r, c) != (row0, col0):
                    self.rows[r][c] = Cell()
        self.merges.append(Merge(row0=row0, col0=col0, row1=row1, col1=col1))

    def block(self, widths: list[float] | None = None) -> TableBlock:
        """The finished table."""
        return TableBlock(rows=self.rows, merges=self.merges, widths=widths or [])
