"""A column of comparison marks has a cell read as a stray glyph, or too faintly, read again among the marks."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.grid import Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.mark_columns import MARKS, cells_to_reread
from extractor.ocr.table import page_blocks
from tests.ruled import ruled_page

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
XS, YS = [100, 300, 400, 600], [100, 160, 220, 280, 340]


def test_a_column_with_a_mark_has_its_stray_glyphs_and_empty_cells_read_again() -> None:
    columns = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]
    texts = ["指标性质", "指标值", "单位", "≥", "80", "%", "2", "5", "条", "", "2", "天"]
    assert cells_to_reread(columns, texts) == [6, 9]  # "2" and the empty cell under the ≥; values and units kept


def test_columns_of_values_and_words_are_left_alone() -> None:
    assert cells_to_reread([0, 0, 0, 0], ["80", "5", "=", "2"]) == []  # one mark among numbers: a value column
    assert cells_to_reread([0, 0, 0], ["定性", "", "s"]) == []  # no mark read anywhere: nothing says what it is
    assert cells_to_reread([0, 0, 0], ["≥", "定性", "高"]) == []  # words are never re-read as marks


def _form() -> np.ndarray:
    """A 4-row ruled table: header, then rows whose middle cell prints a small drawn mark."""
    img = ruled_page(XS, YS)
    for top in YS[1:-1]:  # a ≤ in each middle cell: two strokes and a bar
        cv2.line(img, (356, top + 18), (340, top + 25), 0, 2)
        cv2.line(img, (356, top + 32), (340, top + 25), 0, 2)
        cv2.line(img, (340, top + 38), (356, top + 38), 0, 2)
    return img


BOXES = [OcrBox("三级指标", 0.99, (110.0, 115.0, 200.0, 145.0)), OcrBox("指标性质", 0.99, (310.0, 115.0, 390.0, 145.0)),
         OcrBox("指标值", 0.99, (450.0, 115.0, 540.0, 145.0)),
         OcrBox("会员认可度", 0.99, (110.0, 175.0, 260.0, 205.0)), OcrBox("≤", 0.97, (338.0, 175.0, 358.0, 200.0)),
         OcrBox("80", 0.99, (480.0, 175.0, 510.0, 205.0)),
         OcrBox("错漏率", 0.99, (110.0, 235.0, 200.0, 265.0)), OcrBox("5", 0.66, (338.0, 235.0, 358.0, 260.0)),
         OcrBox("5", 0.99, (480.0, 235.0, 510.0, 265.0)),
         OcrBox("办结时限", 0.99, (110.0, 295.0, 220.0, 325.0)), OcrBox("2", 0.99, (480.0, 295.0, 510.0, 325.0))]


def test_a_mark_read_as_a_digit_or_missed_is_read_among_the_marks() -> None:
    asked: list[str | None] = []

    def read(crop: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        asked.append(allowed)
        return ("≤", 0.21) if allowed == MARKS else ("s", 0.48)  # alone it reads as a letter, doubtfully

    table = next(b for b in page_blocks(_form(), BOXES, 1, IDENTITY, read_crop=read) if isinstance(b, Table))
    assert [row[1:] for row in table.anchors()[1:]] == [["≤", "80"], ["≤", "5"], ["≤", "2"]]
    assert asked == [None, MARKS, MARKS]  # the empty cell read freely first, then both doubtful cells as marks
    read_as_mark = next(c for c in table.cells if (c.row, c.col) == (2, 1))
    assert read_as_mark.confidence < 0.5  # what was read among marks keeps the recogniser's low score


def test_a_column_whose_header_names_the_comparison_has_its_glyphs_read_again_however_many() -> None:
    # more stray glyphs than marks read, but the header says the column holds comparisons
    columns = [0, 0, 0, 0, 0, 0]
    texts = ["符号", "2", "", "≥", "s", "定性"]
    assert cells_to_reread(columns, texts, {0: "符 号"}) == [1, 2, 4]
    assert cells_to_reread(columns, texts, {0: "指标性质"}) == [1, 2, 4]
    assert cells_to_reread(columns, texts) == []  # unnamed: two glyphs against one mark could be values


def test_a_value_column_is_not_re_read_because_of_its_header_alone() -> None:
    assert cells_to_reread([0, 0, 0, 0], ["指标值", "80", "5", "2"], {0: "指标值"}) == []  # no mark read at all
    assert cells_to_reread([0, 0, 0, 0], ["目标值", "80", "=", "2"], {0: "目标值"}) == []  # not a comparison header
