"""What layout mapping hands on: projects, department, year, problems and the evidence behind column roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.layout.roles import ColumnRole
from extractor.schema import ColumnEvidence, Problem, Project


@dataclass
class Mapped:
    """What layout mapping found in one document grid."""

    projects: list[Project]
    department: str | None
    fiscal_year: int | None
    problems: list[Problem]
    column_roles: list[tuple[int, list[ColumnRole]]] = field(default_factory=list)
    level_cells: int = 0  # cells printing the framework's level names
    relied_on: set[str] = field(default_factory=set)  # the assumptions (Assumptions fields) this reading used

    def column_evidence(self) -> list[ColumnEvidence]:
        """The evidence behind every indicator table's column roles, for review."""
        return [ColumnEvidence(table_index=t, col=r.col, header=r.header, field=r.field,
                               header_score=r.evidence.get("header", 0.0), cell_score=r.evidence.get("cells", 0.0))
                for t, roles in self.column_roles for r in roles]

    def unmapped_columns(self) -> list[str]:
        """Columns of indicator tables that hold text but were placed in no field (header text or position)."""
        return [f"表{t + 1}·{r.header or f'第{r.col + 1}列'}" for t, roles in self.column_roles for r in roles
                if not r.field]
