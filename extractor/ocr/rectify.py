"""Photographed pages made flat before OCR: even out light and paper tint, warp a keystoned table frame square."""

# Pure functions on grey uint8 images. Each costly step runs only when a cheap test says the page needs it, so a
# flat scan passes through untouched (same pixels, same reading).

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

_BG_SCALE = 8  # background is estimated on a 1/8 image: light varies over centimetres, not pixels
_BG_FLAT_SPREAD = 20  # grey levels between the 2nd and 98th percentile of a page's background: a scan's is ~2
_RULE_LEN = 25  # px: short enough that a ruling tilted ~5 degrees still opens as one run
_RULE_THICK = 8.0  # px: thicker "lines" are a desk edge or a shadow border, not a printed ruling
_MIN_SPAN = 0.3  # a ruling used for the frame spans this share of the page
_MIN_PIECE = 2 * _RULE_LEN  # px: a piece of ruling long enough to fit its line to
_COLLINEAR_TOL = 2.5  # px: a piece this close (median) to a longer ruling's line is more of that ruling
_SLOPE_SLACK = 0.005  # px per px of gap: a short piece's fitted slope is this uncertain (0.3 degrees)
_MIN_COVER = 0.5  # share of a ruling's extent its pieces must cover
# rulings the other way a table's outer line crosses (both borders and a column at least); a page edge or a
# shadow border crosses none or two, so it is never taken for the frame
_MIN_CROSSINGS = 3
# a frame's corner may lie this far beyond the pieces found of its two rulings (a pitted ruling loses its last
# centimetre to noise); a sheet's edge misses the table's rulings by far more
_CORNER_GAP = 4 * _RULE_LEN
KEYSTONE_MIN = 0.1  # degrees between opposite frame sides below which the page is only rotated (deskew does it)
_MAX_GROW = 1.3  # the flattened canvas may be this much larger than the photo, no more
_OCC_SCALE = 4  # occluders are looked for on a 1/4 image: a finger is centimetres wide, a stroke a pixel or two
_OCC_DROP = 50  # grey levels below the paper: a finger or a desk; faint shading and a tint are far lighter
_OCC_RIM = 9  # px: the soft edge of an occluder, cleared with it


@dataclass
class Frame:
    """The table's outer rulings as a quadrilateral (tl, tr, br, bl) and how far opposite sides converge."""

    corners: np.ndarray  # 4x2 float32
    keystone: float  # degrees: how far the frame is from a rectangle (converging sides, or sides not square)
    angle: float = 0.0  # degrees the top and bottom rulings fall to the right, on average (the page's rotation)


