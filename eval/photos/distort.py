"""Seeded phone-photo distortions of a flat page image (RGB uint8 in, RGB uint8 out), one function per kind."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

_DESK = (96, 84, 72)  # BGR-agnostic brownish grey: a desk or table top around the photographed sheet
_SKIN = (196, 150, 128)


def _pad(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The sheet lying on a desk: a border of 2-5 % of each side (a phone photo never crops to the paper edge)."""
    h, w = img.shape[:2]
    t, b = (int(h * rng.uniform(0.02, 0.05)) for _ in range(2))
    left, right = (int(w * rng.uniform(0.02, 0.05)) for _ in range(2))
    return cv2.copyMakeBorder(img, t, b, left, right, cv2.BORDER_CONSTANT, value=_DESK)


def perspective(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The phone held off-square: each corner moved by 1-5 % of the side, on a desk background."""
    img = _pad(img, rng)
    h, w = img.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    # corners move inward by 1-5 % (a tilted camera sees the far edge shorter)
    sign = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=np.float32)
    frac = rng.uniform(0.01, 0.05, size=(4, 2)).astype(np.float32)
    dst = src + sign * frac * np.array([w, h], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=_DESK)


def rotation(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The sheet turned by 0.5-3 degrees either way, on a desk background."""
    img = _pad(img, rng)
    h, w = img.shape[:2]
    angle = float(rng.uniform(0.5, 3.0) * rng.choice([-1.0, 1.0]))
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=_DESK)


def light(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uneven light: a linear falloff to 55-75 % across the page and a soft shadow over one side."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(theta) * xx / w + np.sin(theta) * yy / h)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    gain = 1.0 - ramp * rng.uniform(0.25, 0.45)
    # a shadow (the phone, a hand) behind a slanted line, its edge blurred
    x0, slope = rng.uniform(0.55, 0.8) * w, rng.uniform(-0.3, 0.3)
    shadow = (xx > x0 + slope * (yy - h / 2)).astype(np.float32)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(w, h) * 0.02)
    gain *= 1.0 - shadow * rng.uniform(0.25, 0.4)
    return np.clip(img.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def tint(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Yellowed or greyish paper under warm light: the white becomes a colour, the ink a little lighter."""
    tone = np.array([rng.uniform(0.92, 1.0), rng.uniform(0.84, 0.93), rng.uniform(0.66, 0.8)], np.float32)
    out = img.astype(np.float32) * tone * rng.uniform(0.85, 0.95) + rng.uniform(15, 35)
    return np.clip(out, 0, 255).astype(np.uint8)


def noise(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sensor noise: Gaussian, sigma 6-12 grey levels per channel."""
    sigma = rng.uniform(6, 12)
    return np.clip(img.astype(np.float32) + rng.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def blur(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Slight defocus: Gaussian blur, sigma 0.7-1.3 px at the page's 150 dpi."""
    return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.7, 1.3))


def jpeg(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Saved by the phone or a chat app as JPEG at quality 50-80."""
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(50, 81))])
    assert ok
    return np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR))


def finger(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A finger holding the sheet: a skin-coloured rounded shape entering from the left or right margin."""
    h, w = img.shape[:2]
    out = img.copy()
    mask = np.zeros((h, w), np.uint8)
    left = bool(rng.integers(0, 2))
    cy = int(rng.uniform(0.3, 0.7) * h)
    length, width = int(w * rng.uniform(0.05, 0.08)), int(h * rng.uniform(0.035, 0.05))
    cx = 0 if left else w
    angle = rng.uniform(-20, 20)
    cv2.ellipse(mask, (cx, cy), (length, width), angle, 0, 360, 255, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), 3).astype(np.float32)[:, :, None] / 255.0
    skin = np.empty_like(img, dtype=np.float32)
    skin[:] = _SKIN
    out = out.astype(np.float32) * (1 - soft) + skin * soft
    return np.clip(out, 0, 255).astype(np.uint8)


Distortion = Callable[[np.ndarray, np.random.Generator], np.ndarray]

SINGLE: dict[str, Distortion] = {
    "perspective": perspective, "rotation": rotation, "light": light, "tint": tint,
    "noise": noise, "blur": blur, "jpeg": jpeg,
}
# occlusion and combined are per document (one page of it gets the finger), see photograph()
KINDS = [*SINGLE, "occlusion", "combined"]
_COMBINED = [tint, light, perspective, blur, noise, jpeg]  # the order light takes from paper to file


def photograph(img: np.ndarray, kind: str, seed: int, doc: str, page: int, finger_page: int) -> np.ndarray:
    """One page as a seeded photo of `kind`; the same arguments always give the same pixels."""
    rng = np.random.default_rng([seed, KINDS.index(kind), int(doc) if doc.isdigit() else len(doc), page])
    if kind in SINGLE:
        return SINGLE[kind](img, rng)
    out = finger(img, rng) if page == finger_page else img
    if kind == "combined":
        out = rotation(out, rng) if rng.random() < 0.5 else out
        for step in _COMBINED:
            out = step(out, rng)
    return out
