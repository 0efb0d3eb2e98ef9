"""The OCR engine: RapidOCR on onnxruntime with the PP-OCR models shipped inside its wheel, never downloaded."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from extractor.ocr.lexicon import DOUBTFUL, Readings, sure_pairs, wanted_pairs
from extractor.ocr.mending import mend_page
from extractor.ocr.quoted_words import quote_classes, quote_lines, seen_quotes, worth_checking
from kernel.errors import OcrUnavailableError

log = logging.getLogger(__name__)

# The wheel's bundled models. Naming them explicitly means RapidOCR never reaches its download code.
_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
_UPSIDE_DOWN_VOTES = 7  # text lines whose orientation is asked of the classifier
_CLS_SURE = 0.9
_READINGS = 5  # readings kept per doubtful character: what was read and the four next
_REMEMBERED = 128  # page images whose lines are kept, so a document's second pass does not read them again


Char = tuple[str, float, float, float]  # text, score, x0, x1


@dataclass(frozen=True)
class OcrBox:
    """One recognised text line: text, recognition score, axis-aligned box in image pixels, and its characters."""

    text: str
    score: float
    box: tuple[float, float, float, float]
    chars: tuple[Char, ...] = ()  # per-character x extents, for splitting a line that crosses a ruling


class _NextReadings:
    """Wraps the recogniser's CTC decoding to keep, per line read, each character's next most probable readings."""

    def __init__(self, decode: Any) -> None:
        self._decode = decode
        self.character: list[str] = decode.character
        self.dict: dict[str, int] = decode.dict
        self.by_text: dict[str, tuple[Readings, ...]] = {}
        self.quotes_by_text: dict[str, dict[int, float]] = {}  # quote marks seen at blank steps (quoted_words)
        self._quotes = quote_classes(self.dict)

    def __call__(self, preds: Any, return_word_box: bool = False, **kwargs: Any) -> Any:
        decoded = self._decode(preds, return_word_box, **kwargs)
        lines, words = decoded
        for row, (text, _), info in zip(np.asarray(preds), lines, words or [None] * len(lines), strict=False):
            cols = [c for word in getattr(info, "word_cols", None) or () for c in word]
            if worth_checking(text) and (seen := seen_quotes(row, text, self._quotes, cols or None)):
                self.quotes_by_text[text] = seen
            confs = list(getattr(info, "confs", None) or [])
            if len(confs) == len(text) and min(confs, default=1.0) >= DOUBTFUL:
                # read surely: its characters alone (an argmax over every class at every step is not free)
                self.by_text[text] = tuple(((ch, float(p)),) for ch, p in zip(text, confs, strict=True))
                continue
            self.by_text[text] = self._readings(row)
        return decoded

    def _readings(self, row: np.ndarray) -> tuple[Readings, ...]:
        """Each emitted character's five most probable readings (the CTC blank left out)."""
        best = row.argmax(axis=1)
        keep = best != 0
        keep[1:] &= best[1:] != best[:-1]
        readings = []
        for step in np.flatnonzero(keep):
            top = np.argpartition(-row[step], min(_READINGS, row.shape[1] - 1))[:_READINGS]
            top = top[np.argsort(-row[step][top])]
            readings.append(tuple((self.character[k], float(row[step][k])) for k in top if k != 0))
        return tuple(readings)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._decode, name)


def model_paths() -> dict[str, Path]:
    """Paths of the bundled models inside the installed rapidocr package."""
    from importlib.util import find_spec

    spec = find_spec("rapidocr")  # located, not imported: importing it pulls in OpenCV
    if spec is None or spec.origin is None:
        raise OcrUnavailableError("未安装 OCR 组件（rapidocr）")
    root = Path(spec.origin).resolve().parent / "models"
    paths = {k: root / name for k, name in _MODELS.items()}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrUnavailableError(f"OCR 模型文件缺失：{', '.join(missing)}（请重新安装 rapidocr）")
    return paths


def _chars(words: Any) -> tuple[Char, ...]:
    """(text, score, x0, x1) per recognised character, or () when RapidOCR gave no usable positions."""
    out: list[Char] = []
    for item in words or ():
        try:
            text, score, quad = item
            xs = [float(p[0]) for p in quad]
        except (TypeError, ValueError, IndexError):
            return ()
        out.append((str(text), float(score), min(xs), max(xs)))
    return tuple(out)


