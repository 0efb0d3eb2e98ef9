"""Table structure from pixels: ruling lines (morphology) and OCR boxes -> the grid model, spans included."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np

from extractor.grid import Block, TextLine
from extractor.ocr.engine import OcrBox
from extractor.ocr.lone_marks import ReadCrop, read_lone_mark, without_rulings
from extractor.ocr.page import binarise, horizontal_rulings, vertical_rulings
from extractor.ocr.rulings import ruling_ink, without_text_strokes
from extractor.ocr.table_cells import centre, fill_table
from extractor.ocr.text import ocr_text, text_lines
from extractor.ocr.text_gaps import split_where_text_restarts

_COVERED = 0.5  # share of a grid edge that must be inked for it to count as a ruling
_OVERLAP = 0.1  # share of a network's box inside a larger network's box beyond which it is no table of its own
Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in working pixels


@dataclass
class _Grid:
    """Ruling positions of one table region and the merged cells they enclose."""

    xs: list[int]
    ys: list[int]
    cells: list[tuple[int, int, int, int]]  # (r0, c0, r1, c1) in grid slots, end exclusive


def _cluster(values: list[float], tol: float) -> list[int]:
    """Positions closer than tol become one (their mean)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [round(sum(g) / len(g)) for g in groups]


def _inked(mask: np.ndarray, a: int, b: int, lo: int, hi: int, tol: int, along_x: bool) -> float:
    """Share of the edge from lo to hi (at position a..b across it) that has ink in the mask."""
    if hi <= lo:
        return 0.0
    band = mask[a - tol:b + tol + 1, lo:hi] if along_x else mask[lo:hi, a - tol:b + tol + 1]
    if band.size == 0:
        return 0.0
    hits = band.any(axis=0) if along_x else band.any(axis=1)
    return float(np.count_nonzero(hits)) / float(hi - lo)


def _segments(mask: np.ndarray, horizontal: bool, min_len: int) -> list[Rect]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[k])
        if (w if horizontal else h) >= min_len:
            out.append((x, y, x + w, y + h))
    return out


def _touch(h: Rect, v: Rect, tol: int) -> bool:
    """A horizontal and a vertical segment cross or meet (within tol)."""
    return h[0] - tol <= v[2] and v[0] <= h[2] + tol and v[1] - tol <= h[3] and h[1] <= v[3] + tol


