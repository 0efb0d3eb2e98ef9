"""A column of units: a doubtful cell reading as no unit (备 for 条, 改/年 for 次/年) is read among units."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.grid import Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.table import page_blocks
from extractor.ocr.unit_columns import UNIT_CHARACTERS, unit_cells_to_reread
from tests.ruled import ruled_page

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
XS, YS = [100, 300, 400, 600], [100, 160, 220, 280, 340]


def test_a_doubtful_cell_reading_as_no_unit_under_a_unit_header_is_read_again() -> None:
    columns = [0, 1, 0, 1, 0, 1, 0, 1]
    texts = ["指标值", "度量单位", "5", "备", "2", "改/年", "80", "%"]
    scores = [0.99, 0.99, 0.99, 0.64, 0.99, 0.48, 0.99, 0.99]
    assert unit_cells_to_reread(columns, texts, scores, {0: "指标值", 1: "度量单位"}) == [3, 5]


def test_what_is_read_surely_or_already_a_unit_or_under_another_header_is_left_alone() -> None:
    columns = [1, 1, 1, 1]
    assert unit_cells_to_reread(columns, ["无", "—", "次", "人次"], [0.99, 0.98, 0.5, 0.6], {1: "计量单位"}) == []
    # the department's column (单位名称) is no column of units, however doubtful its cells
    assert unit_cells_to_reread([1, 1], ["单位名称", "政法委"], [0.99, 0.5], {1: "单位名称"}) == []
    assert unit_cells_to_reread([1, 1], ["指标值", "备"], [0.99, 0.5], {1: "指标值"}) == []


def test_a_headerless_column_of_units_on_a_continued_page_is_known_by_its_cells() -> None:
    columns = [1, 1, 1, 1, 1]
    assert unit_cells_to_reread(columns, ["次", "%", "第", "个", ""], [0.99] * 2 + [0.63] + [0.99] * 2, {}) == [2, 4]
    # two units among names are no column of units
    assert unit_cells_to_reread([1, 1, 1, 1], ["%", "次", "培训完成率", "第"], [0.99, 0.99, 0.99, 0.6], {}) == []


def test_the_alphabet_holds_what_units_are_printed_with() -> None:
    assert all(c in UNIT_CHARACTERS for c in "条次个人%/年项")
    assert not any(c in UNIT_CHARACTERS for c in "备改第")


def _form() -> np.ndarray:
    img = ruled_page(XS, YS)
    for top in YS[1:-1]:  # ink in each unit cell: a drawn glyph of slanted strokes (no ruling-like bar)
        cv2.line(img, (440, top + 18), (462, top + 40), 0, 2)
        cv2.line(img, (462, top + 18), (440, top + 40), 0, 2)
    return img


BOXES = [OcrBox("指标名称", 0.99, (110.0, 115.0, 200.0, 145.0)), OcrBox("指标值", 0.99, (310.0, 115.0, 390.0, 145.0)),
         OcrBox("度量单位", 0.99, (420.0, 115.0, 540.0, 145.0)),
         OcrBox("推广至省级媒体", 0.99, (110.0, 175.0, 290.0, 205.0)), OcrBox("5", 0.99, (338.0, 175.0, 358.0, 205.0)),
         OcrBox("备", 0.64, (440.0, 175.0, 462.0, 205.0)),
         OcrBox("编印会刊", 0.99, (110.0, 235.0, 220.0, 265.0)), OcrBox("2", 0.99, (338.0, 235.0, 358.0, 265.0)),
         OcrBox("次", 0.99, (440.0, 235.0, 462.0, 265.0)),
         OcrBox("办结时限", 0.99, (110.0, 295.0, 220.0, 325.0)), OcrBox("3", 0.99, (338.0, 295.0, 358.0, 325.0)),
         OcrBox("无", 0.99, (440.0, 295.0, 462.0, 325.0))]


def test_a_unit_misread_as_another_character_is_read_among_units_and_keeps_its_low_score() -> None:
    asked: list[str | None] = []

    def read(crop: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        asked.append(allowed)
        return ("条", 0.31) if allowed == UNIT_CHARACTERS else ("备", 0.64)

    table = next(b for b in page_blocks(_form(), BOXES, 1, IDENTITY, read_crop=read) if isinstance(b, Table))
    assert [row[1:] for row in table.anchors()[1:]] == [["5", "条"], ["2", "次"], ["3", "无"]]
    assert asked == [UNIT_CHARACTERS]  # only the doubtful cell that is no unit; 无, read surely, stays
    assert next(c for c in table.cells if (c.row, c.col) == (1, 2)).confidence < 0.5


def test_a_reading_among_units_that_makes_no_unit_leaves_the_cell_as_read() -> None:
    def read(crop: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        return ("", 1.0)  # nothing among the units' characters

    table = next(b for b in page_blocks(_form(), BOXES, 1, IDENTITY, read_crop=read) if isinstance(b, Table))
    assert table.anchors()[1][1:] == ["5", "备"]
