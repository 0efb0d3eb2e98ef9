"""OCR'd text: lines in reading order, and repairs of what the recogniser gets wrong in Chinese text."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.grid import DocumentGrid, Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.mending import parts_of_speech
from extractor.ocr.repair import dotted_thousands, enumeration_commas, form_words, packed_punctuation
from extractor.textnorm import clean_cell

_CJK = re.compile(r"[\u3400-\u9fff]")


def text_lines(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """OCR boxes grouped into visual lines, top to bottom, each left to right."""
    rows: list[list[OcrBox]] = []
    for b in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        mid, height = (b.box[1] + b.box[3]) / 2, b.box[3] - b.box[1]
        if rows:
            last = rows[-1]
            last_mid = sum((x.box[1] + x.box[3]) / 2 for x in last) / len(last)
            if abs(mid - last_mid) < 0.5 * max(height, min(x.box[3] - x.box[1] for x in last)):
                last.append(b)
                continue
        rows.append([b])
    return [sorted(r, key=lambda b: b.box[0]) for r in rows]


def chinese_quotes(text: str) -> str:
    """ASCII double quotes in Chinese text as “ ”, pairing with the quotes already there.

    The recogniser often reads a closing ” as "; Chinese documents print curly quotes.
    """
    if '"' not in text or not _CJK.search(text):
        return text
    out = []
    depth = 0
    for ch in text:
        if ch == '"':
            ch = "”" if depth > 0 else "“"
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        out.append(ch)
    return "".join(out)


def paired_brackets(text: str) -> str:
    """A closing bracket takes the width of the one it closes: OCR mixes "（" with ")" freely."""
    if not any(ch in text for ch in ")）"):
        return text
    out = []
    opened: list[str] = []
    for ch in text:
        if ch in "(（":
            opened.append(ch)
        elif ch in ")）" and opened:
            ch = ")" if opened.pop() == "(" else "）"
        out.append(ch)
    return "".join(out)


def ocr_text(text: str) -> str:
    """Normalise OCR'd text like any reader's, plus OCR-specific repairs."""
    text = form_words(paired_brackets(chinese_quotes(clean_cell(text))))
    return packed_punctuation(dotted_thousands(enumeration_commas(text, parts_of_speech)))


def cell_text(boxes: list[OcrBox]) -> tuple[str, float]:
    """Text of a cell's OCR lines in reading order (wrapped lines joined by clean_cell) and its lowest score."""
    if not boxes:
        return "", 1.0
    text = "\n".join(" ".join(b.text for b in line) for line in text_lines(boxes))
    return ocr_text(text), min(b.score for b in boxes)


def repair_joined(grid: DocumentGrid) -> DocumentGrid:
    """The grid with each OCR'd cell's packed separators repaired again, now that a page break's halves are one.

    A packed cell cut by a page break is repaired half by half, and a half may hold too little to prove it packed
    (one key, or a key cut in two: 实施周 | 期指标值). The repair gives the same text when run twice, so cells
    no break joined read as before; text-layer cells (confidence 1.0) print exactly and are never touched.
    """
    return grid.with_tables(_packed_cells_repaired)


def _packed_cells_repaired(table: Table) -> Table:
    cells = [replace(c, text=fixed) if c.confidence < 1.0 and (fixed := packed_punctuation(c.text)) != c.text else c
             for c in table.cells]
    return table if all(a is b for a, b in zip(cells, table.cells, strict=True)) else replace(table, cells=cells)
