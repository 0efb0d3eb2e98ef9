"""A photographed table whose rulings are thin, tilted and pitted still has its outer frame found."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.ocr.page import binarise, estimate_skew, skew_of
from extractor.ocr.rectify import KEYSTONE_MIN, find_frame

XS = [120, 260, 420, 600, 780, 960, 1080]
YS = [160, 260, 360, 470, 580, 690, 800]
# where the table's corners go: a few per cent of keystone and a degree or two of turn, like a hand-held phone
QUAD = np.array([[131, 171], [1093, 139], [1071, 824], [107, 805]], dtype=np.float32)


def _table() -> np.ndarray:
    """A white page with a 6 x 6 table ruled in 1 px lines, a few text-like marks in its cells."""
    page = np.full((960, 1200), 255, np.uint8)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 1)
    for x in XS:
        cv2.line(page, (x, YS[0]), (x, YS[-1]), 0, 1)
    for x, y in zip(XS[:-1], YS[:-1], strict=True):
        cv2.putText(page, "12.5", (x + 15, y + 55), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    return page


def _photo(page: np.ndarray) -> np.ndarray:
    """The page keystoned and turned (table corners to QUAD), its rulings pitted every few centimetres."""
    src = np.array([[XS[0], YS[0]], [XS[-1], YS[0]], [XS[-1], YS[-1]], [XS[0], YS[-1]]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, QUAD)
    out = cv2.warpPerspective(page, m, (page.shape[1], page.shape[0]), flags=cv2.INTER_LINEAR, borderValue=255)
    # blur and noise leave gaps in a thin line: no run of ruling is longer than ~10 % of the page
    for k in range(60, out.shape[1], 110):
        out[:, k:k + 5] = np.maximum(out[:, k:k + 5], 235)
    for k in range(45, out.shape[0], 90):
        out[k:k + 5, :] = np.maximum(out[k:k + 5, :], 235)
    return out


def test_pitted_tilted_rulings_still_give_the_frame() -> None:
    frame = find_frame(binarise(_photo(_table())))
    assert frame is not None
    assert np.abs(frame.corners - QUAD).max() < 4, frame.corners


def test_a_line_beyond_the_table_that_no_frame_side_meets_is_not_the_frame() -> None:
    page = _table()
    # the sheet's edge against a desk, relit: a long line right of the table, crossed by the sheet's top and
    # bottom edges and a stray mark, none of them a table ruling
    cv2.line(page, (1150, 40), (1150, 920), 0, 1)
    cv2.line(page, (1000, 40), (1190, 40), 0, 1)
    cv2.line(page, (1000, 920), (1190, 920), 0, 1)
    cv2.line(page, (1120, 480), (1180, 480), 0, 1)
    frame = find_frame(binarise(page))
    assert frame is not None
    assert abs(float(frame.corners[1][0]) - XS[-1]) < 3 and abs(float(frame.corners[2][0]) - XS[-1]) < 3


def test_a_turned_page_with_pitted_rulings_is_deskewed_by_its_frame() -> None:
    page = _table()
    h, w = page.shape
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 2.0, 1.0), (w, h), borderValue=255)
    for k in range(60, w, 110):  # pitted as in _photo: no long run of any ruling is left
        turned[:, k:k + 5] = np.maximum(turned[:, k:k + 5], 235)
    for k in range(45, h, 90):
        turned[k:k + 5, :] = np.maximum(turned[k:k + 5, :], 235)
    ink = binarise(turned)
    assert abs(estimate_skew(ink)) < 0.5  # too few long rulings left for the rulings' own estimate
    frame = find_frame(ink)
    assert frame is not None and frame.keystone < KEYSTONE_MIN
    assert abs(skew_of(ink, frame) - (-2.0)) < 0.1
    assert skew_of(ink, None) == estimate_skew(ink)


def test_a_sheared_frame_is_squared_not_only_turned() -> None:
    page = _table()
    h, w = page.shape
    # the verticals lean 1.5 degrees while the horizontals stay level: no turn straightens that
    shear = np.array([[1.0, -np.tan(np.radians(1.5)), 10.0], [0.0, 1.0, 0.0]])
    ink = binarise(cv2.warpAffine(page, shear, (w, h), borderValue=255))
    frame = find_frame(ink)
    assert frame is not None and frame.keystone >= KEYSTONE_MIN
