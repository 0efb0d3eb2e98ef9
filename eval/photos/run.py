"""Score the reader on seeded photos of the sample scans, per distortion kind, against the same pages flat."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from eval.photos.distort import KINDS, photograph
from eval.scorer import Tally, match_projects, score_document
from extractor.api import extract
from kernel.settings import Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SPLIT = json.loads((HERE / "split.json").read_text(encoding="utf-8"))


def render(pdf: Path, pages: list[int], dpi: int) -> list[np.ndarray]:
    """Pages of a scan PDF as RGB pixels at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        return [np.array(doc[p - 1].render(scale=dpi / 72.0).to_pil().convert("RGB")) for p in pages
                if p <= len(doc)]
    finally:
        doc.close()


def to_tiff(images: list[np.ndarray]) -> bytes:
    """A lossless multi-page TIFF: the photo's own JPEG artefacts (if any) are kept exactly."""
    from PIL import Image

    frames = [Image.fromarray(img) for img in images]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", compression="tiff_deflate", save_all=True, append_images=frames[1:],
                   dpi=(SPLIT["dpi"], SPLIT["dpi"]))
    return buf.getvalue()


def photo_document(pages: list[np.ndarray], kind: str, seed: int, doc: str) -> bytes:
    """The document's window as one TIFF of seeded photos; one page (chosen by the seed) carries the finger."""
    finger_page = int(np.random.default_rng([seed, len(doc), int(doc) if doc.isdigit() else 0]).integers(len(pages)))
    return to_tiff([photograph(img, kind, seed, doc, k, finger_page) for k, img in enumerate(pages)])


def _read(data: bytes, name: str, settings: Settings) -> tuple[dict[str, Any], bool, float]:
    started = time.perf_counter()
    result = extract(data, name=name, backend="rules", settings=settings)
    pred = result.document.model_dump() if result.document else {"projects": []}
    return pred, result.quality.needs_review, time.perf_counter() - started


def seeds_for(split: str, kind: str) -> list[int]:
    """The split's seeds for a kind: every kind's, plus the extra ones a hard kind is tuned on (split.json)."""
    return [*SPLIT[split], *SPLIT.get("extra_seeds", {}).get(split, {}).get(kind, [])]


def window_gold(gold: dict[str, Any], flat_pred: dict[str, Any]) -> dict[str, Any]:
    """The gold cut to the projects the flat reading of the window finds (the window ends mid-document)."""
    pairs = match_projects(gold.get("projects", []), flat_pred.get("projects", []))
    keep = sorted(i for i, _ in pairs)
    return {**gold, "projects": [gold["projects"][i] for i in keep]}


def run_photos(corpus: Path, gold_dir: Path, settings: Settings, splits: list[str],
               kinds: list[str] | None = None) -> dict[str, Any]:
    """Flat window and photo variants of every sample scan, scored; returns the report as a JSON-ready dict."""
    kinds = kinds or KINDS
    flat = Tally()
    tallies: dict[str, dict[str, Tally]] = {s: {k: Tally() for k in kinds} for s in splits}
    files: list[dict[str, Any]] = []
    seconds = {"flat": 0.0, "photo": 0.0}
    pages_read = {"flat": 0, "photo": 0}
    for doc, window in sorted(SPLIT["window"].items()):
        scan, gold_path = corpus / "scanned" / f"{doc}.scan.pdf", gold_dir / f"{doc}.json"
        if not scan.exists() or not gold_path.exists():
            continue
        pages = render(scan, window, SPLIT["dpi"])
        flat_pred, review, secs = _read(to_tiff(pages), f"{doc}.flat.tif", settings)
        gold = window_gold(json.loads(gold_path.read_text(encoding="utf-8")), flat_pred)
        tally = score_document(gold, flat_pred)
        flat.add(tally)
        seconds["flat"] += secs
        pages_read["flat"] += len(pages)
        files.append({"doc": doc, "split": "flat", "kind": "flat", "seed": None, "needs_review": review,
                      "field_f1": tally.summary()["field_f1"], "seconds": round(secs, 2)})
        for split in splits:
            for seed in sorted({s for kind in kinds for s in seeds_for(split, kind)}):
                for kind in (k for k in kinds if seed in seeds_for(split, k)):
                    pred, review, secs = _read(photo_document(pages, kind, seed, doc), f"{doc}.{kind}.tif", settings)
                    tally = score_document(gold, pred)
                    tallies[split][kind].add(tally)
                    seconds["photo"] += secs
                    pages_read["photo"] += len(pages)
                    files.append({"doc": doc, "split": split, "kind": kind, "seed": seed, "needs_review": review,
                                  "field_f1": tally.summary()["field_f1"], "seconds": round(secs, 2)})
                    log.info("%s %s %s seed %d: F1 %.3f (%.0f s)", doc, split, kind, seed,
                             tally.summary()["field_f1"], secs)
    flat_f1 = flat.summary()["field_f1"]
    by_kind = {s: {k: {"field_f1": t.summary()["field_f1"],
                       "of_flat": round(t.summary()["field_f1"] / flat_f1, 4) if flat_f1 else None}
                   for k, t in per.items()} for s, per in tallies.items()}
    return {"flat_field_f1": flat_f1, "splits": splits, "seeds": {s: SPLIT[s] for s in splits},
            "extra_seeds": {s: {k: v for k, v in SPLIT.get("extra_seeds", {}).get(s, {}).items() if k in kinds}
                            for s in splits},
            "by_kind": by_kind, "files": files,
            "seconds_per_page": {k: round(seconds[k] / max(1, pages_read[k]), 2) for k in seconds}}


def check_floors(report: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Held-out kinds whose share of the flat F1 is below the floor, as messages."""
    out = []
    floor = float(floors["heldout_of_flat"])
    for kind, got in report["by_kind"].get("heldout", {}).items():
        share = got["of_flat"] or 0.0
        if share + 1e-9 < float(floors.get("per_kind", {}).get(kind, floor)):
            out.append(f"photos heldout {kind}: {share:.3f} of flat F1 < floor")
    return out
