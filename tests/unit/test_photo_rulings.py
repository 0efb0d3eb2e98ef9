"""Faint thin rulings on a relit noisy photo are found whole; a clean page's ink is left as it is."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.ocr.page import binarise, horizontal_rulings
from extractor.ocr.rectify import find_frame, flatten_light
from extractor.ocr.rulings import noise_level, ruling_ink

_TOP, _BOTTOM, _LEFT, _RIGHT = 150, 750, 100, 1100


def _faint_form(ink: int = 200) -> np.ndarray:
    """A white page with a 3 x 3 table ruled 1 px thin in light grey, and some dark text-like strokes."""
    page = np.full((900, 1200), 255, np.uint8)
    for y in (_TOP, 350, 550, _BOTTOM):
        cv2.line(page, (_LEFT, y), (_RIGHT, y), ink, 1)
    for x in (_LEFT, 433, 766, _RIGHT):
        cv2.line(page, (x, _TOP), (x, _BOTTOM), ink, 1)
    for y in (250, 450, 650):
        cv2.putText(page, "ABC 123", (140, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    return page


def _photo(page: np.ndarray, seed: int, sigma: float = 14.0) -> np.ndarray:
    """The page under light falling off to 60 % across it, with sensor noise (sigma 14 grey levels)."""
    h, w = page.shape
    gain = 1.0 - 0.4 * np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    rng = np.random.default_rng(seed)
    out = page.astype(np.float32) * gain + rng.normal(0.0, sigma, (h, w))
    return np.clip(out, 0, 255).astype(np.uint8)


def test_clean_page_ink_is_unchanged() -> None:
    page = _faint_form()
    ink = binarise(page)
    assert noise_level(page) < 1.0
    assert ruling_ink(page, ink) is ink


def test_faint_ruling_under_gradient_and_noise_is_one_ruling() -> None:
    for seed in range(3):
        grey, relit = flatten_light(_photo(_faint_form(), seed))
        assert relit
        plain = binarise(grey)
        whole = ruling_ink(grey, plain)
        # the bottom ruling, in the darker half of the page, as found by the table rebuild's kernel
        band = slice(_BOTTOM - 3, _BOTTOM + 4)
        _, _, stats, _ = cv2.connectedComponentsWithStats(horizontal_rulings(whole)[band], connectivity=8)
        longest = max((int(s[2]) for s in stats[1:]), default=0)
        assert longest >= 0.95 * (_RIGHT - _LEFT)
        # thresholded as it is, the same ruling is pitted into pieces and the frame is lost
        assert find_frame(plain) is None
        frame = find_frame(whole)
        assert frame is not None
        tl, _tr, br, _bl = frame.corners
        assert abs(tl[0] - _LEFT) < 3 and abs(tl[1] - _TOP) < 3
        assert abs(br[0] - _RIGHT) < 3 and abs(br[1] - _BOTTOM) < 3


def test_text_alone_makes_no_ruling() -> None:
    page = np.full((900, 1200), 255, np.uint8)
    for y in range(150, 800, 40):
        cv2.putText(page, "ABC 123 DEF 456 GHI", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    grey, _ = flatten_light(_photo(page, 7))
    plain = binarise(grey)
    added = cv2.bitwise_and(ruling_ink(grey, plain), cv2.bitwise_not(plain))
    assert not np.count_nonzero(horizontal_rulings(added))
