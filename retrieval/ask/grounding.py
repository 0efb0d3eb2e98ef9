"""Every figure in an LLM answer must come from a tool result: the evidence seen so far and the check (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
# Enumeration markers (1. 2、 (3)) at the start of a line are layout, not figures.
_MARKER = re.compile(r"^\s*(?:[(（]?\d{1,2}[)）]|\d{1,2}[.、．](?!\d))", re.M)


def numbers_in(text: str) -> list[str]:
    """The figures written in a text, as written (5.00, 80, 2023), enumeration markers left out."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text))  # 2,227.25 is one figure
    return _NUMBER.findall(_MARKER.sub(" ", text))


def _walk(value: Any, out: set[float]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        out.add(float(value))
    elif isinstance(value, str):
        out.update(float(n) for n in numbers_in(value))
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _walk(v, out)


def supported(figure: str, allowed: set[float]) -> bool:
    """True when a written figure equals an allowed number, or that number rounded as written (5487.95)."""
    x = float(figure)
    decimals = len(figure.partition(".")[2])
    return any(abs(a - x) < 1e-9 or round(a, decimals) == x for a in allowed)


@dataclass
class Evidence:
    """What the model has been shown: every number, and every record id it may cite."""

    numbers: set[float] = field(default_factory=set)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_text(self, text: str) -> None:
        """Numbers the user wrote (2023年, 80%) may be repeated."""
        _walk(text, self.numbers)

    def add_result(self, result: Any) -> None:
        """A tool result as the model saw it: its numbers, its record ids, and the counts of its lists."""
        _walk(result, self.numbers)
        self._records(result)

    def _records(self, value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str) and re.fullmatch(r"[pi]\d+", value["id"]):
                self.records.setdefault(value["id"], value)
            for v in value.values():
                self._records(v)
        elif isinstance(value, list):
            self.numbers.add(float(len(value)))  # 共 2 个: a count of what a tool listed is evidence
            departments = {v.get("department") for v in value if isinstance(v, dict) and v.get("department")}
            if departments:
                self.numbers.add(float(len(departments)))
            for v in value:
                self._records(v)

    def unsupported(self, *texts: str) -> list[str]:
        """Figures in these texts that no tool result contains."""
        return list(dict.fromkeys(n for t in texts for n in numbers_in(t) if not supported(n, self.numbers)))


def flatten(rows: list[dict[str, Any]]) -> str:
    """The values of answer rows as one text, for the figure check."""
    return " ".join(str(v) for r in rows for v in r.values() if v is not None and not isinstance(v, bool))
