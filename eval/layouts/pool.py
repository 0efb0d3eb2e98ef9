"""Header-name pools: real-world names per field, split at random into a tune half and a held-out half."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent
PoolName = Literal["tune", "heldout"]
POOLS: tuple[PoolName, ...] = ("tune", "heldout")
SPLIT_SEED = 20250611

# Indicator columns first, then the project columns of wide and flat layouts and the labels of forms.
FIELDS = (
    "level1", "level2", "name", "description", "target", "nature", "unit", "weight", "direction", "basis",
    "midterm_target", "project_name", "project_code", "project_unit", "budget_total", "goal",
)

Pool = dict[str, list[str]]


def pool_path(name: PoolName) -> Path:
    """Where a pool's JSON file lives."""
    return HERE / f"headers_{name}.json"


def load_pool(name: PoolName) -> Pool:
    """Header names per field of one pool (every field of FIELDS present and non-empty)."""
    data = json.loads(pool_path(name).read_text(encoding="utf-8"))
    fields: Pool = data["fields"]
    missing = [f for f in FIELDS if not fields.get(f)]
    if missing:
        raise ValueError(f"pool {name} lacks names for {', '.join(missing)}")
    return fields


def split_pool(master: Pool, seed: int = SPLIT_SEED) -> tuple[Pool, Pool]:
    """Shuffle each field's names with a fixed seed and cut them in two halves (tune, held-out)."""
    tune: Pool = {}
    heldout: Pool = {}
    for field in FIELDS:
        names = list(dict.fromkeys(master[field]))  # dedupe, keep order
        random.Random(f"{seed}|{field}").shuffle(names)
        half = (len(names) + 1) // 2
        tune[field], heldout[field] = names[:half], names[half:]
    return tune, heldout


def write_pools(master: Pool, seed: int = SPLIT_SEED) -> None:
    """Split a master list and write headers_tune.json and headers_heldout.json (run once; the master is not kept)."""
    note = ("Header names departments and budget systems print, split at random (seed {seed}) from one list; "
            "budget_total names get the money unit appended by the generator.")
    for name, fields in zip(POOLS, split_pool(master, seed), strict=True):
        doc = {"_note": note.format(seed=seed), "pool": name, "split_seed": seed, "fields": fields}
        pool_path(name).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
