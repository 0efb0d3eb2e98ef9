"""Rectify on the sample scans and their photos: flat scans pass untouched, photographed frames come out square."""

from __future__ import annotations

from pathlib import Path

from eval.photos.distort import photograph
from eval.photos.run import render
from extractor.ocr.page import binarise, shrink, to_grey
from extractor.ocr.rectify import KEYSTONE_MIN, find_frame, flatten_light, square_up


def test_every_flat_scan_page_passes_untouched(corpus: Path) -> None:
    seen = 0
    for scan in sorted((corpus / "scanned").glob("*.scan.pdf")):
        for page in render(scan, list(range(1, 41)), 150):
            grey = shrink(to_grey(page))[0]
            out, changed = flatten_light(grey)
            assert not changed and out is grey, (scan.name, seen)  # same pixels: the scans' readings cannot move
            seen += 1
    assert seen >= 40


def test_photographed_table_frames_come_out_square(corpus: Path) -> None:
    pages = render(corpus / "scanned" / "004.scan.pdf", [1, 2], 150)
    for k, page in enumerate(pages):
        for kind in ("perspective", "combined"):
            grey, relit = flatten_light(to_grey(photograph(page, kind, 11, "004", k, -1)))
            assert relit  # a desk around the sheet and uneven light mark it as a photo
            frame = find_frame(binarise(grey))
            assert frame is not None, (k, kind)
            if frame.keystone < KEYSTONE_MIN:
                continue
            squared = square_up(grey, frame)
            assert squared is not None
            again = find_frame(binarise(squared[0]))
            assert again is not None and again.keystone < 0.1, (k, kind, again)
