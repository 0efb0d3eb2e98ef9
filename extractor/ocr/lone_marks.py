"""Cells the text detector left empty though a mark is printed in them, read on their own."""

# A form prints the comparison (≥, ≤, =) and the unit (%, 次) of a target in cells of their own. Alone in a cell such
# a mark is a small, thin glyph; on a blurred, noisy photo the detector's text map stays below its threshold there
# and the cell reads empty, so "≥ | 80 | %" becomes "80". The table's rulings say where a cell is: when ink is left
# in it clear of its rulings, the recogniser reads that spot alone (no detector), a cost of one small crop per
# such cell.

from __future__ import annotations

from typing import Protocol

import cv2
import numpy as np

from extractor.ocr.text import ocr_text

Rect = tuple[int, int, int, int]


class ReadCrop(Protocol):
    """A crop of one line of print -> (text, score); with `allowed`, only those characters may be read."""

    def __call__(self, image: np.ndarray, allowed: str | None = None) -> tuple[str, float]: ...


class ReadCell(Protocol):
    """A cell's rectangle on the page -> the text of its print read alone (see read_lone_mark)."""

    def __call__(self, rect: Rect, allowed: str | None = None) -> tuple[str, float]: ...


_MIN_SCORE = 0.6  # a crop of noise reads as something too, with a low score
# A mark its column's kind is known for is read among those marks only: the one the recogniser finds likeliest, if
# it finds any at all (a blank crop gives every mark next to nothing).
_MIN_KNOWN_KIND = 0.02
_MIN_HEIGHT = 0.3  # share of the page's text height a mark's ink must reach (a speck of noise does not)
_RULING = 3  # px either side of a cell's edge that its ruling may take
_PAD = 4  # px of paper kept round the ink: the recogniser reads a glyph cut at its edge badly


def without_rulings(ink: np.ndarray, rulings: np.ndarray) -> np.ndarray:
    """The page's ink with the table's rulings taken out, so a mark beside one is found on its own."""
    out = ink.copy()
    out[cv2.dilate(rulings, np.ones((5, 5), np.uint8)) > 0] = 0
    return out


def mark_box(ink: np.ndarray, rect: Rect, inset: int, text_height: float) -> Rect | None:
    """Box of the print inside a cell, clear of its rulings, if any mark there is tall enough to be print."""
    x0, y0, x1, y1 = rect
    if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
        return None
    inner = ink[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    opened = cv2.morphologyEx(inner, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    blobs = [stats[k] for k in range(1, n) if max(stats[k][2], stats[k][3]) >= _MIN_HEIGHT * text_height]
    if not blobs:
        return None
    bx0 = min(int(s[0]) for s in blobs)
    by0 = min(int(s[1]) for s in blobs)
    bx1 = max(int(s[0] + s[2]) for s in blobs)
    by1 = max(int(s[1] + s[3]) for s in blobs)
    return x0 + inset + bx0, y0 + inset + by0, x0 + inset + bx1, y0 + inset + by1


def read_lone_mark(grey: np.ndarray, ink: np.ndarray, rect: Rect, *, inset: int, text_height: float,
                   read: ReadCrop, allowed: str | None = None) -> tuple[str, float]:
    """The text of an empty cell's print read alone, or ("", 1.0) when it has none or it reads as noise.

    With `allowed`, the print is read as one of those characters (the cell's column holds nothing else).
    """
    box = mark_box(ink, rect, inset, text_height)
    if box is None:
        return "", 1.0
    h, w = grey.shape[:2]
    x0, y0, x1, y1 = box
    # a line's height of paper round a small mark and as much either side, as the recogniser saw print in
    # training: cut edge to edge, a lone ≤ reads as "s" or "=" with a low score
    pad_y = max(_PAD, round((text_height - (y1 - y0)) / 2))
    pad_x = max(_PAD, round(text_height))
    cy0, cy1, cx0, cx1 = max(0, y0 - pad_y), min(h, y1 + pad_y), max(0, x0 - pad_x), min(w, x1 + pad_x)
    crop = grey[cy0:cy1, cx0:cx1].copy()
    # the cell's own rulings stay (the recogniser reads a mark beside a ruling better than one on blank paper);
    # what lies beyond them, a neighbour's text, is whited out and never read with the mark
    keep = np.zeros(crop.shape[:2], dtype=bool)
    keep[max(0, rect[1] - _RULING - cy0):max(0, rect[3] + _RULING - cy0),
         max(0, rect[0] - _RULING - cx0):max(0, rect[2] + _RULING - cx0)] = True
    crop[~keep] = 255
    text, score = read(crop, allowed)
    text = ocr_text(text)
    if not text or score < (_MIN_SCORE if allowed is None else _MIN_KNOWN_KIND):
        return "", 1.0
    return text, score
