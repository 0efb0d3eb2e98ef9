"""Indicators packed into one cell: "1、1-产出指标；11-数量指标；名称；实施周期指标值:…；年度指标值:…。2、…"."""

from __future__ import annotations

import re

from extractor.layout.vocabulary import is_level1, is_level2, strip_numbering

_ITEM = re.compile(r"(?:^|(?<=[。；;.\s]))\s*\d{1,3}\s*[、.．]\s*(?=\d+\s*[-－]|[^\d])")
_PART = re.compile(r"[；;]")
_KEYED = re.compile(r"^(实施周期指标值|中期指标值|年度指标值|指标值|目标值|年度目标值)\s*[:：]\s*(.*)$", re.S)
_MIDTERM_KEYS = {"实施周期指标值", "中期指标值"}


def looks_packed(text: str) -> bool:
    """True when a cell holds several numbered indicators with level names inside."""
    return bool(re.search(r"\d\s*[-－]\s*\S*指标", text)) and ("；" in text or ";" in text)


def parse_packed(text: str) -> list[dict[str, str]]:
    """Split a packed cell into rows of field -> text (level1, level2, name, target, midterm_target)."""
    items = [s for s in _ITEM.split(text) if s and s.strip()]
    rows: list[dict[str, str]] = []
    for item in items:
        row: dict[str, str] = {}
        names: list[str] = []
        for raw in _PART.split(item.strip().rstrip("。")):
            part = raw.strip().rstrip("。")
            if not part:
                continue
            keyed = _KEYED.match(part)
            if keyed:
                field = "midterm_target" if keyed.group(1) in _MIDTERM_KEYS else "target"
                row[field] = keyed.group(2).strip().rstrip("。")
            elif "level1" not in row and is_level1(part):
                row["level1"] = strip_numbering(part)
            elif "level2" not in row and (is_level2(part) or re.match(r"^\d{2}\s*[-－]", part)):
                row["level2"] = strip_numbering(part)
            else:
                names.append(part)
        if names:
            row["name"] = "；".join(names)
        if row.get("name") or row.get("target"):
            rows.append(row)
    return rows
