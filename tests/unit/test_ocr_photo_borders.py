"""Photo pages on drawn forms: a desk edge around a rotated sheet and a finger at the margin are not table rulings."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.grid import Table
from extractor.ocr.engine import OcrBox
from extractor.ocr.page import binarise, estimate_skew, rotation, warp
from extractor.ocr.rectify import clear_occluders, flatten_light, occluders
from extractor.ocr.table import page_blocks

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
XS = [60, 360, 660, 960, 1140]
YS = [200, 330, 460, 590, 720]


def _form() -> np.ndarray:
    """A white page with a 4 x 4 ruled table close to the left margin, like the sample forms."""
    page = np.full((900, 1200), 255, np.uint8)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(page, (x, YS[0]), (x, YS[-1]), 0, 2)
    cv2.putText(page, "FORM 2022", (60, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    return page


def _boxes() -> list[OcrBox]:
    """One OCR line in each cell of the drawn table."""
    return [OcrBox(text=f"r{r}c{c}", score=0.99, box=(XS[c] + 20.0, YS[r] + 20.0, XS[c] + 120.0, YS[r] + 50.0))
            for r in range(4) for c in range(4)]


def _tables(grey: np.ndarray) -> list[Table]:
    return [b for b in page_blocks(grey, _boxes(), 1, IDENTITY) if isinstance(b, Table)]


def _on_desk_rotated(page: np.ndarray, degrees: float) -> np.ndarray:
    """The sheet photographed on a dark desk and turned a little: the desk shows round all four sides."""
    sheet = cv2.copyMakeBorder(page, 40, 40, 45, 45, cv2.BORDER_CONSTANT, value=86)
    h, w = sheet.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    return cv2.warpAffine(sheet, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=86)


def _with_finger(page: np.ndarray) -> np.ndarray:
    """A skin-grey finger entering from the left edge over the table's left border, its rim soft."""
    mask = np.zeros(page.shape, np.uint8)
    cv2.ellipse(mask, (0, 520), (130, 50), 15, 0, 360, 255, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), 3).astype(np.float32) / 255.0
    return (page.astype(np.float32) * (1 - soft) + 161.0 * soft).astype(np.uint8)


def _read_like_a_photo(photo: np.ndarray) -> np.ndarray:
    """What ocr_page does before table rebuild on a page lit like a photo: relight, then deskew."""
    grey, relit = flatten_light(photo)
    assert relit  # the desk makes the light uneven
    return warp(grey, rotation(grey.shape, estimate_skew(binarise(grey))))


def _shape(table: Table) -> tuple[int, int, list[str]]:
    return table.n_rows, table.n_cols, [c.text for c in sorted(table.cells, key=lambda c: (c.row, c.col))]


def test_desk_edge_round_a_rotated_sheet_is_not_a_table() -> None:
    flat = _tables(_form())
    assert len(flat) == 1 and flat[0].n_rows == 4 and flat[0].n_cols == 4
    for degrees in (2.5, -2.5):
        grey = _read_like_a_photo(_on_desk_rotated(_form(), degrees))
        # the boxes sit where the deskewed table is: the padding moved it by the desk's width
        shift = np.array([[1.0, 0.0, -45.0], [0.0, 1.0, -40.0]])
        tables = _tables(warp(grey, shift))
        # the relit desk edge is a closed ruled frame round the whole table; taken as a table it held every line
        assert len(tables) == 1, degrees
        assert _shape(tables[0]) == _shape(flat[0]), degrees


def test_finger_at_the_margin_is_cleared_and_the_table_reads_as_flat() -> None:
    flat = _tables(_form())[0]
    photo = _with_finger(_form())
    grey, relit = flatten_light(photo)
    assert not relit  # a finger is too small to count as uneven light
    uncleared = _tables(grey)
    # the finger's rim binarises to thick curved strokes touching the table's border: an extra row and column
    assert len(uncleared) != 1 or _shape(uncleared[0]) != _shape(flat)
    cleared, found = clear_occluders(grey)
    assert found
    tables = _tables(cleared)
    assert len(tables) == 1 and _shape(tables[0]) == _shape(flat)


def test_no_occluder_on_a_flat_or_shaded_page() -> None:
    page = _form()
    assert occluders(page) is None
    shaded = page.copy()
    shaded[YS[0] + 3:YS[1] - 2, XS[0] + 3:XS[-1] - 2] = 150  # a dark header row inside the page is no finger
    assert occluders(shaded) is None
    out, found = clear_occluders(page)
    assert not found and out is page


def test_sheet_edge_broken_open_round_the_table_is_not_a_table() -> None:
    flat = _tables(_form())[0]
    page = _form()
    # the sheet's edge against a desk, relit into lines, broken on the left where a finger held it: two L-shaped
    # rulings whose boxes each cover part of the table (their corners a few pixels apart, as a relit edge leaves
    # them: one network, but no ruling of it meets the other)
    cv2.line(page, (27, 30), (900, 30), 0, 2)
    cv2.line(page, (20, 37), (20, 430), 0, 2)
    cv2.line(page, (20, 520), (20, 863), 0, 2)
    cv2.line(page, (27, 870), (700, 870), 0, 2)
    tables = _tables(page)
    assert len(tables) == 1 and _shape(tables[0]) == _shape(flat)
