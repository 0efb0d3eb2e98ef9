"""Which ink is a ruling on a photo: faint rulings made whole on a noisy page, runs of text strokes left out."""

# A photo's sensor noise, raised further where dividing out a shadow brightened the page, pits a faint thin ruling
# until the local threshold keeps only pieces of it; the frame is then not found, or a grid edge goes missing and
# two cells merge. Averaging along a ruling leaves its darkness as it is and divides the noise; text is averaged
# with the paper between its strokes, and what of it still forms a run is far shorter than a ruling.

from __future__ import annotations

import cv2
import numpy as np

_NOISY = 1.0  # grey levels, median distance of a pixel from its 3x3 mean: a clean scan's is ~0.3, a photo's 2-4
_ALONG = 9  # px averaged along a ruling: the noise falls by 3x, a line tilted a degree moves 0.15 px over them
_LONG = 3  # the averaged runs kept are this many times the plain ruling kernel: no row of characters is so long


def noise_level(grey: np.ndarray) -> float:
    """Median grey-level distance of a pixel from its 3x3 mean: ~0 on clean paper, the noise on a photo."""
    f = grey.astype(np.float32)
    return float(np.median(np.abs(f - cv2.blur(f, (3, 3)))))


def _threshold(grey: np.ndarray) -> np.ndarray:
    # the same local threshold as page.binarise (not imported: page imports this module)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _long_runs(grey: np.ndarray, horizontal: bool, length: int) -> np.ndarray:
    """Runs of ink this way at least `length` long, binarised after averaging along that way."""
    along = (_ALONG, 1) if horizontal else (1, _ALONG)  # cv2 sizes are (width, height)
    ink = _threshold(cv2.blur(grey, along))
    shape = (length, 1) if horizontal else (1, length)
    return np.asarray(cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape)))


def ruling_ink(grey: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The page's ink with its long rulings made whole when the page is noisy; `ink` itself when it is clean."""
    if noise_level(grey) < _NOISY:
        return ink  # a scan: same pixels, same reading
    h, w = grey.shape[:2]
    # the lengths of page.horizontal_rulings / vertical_rulings, times _LONG
    hlong = _long_runs(grey, True, _LONG * max(20, w // 50))
    vlong = _long_runs(grey, False, _LONG * max(20, h // 40))
    return np.asarray(cv2.bitwise_or(ink, cv2.bitwise_or(hlong, vlong)))


def without_text_strokes(hmask: np.ndarray, boxes: list[tuple[float, float, float, float]]) -> np.ndarray:
    """The horizontal ruling mask with the middle of every text line cleared.

    Strokes lined up along a row of characters (一, 二 across a packed cell), joined into one run by a noisy photo's
    along-the-line averaging, can cover most of a cell's width beside its ruling and split the cell in two. A
    ruling never runs through the middle of a text line the detector boxed; the box's top and bottom quarters are
    left, where a ruling under thinly padded text may touch it.
    """
    out = hmask.copy()
    h = out.shape[0]
    for x0, y0, x1, y1 in boxes:
        q = (y1 - y0) / 4.0
        top, bottom = max(0, round(y0 + q)), min(h, round(y1 - q))
        if bottom > top:
            out[top:bottom, max(0, round(x0)):max(0, round(x1))] = 0
    return out
