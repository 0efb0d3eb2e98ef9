"""One page image to OCR boxes: grey scale, blank check, deskew, quarter-turn and upside-down checks, recognition."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from extractor.ocr.confidence import FRAME_NOT_FOUND, LOW_SCORE, OCCLUDED
from extractor.ocr.engine import OcrBox, OcrEngine
from extractor.ocr.rectify import (
    KEYSTONE_MIN,
    Frame,
    affine_of,
    clear_occluders,
    find_frame,
    flatten_light,
    square_up,
)
from extractor.ocr.rulings import ruling_ink

log = logging.getLogger(__name__)

_MAX_SIDE = 2400  # px: larger photos are shrunk first (the detector works at <= 2000 px anyway)
_INK_MIN = 0.0015  # share of dark pixels below which a page counts as blank
_MAX_SKEW = 5.0  # degrees: larger estimates are noise, not a slightly rotated scan
_MIN_SKEW = 0.05  # degrees: not worth resampling the image
_LINE_ASPECT = 3.0  # a detected box this elongated is a text line, whichever way it runs
_MIN_LINES = 5
_TALL_SHARE = 0.7  # Chinese tables are never mostly vertical text; a quarter-turned scan is
_PHOTO_MIN_SCORE = 0.85  # mean recognition score of a photographed page below which its text is doubtful
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


@dataclass
class PageOcr:
    """What OCR saw on one page, in the coordinates of the straightened working image."""

    image: np.ndarray  # grey, deskewed (and turned upright) working image
    boxes: list[OcrBox]
    to_page: np.ndarray  # 2x3 affine: working pixels -> page units (PDF points or source pixels)
    notes: list[str] = field(default_factory=list)  # user-facing remarks (Chinese)
    blank: bool = False


def to_grey(image: np.ndarray) -> np.ndarray:
    """An 8-bit single-channel copy of any decoded page image."""
    img = image
    if img.dtype != np.uint8:
        lo, hi = float(img.min()), float(img.max())
        img = ((img.astype(np.float64) - lo) * (255.0 / max(hi - lo, 1e-9))).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
    elif img.ndim == 3 and img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    elif img.ndim == 3:
        img = img[:, :, 0]
    return np.ascontiguousarray(img)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0: a local threshold copes with uneven scan lighting and JPEG noise."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def is_blank(ink: np.ndarray) -> bool:
    """A page with almost no ink (scanner noise only)."""
    cleaned = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return float(np.count_nonzero(cleaned)) < _INK_MIN * ink.size


def horizontal_rulings(ink: np.ndarray) -> np.ndarray:
    """Long horizontal runs of ink (table rulings), as a mask."""
    length = max(20, ink.shape[1] // 50)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))


def vertical_rulings(ink: np.ndarray) -> np.ndarray:
    """Long vertical runs of ink (table rulings), as a mask."""
    length = max(20, ink.shape[0] // 40)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))


def estimate_skew(ink: np.ndarray) -> float:
    """Rotation of the page in degrees (positive = lines fall to the right), from its long rulings."""
    mask = horizontal_rulings(ink)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    width = ink.shape[1]
    angles: list[float] = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < width // 4:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == k)
        if len(xs) < 10:
            continue
        slope = float(np.polyfit(xs.astype(float), ys.astype(float), 1)[0])
        angles.append(float(np.degrees(np.arctan(slope))))
    if not angles:
        return 0.0
    angle = float(np.median(angles))
    return angle if abs(angle) <= _MAX_SKEW else 0.0


def skew_of(ink: np.ndarray, frame: Frame | None) -> float:
    """The page's rotation: from its table frame when one was found and left unwarped, else from its rulings.

    A photo's rulings, thinned by blur and pitted by noise, break into pieces too short for estimate_skew to trust;
    the frame was fitted through all the pieces of its outer rulings.
    """
    if frame is not None and frame.keystone < KEYSTONE_MIN and abs(frame.angle) <= _MAX_SKEW:
        return frame.angle
    return estimate_skew(ink)


def rotation(shape: tuple[int, ...], degrees: float) -> np.ndarray:
    """2x3 affine turning an image of this shape by `degrees` about its centre (same canvas)."""
    h, w = shape[:2]
    return cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)


def quarter_turn(shape: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, int]]:
    """2x3 affine turning an image a quarter clockwise onto a swapped canvas, and that canvas's (width, height)."""
    h, w = shape[:2]
    return np.array([[0.0, -1.0, h - 1.0], [1.0, 0.0, 0.0]]), (h, w)


