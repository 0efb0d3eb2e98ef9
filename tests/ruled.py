"""A blank page with a ruled table drawn on it, for tests of table rebuilding from pixels."""

from __future__ import annotations

import cv2
import numpy as np


def ruled_page(xs: list[int], ys: list[int], shape: tuple[int, int] = (400, 700)) -> np.ndarray:
    """A white grey page with rulings 2 px thick at every x in `xs` and y in `ys`, each spanning the table."""
    img = np.full(shape, 255, np.uint8)
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    return img
