"""A cell the detector left empty though a mark is printed in it has that mark read alone, and only then."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.grid import Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.lone_marks import ReadCrop, mark_box, read_lone_mark
from extractor.ocr.page import binarise
from extractor.ocr.table import page_blocks

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
XS, YS = [100, 300, 400, 600], [100, 160, 220]


def _form(mark: bool = True, speck: bool = False) -> np.ndarray:
    """A 2 x 3 ruled table; row 1 prints a lone ≥ in its narrow middle cell (drawn), the rest is boxed text."""
    img = np.full((400, 700), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 2)
    if mark:  # a ≥: two strokes and a bar
        cv2.line(img, (340, 178), (356, 185), 0, 2)
        cv2.line(img, (340, 192), (356, 185), 0, 2)
        cv2.line(img, (340, 198), (356, 198), 0, 2)
    if speck:
        img[190, 350] = 0  # one pixel of sensor noise
    return img


BOXES = [OcrBox("指标性质", 0.99, (310.0, 115.0, 390.0, 145.0)), OcrBox("一级指标", 0.99, (110.0, 115.0, 200.0, 145.0)),
         OcrBox("指标值", 0.99, (450.0, 115.0, 540.0, 145.0)), OcrBox("会员认可度", 0.99, (110.0, 175.0, 260.0, 205.0)),
         OcrBox("80", 0.99, (480.0, 175.0, 510.0, 205.0))]


def _row1(img: np.ndarray, read: ReadCrop | None) -> list[str]:
    table = next(b for b in page_blocks(img, BOXES, 1, IDENTITY, read_crop=read) if isinstance(b, Table))
    return table.anchors()[1]


def test_a_lone_mark_is_read_alone() -> None:
    seen: list[tuple[int, int]] = []

    def read(crop: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        seen.append(crop.shape[:2])
        return "≥", 0.93

    assert _row1(_form(), read) == ["会员认可度", "≥", "80"]
    assert len(seen) == 1  # only the empty cell with print in it was read
    assert seen[0][1] > 16 + 2 * 20  # with paper either side of the mark, not cut edge to edge


def test_noise_and_doubtful_readings_leave_the_cell_empty() -> None:
    calls: list[int] = []

    def read(crop: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        calls.append(1)
        return "奉", 0.3

    assert _row1(_form(mark=False, speck=True), read) == ["会员认可度", "", "80"]
    assert calls == []  # a speck is no mark: nothing read
    assert _row1(_form(), read) == ["会员认可度", "", "80"]  # read, but with too low a score to be taken


def test_without_a_reader_empty_cells_stay_empty() -> None:
    assert _row1(_form(), None) == ["会员认可度", "", "80"]


def test_mark_box_finds_the_print_clear_of_the_rulings() -> None:
    ink = binarise(_form())
    ink[:, [x - 1 for x in XS] + XS + [x + 1 for x in XS]] = 0  # rulings taken out, as page_blocks does
    ink[[y - 1 for y in YS] + YS + [y + 1 for y in YS], :] = 0
    box = mark_box(ink, (300, 160, 400, 220), inset=3, text_height=30.0)
    assert box is not None
    x0, y0, x1, y1 = box
    assert 336 <= x0 <= 342 and 354 <= x1 <= 360 and 174 <= y0 <= 180 and 196 <= y1 <= 202
    assert read_lone_mark(_form(), ink, (100, 160, 300, 220), inset=3, text_height=30.0,
                          read=lambda c, allowed=None: ("x", 1.0)) == ("", 1.0)  # a cell with no print: nothing is read
