"""Phone photos of real scan pages read end to end: squared, relit, flagged when unread, EXIF turned upright."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from eval.photos.distort import light
from eval.photos.run import photo_document, render, to_tiff, window_gold
from eval.scorer import score_document
from extractor.api import extract
from kernel.settings import Settings
from tests.conftest import gold

SETTINGS = Settings()


def _f1(data: bytes, name: str, want: dict) -> tuple[float, object]:
    got = extract(data, name=name, backend="rules", settings=SETTINGS)
    pred = got.document.model_dump() if got.document else {"projects": []}
    return score_document(want, pred).summary()["field_f1"], got


def test_combined_photo_reads_like_the_flat_page(corpus: Path) -> None:
    pages = render(corpus / "scanned" / "000.scan.pdf", [1, 2, 3], 150)  # the eval window: two whole projects
    flat = extract(to_tiff(pages), name="000.flat.tif", backend="rules", settings=SETTINGS)
    assert flat.document is not None
    want = window_gold(gold("000"), flat.document.model_dump())
    flat_f1 = score_document(want, flat.document.model_dump()).summary()["field_f1"]
    photo_f1, _ = _f1(photo_document(pages, "combined", 11, "000"), "000.photo.tif", want)
    assert flat_f1 > 0.5
    assert photo_f1 >= 0.95 * flat_f1, (photo_f1, flat_f1)


def test_photo_of_part_of_a_form_needs_review_with_its_page(corpus: Path) -> None:
    page = render(corpus / "scanned" / "000.scan.pdf", [1], 150)[0]
    part = light(page[:400], np.random.default_rng(5))  # the title and the table's first rows, unevenly lit
    got = extract(to_tiff([page, part]), name="part.tif", backend="rules", settings=SETTINGS)
    assert got.document is not None and got.document.quality is not None
    reasons = got.document.quality.reasons
    assert got.document.quality.needs_review
    assert any(r.startswith("第2页：") and "未找到表格外框" in r for r in reasons), reasons
    assert not any(r.startswith("第1页：") for r in reasons), reasons


def _jpeg(img: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80, exif=exif)
    return buf.getvalue()


def test_exif_rotated_jpeg_reads_upright(corpus: Path) -> None:
    upright = Image.fromarray(render(corpus / "scanned" / "000.scan.pdf", [1], 150)[0])
    want = gold("000")
    # how a phone stores a picture taken sideways / upside down: pixels as the sensor saw them, the turn in EXIF
    for orientation, stored in ((6, upright.transpose(Image.Transpose.ROTATE_90)),
                                (3, upright.transpose(Image.Transpose.ROTATE_180))):
        got = extract(_jpeg(stored, orientation), name="phone.jpg", backend="rules", settings=SETTINGS)
        assert got.document is not None
        assert got.document.department == want["department"]
        assert got.document.projects and got.document.projects[0].name == want["projects"][0]["name"]
        # read upright from the EXIF tag, not rescued by the quarter-turn or upside-down checks
        assert not any("旋转" in e.message for e in got.errors), [e.message for e in got.errors]


def test_comparison_marks_of_a_photographed_form_are_read_among_the_marks(corpus: Path) -> None:
    # 002 prints each target's ≥ / ≤ in a column of its own (指标性质); on this photo (a tune seed) the recogniser
    # reads two of them as "2" and "s" when alone: the column's other marks say what they are
    pages = render(corpus / "scanned" / "002.scan.pdf", [1, 2, 3], 150)
    got = extract(photo_document(pages, "combined", 21, "002"), name="002.photo.tif", backend="rules",
                  settings=SETTINGS)
    assert got.document is not None
    want = {i["name"]: i["operator"] for p in gold("002")["projects"] for i in p["indicators"]}
    read = {i.name: i.operator for p in got.document.projects for i in p.indicators}
    for name in ("推广至省级媒体", "工作发生至宣传时限", "会刊文字错漏率"):
        assert read.get(name) == want[name], (name, read.get(name), want[name])
