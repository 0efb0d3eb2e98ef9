"""The structural assumptions a grid is read under: each can be switched off to propose another reading."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Assumptions:
    """What the mapper takes for granted about a form; the usual reading assumes all of them.

    Field order is the order the alternatives are tried in (the earlier wins a tie).
    """

    # "项目名称：X" typed into one cell is a label with its value (not a cell of text that happens to hold a colon).
    label_cells: bool = True
    # Rows that look like indicators by their cells have a header even when its words are unknown.
    headers_inferred: bool = True
    # A table whose header words are unknown is one row per indicator (or project) when its cells look so.
    wide_inferred: bool = True
    # Above an indicator block, a value beside an unknown label says by its shape which field it is.
    value_labels: bool = True

    def without(self, name: str) -> Assumptions:
        """The same assumptions with one switched off."""
        return replace(self, **{name: False})


USUAL = Assumptions()