class OcrEngine:
    """Text detection, orientation and recognition on one page image."""

    def __init__(self, threads: int = 0) -> None:
        paths = model_paths()
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailableError(f"OCR 组件无法加载：{exc}") from exc
        # Detection at <= 1280 px on the long side: at 150 dpi text stays ~17 px high, which the detector
        # finds in about 60% of the full-size time (recognition still crops the full image). The lower box
        # threshold keeps thin lone symbols ("=", "-") that fade when shrunk.
        params: dict[str, Any] = {"Global.log_level": "error", "Det.limit_type": "max", "Det.limit_side_len": 1280,
                                  "Det.box_thresh": 0.3}
        params.update({f"{k}.model_path": str(p) for k, p in paths.items()})
        if threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._ocr = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self._read: dict[str, tuple[list[OcrBox], list[tuple[Readings, ...] | None]]] = {}  # oldest first
        self.known_words: frozenset[str] = frozenset()  # the document's own words, from its other pages
        self.page_sure: Counter[str] = Counter()
        self.page_wants: frozenset[str] = frozenset()

    def recognise(self, image: np.ndarray) -> list[OcrBox]:
        """All text lines on an image (grey or BGR), in detection order, doubtful characters mended by words.

        The page's surely read pairs and the pairs its doubtful characters could make are kept (`page_sure`,
        `page_wants`) for the document; an image read before is not read again (the document's second pass
        mends a page with words from its other pages, `known_words`).
        """
        key = hashlib.blake2b(image.tobytes(), digest_size=16).hexdigest() + str(image.shape)
        if key not in self._read:
            self._read[key] = self._read_lines(image)
            while len(self._read) > _REMEMBERED:
                self._read.pop(next(iter(self._read)))
        boxes, readings = self._read[key]
        spelt = [r for r in readings if r]
        self.page_sure, self.page_wants = sure_pairs(spelt), wanted_pairs(spelt)
        return mend_page(boxes, readings, self.known_words)

    def _read_lines(self, image: np.ndarray) -> tuple[list[OcrBox], list[tuple[Readings, ...] | None]]:
        """The image's text lines as RapidOCR reads them, and each line's readings (None where none were kept)."""
        # Every call names all three stages: RapidOCR keeps the last call's choice otherwise. No per-line
        # orientation: on short cells it turns "≥95%" into "%9%"; the page as a whole is checked instead.
        recorder = self._recorder()
        if recorder is not None:
            recorder.by_text, recorder.quotes_by_text = {}, {}
        out: Any = self._ocr(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        txts = getattr(out, "txts", None)
        readings = recorder.by_text if recorder is not None else {}
        quotes = recorder.quotes_by_text if recorder is not None else {}
        if not txts:
            return [], []
        words = list(getattr(out, "word_results", None) or [])
        words += [()] * (len(txts) - len(words))
        boxes = []
        for quad, text, score, chars in zip(out.boxes, txts, out.scores, words, strict=False):
            q = np.asarray(quad, dtype=float)
            ch = _chars(chars)
            if "".join(c[0] for c in ch).replace(" ", "") != str(text).replace(" ", ""):
                ch = ()  # positions that do not spell the line belong to another line: do without
            boxes.append(OcrBox(text=str(text), score=float(score),
                                box=(float(q[:, 0].min()), float(q[:, 1].min()),
                                     float(q[:, 0].max()), float(q[:, 1].max())),
                                chars=ch))
        return quote_lines(boxes, [readings.get(b.text) for b in boxes], quotes)

    def _recorder(self) -> _NextReadings | None:
        """The recogniser's decoding, wrapped (once) to keep next readings; None on a RapidOCR without the hook."""
        load = getattr(self._ocr, "_load_rec_model", None)
        rec: Any = load() if callable(load) else getattr(self._ocr, "text_rec", None)
        if rec is None or not hasattr(rec, "postprocess_op"):
            return None
        if not isinstance(rec.postprocess_op, _NextReadings):
            rec.postprocess_op = _NextReadings(rec.postprocess_op)
        return rec.postprocess_op

    def read_crop(self, image: np.ndarray, allowed: str | None = None) -> tuple[str, float]:
        """One line of print cut out of a page, read without detection: its text and score ("" when none).

        With `allowed`, only those characters may be read: the recogniser's most probable of them at each step
        (its probability the score), for a cell whose column says what kind of mark it holds.
        """
        if allowed is None or getattr(self._ocr, "text_rec", None) is None:  # built by the first call
            out: Any = self._ocr(image, use_det=False, use_cls=False, use_rec=True)
            txts = getattr(out, "txts", None)
            if allowed is None:
                return (str(txts[0]), float(out.scores[0])) if txts else ("", 0.0)
        return self._read_only(image, allowed)

    def _read_only(self, image: np.ndarray, allowed: str) -> tuple[str, float]:
        rec: Any = getattr(self._ocr, "text_rec", None)  # built by the call before this one
        if rec is None:
            return "", 0.0
        bgr = image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)
        _, height, width = rec.rec_image_shape
        batch = rec.resize_norm_img(bgr, max(width / height, bgr.shape[1] / bgr.shape[0]))[None].astype(np.float32)
        probs = np.asarray(rec.session(batch))[0]  # time steps x characters, index 0 the CTC blank
        index: dict[str, int] = rec.postprocess_op.dict  # character -> its class (0 is the blank)
        chars = [c for c in allowed if c in index]
        sub = probs[:, [0] + [index[c] for c in chars]]
        best = sub.argmax(axis=1)
        text, scores, prev = [], [], 0
        for step, k in enumerate(best):
            if k and k != prev:
                text.append(chars[k - 1])
                scores.append(float(sub[step, k]))
            prev = int(k)
        return "".join(text), (min(scores) if scores else 0.0)

    def upside_down(self, image: np.ndarray, boxes: list[OcrBox]) -> bool:
        """True when the orientation classifier reads most of the longest text lines as turned 180°."""
        longest = sorted(boxes, key=lambda b: b.box[2] - b.box[0], reverse=True)[:_UPSIDE_DOWN_VOTES]
        flipped = upright = 0
        for b in longest:
            x0, y0, x1, y1 = (round(v) for v in b.box)
            crop = image[max(0, y0):y1, max(0, x0):x1]
            if crop.size == 0 or crop.shape[1] < 2 * crop.shape[0]:
                continue  # short or tall crops say little about orientation
            res = self._ocr(crop, use_det=False, use_cls=True, use_rec=False)
            for label, score in getattr(res, "cls_res", None) or []:
                if score >= _CLS_SURE:
                    flipped += label == "180"
                    upright += label == "0"
        return flipped >= 2 and flipped > upright