def background(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness without the ink, at 1/8 scale: a closing removes strokes, a blur the rest."""
    small = cv2.resize(grey, None, fx=1 / _BG_SCALE, fy=1 / _BG_SCALE, interpolation=cv2.INTER_AREA)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    return cv2.GaussianBlur(closed, (0, 0), 2.0)


def uneven_light(bg: np.ndarray) -> bool:
    """True when the paper is not evenly lit: a shadow, a light falloff, or a desk around the sheet."""
    lo, hi = np.percentile(bg, [2, 98])
    # a page tinted evenly is left alone: binarisation and OCR are local, and dividing it cost readings on photos
    return bool(hi - lo > _BG_FLAT_SPREAD)


def flatten_light(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """Divide the page by its background so paper is white everywhere; unchanged when the light is already even."""
    bg = background(grey)
    if not uneven_light(bg):
        return grey, False
    full = cv2.resize(bg, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = grey.astype(np.float32) * (255.0 / np.maximum(full, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8), True


def occluders(grey: np.ndarray) -> np.ndarray | None:
    """Solid dark shapes entering the sheet from its edge (a finger holding it), as a full-size mask; None if none.

    Their outline binarises to thick curved strokes that table rebuild takes for rulings (an extra row and column,
    a table cut in two). Ink is a stroke a few pixels wide and is closed away first; only what is still dark and
    wide, and touches the image border, counts, so a shaded cell inside the page is never cleared.
    """
    small = cv2.resize(grey, None, fx=1 / _OCC_SCALE, fy=1 / _OCC_SCALE, interpolation=cv2.INTER_AREA)
    kernel = np.ones((5, 5), np.uint8)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = float(np.percentile(closed, 90))
    dark = cv2.morphologyEx((closed < paper - _OCC_DROP).astype(np.uint8), cv2.MORPH_OPEN, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    sh, sw = dark.shape
    edge = [k for k in range(1, n) if stats[k][0] == 0 or stats[k][1] == 0
            or stats[k][0] + stats[k][2] == sw or stats[k][1] + stats[k][3] == sh]
    if not edge:
        return None
    mask = np.isin(labels, edge).astype(np.uint8) * 255
    full = cv2.resize(mask, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_NEAREST)
    return np.asarray(cv2.dilate(full, np.ones((2 * _OCC_RIM + 1, 2 * _OCC_RIM + 1), np.uint8))) > 0


def clear_occluders(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """The page with occluders painted the paper's grey (what lay under them is lost anyway); unchanged if none."""
    mask = occluders(grey)
    if mask is None:
        return grey, False
    out = grey.copy()
    out[mask] = np.uint8(np.percentile(grey[~mask], 90)) if (~mask).any() else 255
    return out, True


_Fit = tuple[float, float]  # off = a * along + b: y of x for a horizontal ruling, x of y for a vertical one


@dataclass
class _Piece:
    """A run of one ruling: its component label, pixel coordinates (along it, across it), labels of runs it meets."""

    label: int
    along: np.ndarray
    off: np.ndarray
    crossed: set[int]


@dataclass(eq=False)  # compared by identity: pieces hold arrays
class _Line:
    """One ruling as the pieces found of it, and its fitted line."""

    pieces: list[_Piece]
    fit: _Fit = (0.0, 0.0)
    lo: float = 0.0
    hi: float = 0.0
    crossings: int = 0  # rulings across that it meets (set by _table_lines)

    def add(self, piece: _Piece) -> None:
        """Take one more piece of this ruling and fit the line again."""
        self.pieces.append(piece)
        xs = np.concatenate([p.along for p in self.pieces])
        a, b = np.polyfit(xs, np.concatenate([p.off for p in self.pieces]), 1)
        self.fit, self.lo, self.hi = (float(a), float(b)), float(xs.min()), float(xs.max())

    def continued_by(self, piece: _Piece) -> bool:
        """The piece lies on this ruling's line, allowing for the slope's uncertainty over the gap between them."""
        a, b = self.fit
        gap = max(0.0, self.lo - float(piece.along.max()), float(piece.along.min()) - self.hi)
        return float(np.median(np.abs(piece.off - (a * piece.along + b)))) <= _COLLINEAR_TOL + _SLOPE_SLACK * gap


def _rulings(ink: np.ndarray, horizontal: bool) -> tuple[np.ndarray, np.ndarray]:
    """Long runs of ink this way: their component labels and stats."""
    shape = (_RULE_LEN, 1) if horizontal else (1, _RULE_LEN)
    mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return labels, stats


def _pieces(own: tuple[np.ndarray, np.ndarray], across: np.ndarray, horizontal: bool) -> list[_Piece]:
    """Thin ruling pieces one way, with the labels of the runs the other way (`across`) they meet."""
    labels, stats = own
    # labels as float32 so the dilation keeps them; a crossing may leave a pixel's gap
    near = np.asarray(cv2.dilate(across.astype(np.float32), np.ones((5, 5), np.uint8)))
    out = []
    for k in range(1, len(stats)):
        x, y, w, h, area = stats[k]
        span = w if horizontal else h
        if span < _MIN_PIECE or area / span > _RULE_THICK:
            continue
        box = labels[y:y + h, x:x + w] == k
        ys, xs = np.nonzero(box)
        crossed = {int(v) for v in np.unique(near[y:y + h, x:x + w][box]) if v}
        along, off = (xs + x, ys + y) if horizontal else (ys + y, xs + x)
        out.append(_Piece(k, along.astype(np.float64), off.astype(np.float64), crossed))
    return out


def _collinear(pieces: list[_Piece]) -> list[_Line]:
    """Pieces joined into the rulings they belong to, longest first: a piece on a longer one's line continues it.

    A ruling tilted a degree or two, thinned by blur and pitted by noise, opens into pieces a few centimetres
    long; none spans the page, yet together they are the table's outer line.
    """
    lines: list[_Line] = []
    for piece in sorted(pieces, key=lambda p: -float(np.ptp(p.along))):
        line = next((line for line in lines if line.continued_by(piece)), None)
        if line is None:
            line = _Line([])
            lines.append(line)
        line.add(piece)
    return lines


def _table_lines(lines: list[_Line], across: list[_Line], side: int) -> list[_Line]:
    """The long thin rulings of `lines` that meet three rulings across, in order of position."""
    # a ruling across is counted once however many pieces of it were met: a page edge meets the sheet's other two
    # edges, each maybe in pieces, and must not pass for a table line
    ruling_of = {p.label: i for i, line in enumerate(across) for p in line.pieces}
    found: list[tuple[float, _Line]] = []
    for line in lines:
        along = np.concatenate([p.along for p in line.pieces])
        extent = float(np.ptp(along))
        # pieces far apart with little between them are two rulings that happen to line up, not one
        if extent < _MIN_SPAN * side or sum(float(np.ptp(p.along)) for p in line.pieces) < _MIN_COVER * extent:
            continue
        line.crossings = len({ruling_of.get(k, -k) for p in line.pieces for k in p.crossed})
        if line.crossings < _MIN_CROSSINGS:
            continue
        a, b = line.fit
        found.append((a * float(along.mean()) + b, line))
    return [line for _, line in sorted(found, key=lambda f: f[0])]


def _meets(h: _Line, v: _Line, gap: float = _MIN_PIECE) -> bool:
    """A horizontal and a vertical ruling cross or meet: where their lines cross lies on both, give or take a gap."""
    x, y = _meet(h.fit, v.fit)
    return h.lo - gap <= x <= h.hi + gap and v.lo - gap <= y <= v.hi + gap


def _outer_lines(hs: list[_Line], vs: list[_Line]) -> tuple[list[_Line], list[_Line]] | None:
    """The outermost horizontal and vertical table rulings that meet each other: top, bottom, left, right.

    Rulings closing at all four corners are preferred; where none do (a border broken off by a finger or a shadow),
    the outermost that meet at all, as their lines' crossings are still the table's corners.
    """
    hs, vs = list(hs), list(vs)
    unclosed: tuple[list[_Line], list[_Line]] | None = None
    while len(hs) >= 2 and len(vs) >= 2:
        # an outer line that neither side across meets lies beyond the table: the sheet's edge against a desk
        far_h = [h for h in (hs[0], hs[-1]) if not (_meets(h, vs[0]) or _meets(h, vs[-1]))]
        far_v = [v for v in (vs[0], vs[-1]) if not (_meets(hs[0], v) or _meets(hs[-1], v))]
        if far_h or far_v:
            hs = [h for h in hs if h not in far_h]
            vs = [v for v in vs if v not in far_v]
            continue
        # Two sheet edges meet each other (the bottom and right edge of a page, both crossing a shadow border) and
        # each meets one of the table's rulings, yet the four do not close; of the open sides, the one crossing the
        # fewest rulings is the sheet's, where a table's outer ruling crosses every row or column ruling.
        tl, tr = _meets(hs[0], vs[0], _CORNER_GAP), _meets(hs[0], vs[-1], _CORNER_GAP)
        bl, br = _meets(hs[-1], vs[0], _CORNER_GAP), _meets(hs[-1], vs[-1], _CORNER_GAP)
        open_sides = [line for line, ok in ((hs[0], tl and tr), (hs[-1], bl and br), (vs[0], tl and bl),
                                            (vs[-1], tr and br)) if not ok]
        if not open_sides:
            return [hs[0], hs[-1]], [vs[0], vs[-1]]
        unclosed = unclosed or ([hs[0], hs[-1]], [vs[0], vs[-1]])
        drop = min(open_sides, key=lambda line: line.crossings)
        hs = [h for h in hs if h is not drop]
        vs = [v for v in vs if v is not drop]
    return unclosed


def _meet(hline: tuple[float, float], vline: tuple[float, float]) -> tuple[float, float]:
    """Where y = a*x + b meets x = c*y + d."""
    a, b = hline
    c, d = vline
    y = (a * d + b) / (1.0 - a * c)
    return c * y + d, y


def find_frame(ink: np.ndarray) -> Frame | None:
    """The quadrilateral of the outermost long rulings (top, bottom, left, right), or None when not found."""
    hruns, vruns = _rulings(ink, True), _rulings(ink, False)
    hlines = _collinear(_pieces(hruns, vruns[0], True))
    vlines = _collinear(_pieces(vruns, hruns[0], False))
    outer = _outer_lines(_table_lines(hlines, vlines, ink.shape[1]), _table_lines(vlines, hlines, ink.shape[0]))
    if outer is None:
        return None
    (top, bottom), (left, right) = ([line.fit for line in lines] for lines in outer)
    meets = [_meet(top, left), _meet(top, right), _meet(bottom, right), _meet(bottom, left)]
    corners = np.array(meets, dtype=np.float32)
    # sides converging (keystone) or not square to each other (a shear, which perspective and a turn make
    # together): either way a rotation alone cannot straighten the frame
    shear = abs(np.degrees(np.arctan((top[0] + bottom[0]) / 2.0) + np.arctan((left[0] + right[0]) / 2.0)))
    keystone = max(abs(np.degrees(np.arctan(top[0]) - np.arctan(bottom[0]))),
                   abs(np.degrees(np.arctan(left[0]) - np.arctan(right[0]))), shear)
    h, w = ink.shape[:2]
    limit = np.array([w, h], dtype=np.float32)
    inside = bool(np.all(corners > -0.1 * limit) and np.all(corners < 1.1 * limit))
    angle = float(np.degrees(np.arctan((top[0] + bottom[0]) / 2.0)))
    return Frame(corners, float(keystone), angle) if inside else None


def square_up(grey: np.ndarray, frame: Frame) -> tuple[np.ndarray, np.ndarray] | None:
    """Warp the page so the frame is an upright rectangle; the image and the 3x3 homography (photo -> result)."""
    tl, tr, br, bl = frame.corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2.0
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2.0
    dst = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32) + tl
    m = cv2.getPerspectiveTransform(frame.corners, dst)
    h, w = grey.shape[:2]
    page = np.array([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]], dtype=np.float32)
    edges = cv2.perspectiveTransform(page, m).reshape(4, 2)
    lo, hi = np.minimum(edges.min(axis=0), 0), np.maximum(edges.max(axis=0), [w, h])
    size = hi - lo
    if size[0] > _MAX_GROW * w or size[1] > _MAX_GROW * h:
        return None  # a wild frame fit, not a photo's few per cent of keystone
    shift = np.array([[1, 0, -lo[0]], [0, 1, -lo[1]], [0, 0, 1]], dtype=np.float64)
    m = shift @ m
    out = cv2.warpPerspective(grey, m, (int(np.ceil(size[0])), int(np.ceil(size[1]))), flags=cv2.INTER_LINEAR,
                              borderValue=255)
    return out, m


def affine_of(homography: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The 2x3 affine closest to a homography over an image of this shape (page coordinates stay near exact)."""
    h, w = shape[:2]
    xs, ys = np.meshgrid(np.linspace(0, w, 5), np.linspace(0, h, 5))
    src = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)
    dst = cv2.perspectiveTransform(src[:, None, :], homography).reshape(-1, 2)
    design = np.hstack([src, np.ones((len(src), 1), np.float32)])
    sol, *_ = np.linalg.lstsq(design, dst, rcond=None)
    return np.asarray(sol.T, dtype=np.float64)
