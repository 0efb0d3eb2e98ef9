"""The tune / held-out split of the template families: drawn once at random with a fixed seed, then committed.

Families written after the draw are added to one side by hand, each with the reason in split.json
(`added_to_tune`, `added_to_heldout`), so adding one never moves a family that rules were already tuned on into
the held-out side. A family added to the held-out side is scored once as written, and never tuned on.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent
SPLIT_PATH = HERE / "split.json"
SPLIT_SEED = 20261203
Split = Literal["tune", "heldout"]
SPLITS: tuple[Split, ...] = ("tune", "heldout")


def draw_split(names: list[str], seed: int = SPLIT_SEED) -> dict[Split, list[str]]:
    """A third of the templates (rounded up) held out, drawn with random.Random(seed) from the sorted names."""
    ordered = sorted(names)
    held = sorted(random.Random(seed).sample(ordered, -(-len(ordered) // 3)))
    return {"tune": [n for n in ordered if n not in held], "heldout": held}


def write_split(names: list[str], seed: int = SPLIT_SEED) -> None:
    """Write split.json (run once; rules must never be tuned on the held-out templates)."""
    note = (f"random.Random({seed}).sample of the sorted template names, a third held out; no extraction rule may "
            "be written against a held-out template")
    doc: dict[str, object] = {"_note": note, "split_seed": seed}
    doc.update({str(k): v for k, v in draw_split(names, seed).items()})
    SPLIT_PATH.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_split() -> dict[Split, list[str]]:
    """The committed split (the seeded draw plus the families added to either side since)."""
    data = json.loads(SPLIT_PATH.read_text(encoding="utf-8"))
    added = {"tune": sorted(data.get("added_to_tune", {})), "heldout": sorted(data.get("added_to_heldout", {}))}
    return {s: list(data[s]) + added[s] for s in SPLITS}


def drawn_names() -> list[str]:
    """The families the seeded draw was made from."""
    data = json.loads(SPLIT_PATH.read_text(encoding="utf-8"))
    return sorted([*data["tune"], *data["heldout"]])