def mostly_vertical(boxes: list[OcrBox]) -> bool:
    """True when the page's text lines run top to bottom: a page scanned a quarter turn off."""
    elongated = [b for b in boxes if max(b.box[2] - b.box[0], b.box[3] - b.box[1])
                 >= _LINE_ASPECT * min(b.box[2] - b.box[0], b.box[3] - b.box[1])]
    if len(elongated) < _MIN_LINES:
        return False
    tall = sum(1 for b in elongated if b.box[3] - b.box[1] > b.box[2] - b.box[0])
    return tall > _TALL_SHARE * len(elongated)


def warp(grey: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply an affine to a grey page, filling uncovered corners with paper white."""
    h, w = grey.shape[:2]
    return cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """The 2x3 affine doing `inner` then `outer`."""
    a = np.vstack([outer, [0.0, 0.0, 1.0]])
    b = np.vstack([inner, [0.0, 0.0, 1.0]])
    return (a @ b)[:2]


def shrink(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page at most _MAX_SIDE px long, and the factor applied."""
    side = max(grey.shape[:2])
    if side <= _MAX_SIDE:
        return grey, 1.0
    f = _MAX_SIDE / side
    return cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), f


def drop_specks(boxes: list[OcrBox]) -> list[OcrBox]:
    """Leave out boxes far shorter than the page's text lines that read as a lone symbol.

    Such a box holds a mark, not a character (a ditto mark, a speck of dust), and what the
    recogniser makes of it ("#" for a ditto mark) is noise; digits and letters are always kept.
    """
    if len(boxes) < 5:
        return boxes
    heights = sorted(b.box[3] - b.box[1] for b in boxes)
    small = 0.6 * heights[len(heights) // 2]
    return [b for b in boxes if b.box[3] - b.box[1] >= small or _WORDLIKE.search(b.text)]


def ocr_page(engine: OcrEngine, image: np.ndarray, unit_per_px: float) -> PageOcr:
    """Straighten one page image and read its text lines; `unit_per_px` maps source pixels to page units."""
    grey, factor = shrink(to_grey(image))
    # source px -> working px; inverted at the end to report boxes in page units
    forward = np.array([[factor, 0.0, 0.0], [0.0, factor, 0.0]])
    # a photo's shadow, falloff and tint are divided out first; an evenly lit scan is left as it is
    grey, relit = flatten_light(grey)
    notes: list[str] = []
    # a finger at the margin of an evenly lit page; a relit page's desk and shadows are not told from one here
    occluded = False
    if not relit:
        grey, occluded = clear_occluders(grey)
    ink = binarise(grey)
    if is_blank(ink):
        return PageOcr(image=grey, boxes=[], to_page=_to_page(forward, unit_per_px), blank=True)
    if occluded:
        notes.append(OCCLUDED)
    ink = ruling_ink(grey, ink)  # a noisy photo's faint rulings whole again for the frame and the deskew
    # only a page lit like a photo is searched for a keystoned frame: a scanner's glass holds the sheet flat
    frame = find_frame(ink) if relit else None
    if frame is not None and frame.keystone >= KEYSTONE_MIN:  # a frame only rotated is left to the deskew
        squared = square_up(grey, frame)
        if squared is not None:
            forward = compose(affine_of(squared[1], grey.shape), forward)
            grey = squared[0]
            ink = ruling_ink(grey, binarise(grey))
            log.debug("keystone of %.2f degrees squared up", frame.keystone)
    elif frame is None and relit:
        notes.append(FRAME_NOT_FOUND)
    angle = skew_of(ink, frame)
    if abs(angle) >= _MIN_SKEW:
        turn = rotation(grey.shape, angle)
        grey = warp(grey, turn)
        forward = compose(turn, forward)
        log.debug("deskewed by %.2f degrees", angle)
    boxes = engine.recognise(grey)
    if boxes and mostly_vertical(boxes):
        turn, size = quarter_turn(grey.shape)
        grey = cv2.warpAffine(grey, turn, size, flags=cv2.INTER_NEAREST, borderValue=255)
        forward = compose(turn, forward)
        boxes = engine.recognise(grey)
        notes.append("该页横置（旋转了 90°），已自动转正后识别")
    if boxes and engine.upside_down(grey, boxes):
        turn = rotation(grey.shape, 180.0)
        grey = warp(grey, turn)
        forward = compose(turn, forward)
        boxes = engine.recognise(grey)
        notes.append("该页上下颠倒，已自动旋转 180° 后识别")
    boxes = drop_specks(boxes)
    mean_score = float(np.mean([b.score for b in boxes])) if relit and boxes else 1.0
    if mean_score < _PHOTO_MIN_SCORE:
        notes.append(f"{LOW_SCORE}（平均 {mean_score:.2f}），请对照原图核对")
    return PageOcr(image=grey, boxes=boxes, to_page=_to_page(forward, unit_per_px), notes=notes,
                   blank=not boxes)


def _to_page(forward: np.ndarray, unit_per_px: float) -> np.ndarray:
    back = cv2.invertAffineTransform(forward)
    return back * unit_per_px