def _grid(hmask: np.ndarray, vmask: np.ndarray, region: Rect, tol: int) -> _Grid | None:
    """Slots between all ruling positions, merged wherever the ruling between two slots is missing."""
    x0, y0, x1, y1 = region
    h_all = _segments(hmask[y0:y1, x0:x1], True, 2 * tol)
    v_all = _segments(vmask[y0:y1, x0:x1], False, 2 * tol)
    # A ruling meets a ruling across it; a long stroke inside a cell (一, ——) meets none.
    h_segs = [s for s in h_all if any(_touch(s, v, tol) for v in v_all)]
    v_segs = [s for s in v_all if any(_touch(h, s, tol) for h in h_all)]
    ys = _cluster([(s[1] + s[3]) / 2 + y0 for s in h_segs], tol)
    xs = _cluster([(s[0] + s[2]) / 2 + x0 for s in v_segs], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    n_r, n_c = len(ys) - 1, len(xs) - 1
    parent = list(range(n_r * n_c))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_r):
        for c in range(n_c):
            # Edges are measured clear of the crossings, where the other ruling's ink would count.
            if c + 1 < n_c:
                m = min(2 * tol, (ys[r + 1] - ys[r]) // 3)
                if _inked(vmask, xs[c + 1], xs[c + 1], ys[r] + m, ys[r + 1] - m, tol, False) < _COVERED:
                    parent[find(r * n_c + c)] = find(r * n_c + c + 1)
            if r + 1 < n_r:
                m = min(2 * tol, (xs[c + 1] - xs[c]) // 3)
                if _inked(hmask, ys[r + 1], ys[r + 1], xs[c] + m, xs[c + 1] - m, tol, True) < _COVERED:
                    parent[find(r * n_c + c)] = find((r + 1) * n_c + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_r):
        for c in range(n_c):
            groups.setdefault(find(r * n_c + c), []).append((r, c))
    taken = np.zeros((n_r, n_c), dtype=bool)
    cells = []
    for slots in sorted(groups.values(), key=lambda s: min(s)):
        r0, c0 = min(r for r, _ in slots), min(c for _, c in slots)
        r1, c1 = max(r for r, _ in slots) + 1, max(c for _, c in slots) + 1
        if taken[r0:r1, c0:c1].any():
            continue  # a ragged merge (broken ruling) already claimed by a neighbour
        taken[r0:r1, c0:c1] = True
        cells.append((r0, c0, r1, c1))
    return _Grid(xs=xs, ys=ys, cells=cells)


def _joined_short(ink: np.ndarray, across: np.ndarray, horizontal: bool, length: int) -> np.ndarray:
    """Ruling pieces shorter than the long kernels whose two ends both run into rulings across them.

    A row cut by the page edge or a narrow cell has rulings too short for the long kernels; a
    character stroke is just as short but stands clear of the rulings (cell padding), so it is left out.
    """
    size = (length, 1) if horizontal else (1, length)
    short = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
    near = cv2.dilate(across, np.ones((5, 5), np.uint8))  # 2 px: ink that really joins, not padding
    n, labels, stats, _ = cv2.connectedComponentsWithStats(short, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    for k in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[k])
        if horizontal:
            keep[k] = bool(near[y:y + h, x].any() and near[y:y + h, x + w - 1].any())
        else:
            keep[k] = bool(near[y, x:x + w].any() and near[y + h - 1, x:x + w].any())
    return np.where(keep[labels], np.uint8(255), np.uint8(0))


def _regions(hmask: np.ndarray, vmask: np.ndarray, tol: int) -> list[Rect]:
    """Boxes of connected ruling networks big enough to be a table."""
    both = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((2 * tol + 1, 2 * tol + 1), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    h, w = hmask.shape
    found: list[tuple[Rect, int]] = []
    for k in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[k])
        if bw >= w // 8 and bh >= 4 * tol:
            found.append(((max(0, x - tol), max(0, y - tol), min(w, x + bw + tol), min(h, y + bh + tol)), area))
    out = [r for r, _ in found]
    # A network around another that none of its rulings meet is a border, not a table: the sheet's edge against a
    # desk in a photo, or a printed page frame. As a region it would take the table's text into a grid of its own.
    out = [r for r in out if not any(o != r and _encloses(r, o) for o in out)]
    # Tables do not overlap. Where a network's box runs into a larger network's, it is the sheet's edge broken open
    # (by a finger, a shadow) into L-shaped pieces whose boxes each cover part of the table: as regions they cut
    # the table's rulings into tables of their own.
    ink = dict(found)
    return [r for r in out if not any(o != r and ink[o] > ink[r] and _overlap(r, o) > _OVERLAP * _area(r)
                                      for o in out)]


def _area(r: Rect) -> int:
    return max(0, r[2] - r[0]) * max(0, r[3] - r[1])


def _overlap(a: Rect, b: Rect) -> int:
    """Area the two boxes share."""
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def _encloses(outer: Rect, inner: Rect) -> bool:
    """The inner box lies wholly inside the outer one."""
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _split(box: OcrBox, x: float) -> list[OcrBox]:
    """The parts of a text line left and right of a ruling at x, by where each character sits."""
    left = [c for c in box.chars if (c[2] + c[3]) / 2 < x]
    right = [c for c in box.chars if (c[2] + c[3]) / 2 >= x]
    if not left or not right:
        return [box]
    return [OcrBox(text="".join(c[0] for c in part).strip(), score=min(box.score, *(c[1] for c in part)),
                   box=(part[0][2], box.box[1], part[-1][3], box.box[3]), chars=tuple(part))
            for part in (left, right)]


def _split_at_rulings(boxes: list[OcrBox], grid: _Grid, vmask: np.ndarray, tol: int) -> list[OcrBox]:
    """Text lines the detector ran across a vertical ruling, cut in two there (cells padded too thinly)."""
    out: list[OcrBox] = []
    queue = list(boxes)
    while queue:
        b = queue.pop(0)
        x0, y0, x1, y1 = (round(v) for v in b.box)
        cut = next((x for x in grid.xs if x0 + tol < x < x1 - tol and b.chars
                    and _inked(vmask, x, x, y0, y1, tol, False) >= _COVERED), None)
        parts = _split(b, cut) if cut is not None else [b]
        if len(parts) == 1:
            out.append(b)
        else:
            queue[:0] = parts  # a part may cross a further ruling
    return out


def page_blocks(grey: np.ndarray, boxes: list[OcrBox], page: int, to_page: np.ndarray,
                tol: int | None = None, read_crop: ReadCrop | None = None) -> list[Block]:
    """Tables (from rulings) and text lines (everything else) of one straightened page, top to bottom.

    With `read_crop`, a cell holding print but no detected text has that print read alone.
    """
    tol = tol or max(3, round(min(grey.shape[:2]) / 220))
    plain = binarise(grey)
    ink = ruling_ink(grey, plain)  # a noisy photo's faint rulings made whole
    hmask, vmask = horizontal_rulings(ink), vertical_rulings(ink)
    short = max(8, 2 * tol)
    hmask, vmask = (cv2.bitwise_or(hmask, _joined_short(ink, vmask, True, short)),
                    cv2.bitwise_or(vmask, _joined_short(ink, hmask, False, short)))
    hmask = without_text_strokes(hmask, [b.box for b in boxes])
    lone = None
    if read_crop is not None and boxes:
        height = float(np.median([b.box[3] - b.box[1] for b in boxes]))
        lone = partial(read_lone_mark, grey, without_rulings(plain, cv2.bitwise_or(hmask, vmask)), inset=tol // 2,
                       text_height=height, read=read_crop)
    placed: list[tuple[float, Block]] = []
    left = list(boxes)
    for region in sorted(_regions(hmask, vmask, tol), key=lambda r: r[1]):
        grid = _grid(hmask, vmask, region, tol)
        if grid is None or len(grid.cells) < 2:
            continue
        x0, y0, x1, y1 = region
        inside = [b for b in left if x0 <= centre(b)[0] < x1 and y0 <= centre(b)[1] < y1]
        pieces = _split_at_rulings(inside, grid, vmask, tol)
        grid.cells = split_where_text_restarts(grid.cells, grid.xs, grid.ys, [p.box for p in pieces])
        table, used = fill_table(grid.xs, grid.ys, grid.cells, pieces, page, to_page, len(placed) + 1, lone)
        # what sits inside the frame but in no cell stays plain text
        taken = {id(b) for b in inside}
        left = [b for b in left if id(b) not in taken] + [p for k, p in enumerate(pieces) if k not in used]
        placed.append((float(grid.ys[0]), table))
    for line in text_lines(left):
        text = ocr_text(" ".join(b.text for b in line))
        if text:
            placed.append((min(b.box[1] for b in line), TextLine(text, page)))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]
