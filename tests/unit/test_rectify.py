"""Rectify before OCR on drawn pages: even light left alone, shadows divided out, a keystoned frame squared."""

from __future__ import annotations

import cv2
import numpy as np

from eval.photos.distort import KINDS, photograph
from extractor.ocr.page import binarise
from extractor.ocr.rectify import KEYSTONE_MIN, _Line, _outer_lines, find_frame, flatten_light, square_up


def _form() -> np.ndarray:
    """A white page with a ruled table (3 x 4 cells) and some dark text-like strokes."""
    page = np.full((900, 1200), 255, np.uint8)
    for y in (150, 350, 550, 750):
        cv2.line(page, (100, y), (1100, y), 0, 2)
    for x in (100, 433, 766, 1100):
        cv2.line(page, (x, 150), (x, 750), 0, 2)
    for y in (250, 450, 650):
        cv2.putText(page, "ABC 123", (140, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    return page


def _keystone(page: np.ndarray) -> np.ndarray:
    h, w = page.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = np.array([[40, 30], [w - 10, 0], [w, h], [0, h - 45]], dtype=np.float32)
    return cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=255)


def test_even_page_passes_untouched() -> None:
    page = _form()
    out, changed = flatten_light(page)
    assert not changed and out is page


def test_shadow_is_divided_out() -> None:
    page = _form().astype(np.float32)
    page[:, 700:] *= 0.55  # a shadow over the right side
    out, changed = flatten_light(page.astype(np.uint8))
    assert changed
    assert abs(int(np.median(out[50:120, 100:600])) - int(np.median(out[50:120, 800:1100]))) < 12
    assert out[150, 900] < 120  # the ruling in the shadow is still ink


def test_flat_frame_is_not_warped() -> None:
    frame = find_frame(binarise(_form()))
    assert frame is not None and frame.keystone < KEYSTONE_MIN


def test_keystoned_frame_is_squared() -> None:
    photo = _keystone(_form())
    frame = find_frame(binarise(photo))
    assert frame is not None and frame.keystone >= KEYSTONE_MIN
    squared = square_up(photo, frame)
    assert squared is not None
    again = find_frame(binarise(squared[0]))
    assert again is not None and again.keystone < 0.1
    tl, tr, _br, bl = again.corners
    assert abs(tl[1] - tr[1]) < 2 and abs(tl[0] - bl[0]) < 2


def test_photos_are_deterministic_per_seed() -> None:
    rgb = cv2.cvtColor(_form(), cv2.COLOR_GRAY2RGB)
    for kind in KINDS:
        a = photograph(rgb, kind, 11, "000", 0, 0)
        assert np.array_equal(a, photograph(rgb, kind, 11, "000", 0, 0)), kind
        assert not np.array_equal(a, rgb), kind
    assert not np.array_equal(photograph(rgb, "combined", 11, "000", 0, 0),
                              photograph(rgb, "combined", 12, "000", 0, 0))


def _line(fit: tuple[float, float], lo: float, hi: float, crossings: int) -> _Line:
    line = _Line([], fit=fit, lo=lo, hi=hi)
    line.crossings = crossings
    return line


def test_frame_closes_at_all_four_corners_not_on_the_sheets_edges() -> None:
    # The table's four outer rulings, and below and right of it the sheet's bottom and right edges against the desk,
    # which meet each other (and cross a shadow border) but never the table's top or left ruling.
    top, bottom = _line((0.0, 150.0), 100, 1100, 4), _line((0.0, 750.0), 100, 1100, 4)
    left, right = _line((0.0, 100.0), 150, 750, 4), _line((0.0, 1100.0), 150, 750, 4)
    sheet_bottom, sheet_right = _line((0.0, 880.0), 50, 1300, 3), _line((0.0, 1250.0), 30, 900, 3)
    found = _outer_lines([top, bottom, sheet_bottom], [left, right, sheet_right])
    assert found is not None
    (h0, h1), (v0, v1) = found
    assert (h0, h1, v0, v1) == (top, bottom, left, right)


def test_a_closed_frame_is_kept_as_it_is() -> None:
    top, bottom = _line((0.0, 150.0), 100, 1100, 4), _line((0.0, 750.0), 100, 1100, 4)
    left, right = _line((0.0, 100.0), 150, 750, 4), _line((0.0, 1100.0), 150, 750, 4)
    assert _outer_lines([top, bottom], [left, right]) == ([top, bottom], [left, right])
    # a right border broken off above the bottom (a finger, a shadow) closes no frame: its line still gives the corners
    short_right = _line((0.0, 1100.0), 150, 400, 4)
    assert _outer_lines([top, bottom], [left, short_right]) == ([top, bottom], [left, short_right])
