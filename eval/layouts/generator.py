"""Seeded layout variants of a gold document: (gold, family, seed, pool) → layout spec + the gold expected back."""

from __future__ import annotations

import random
import re
from typing import Any

from eval.layouts.forms import FormContext, separate_forms, stacked_forms
from eval.layouts.options import choose_options
from eval.layouts.overall import synthesize_overall
from eval.layouts.pool import FIELDS, Pool
from eval.layouts.rows import flat_table, wide_table
from eval.layouts.spec import Family, LayoutSpec, Section, Variant

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def choose_headers(pool: Pool, rng: random.Random) -> dict[str, str]:
    """One header name per field, drawn from the pool."""
    return {f: rng.choice(pool[f]) for f in FIELDS}


def sheet_name(name: str, index: int, used: set[str]) -> str:
    """An Excel-safe, unique sheet name (≤ 31 characters) for a project."""
    base = _SHEET_BAD.sub("", f"{index}.{name}")[:31] or f"Sheet{index}"
    out, n = base, 2
    while out in used:
        out, n = f"{base[:28]}({n})", n + 1
    used.add(out)
    return out


def generate(gold: dict[str, Any], family: Family, seed: int, pool: Pool, pool_name: str = "tune",
             doc: str = "doc") -> Variant:
    """A deterministic variant: the layout comes from (doc, family, seed), the header names from the pool."""
    rng = random.Random(f"layout|{doc}|{family}|{seed}")
    headers = choose_headers(pool, random.Random(f"headers|{doc}|{family}|{seed}"))
    opts = choose_options(family, gold, rng)
    projects = [p for p in gold.get("projects", []) if p.get("kind") == "project"]
    overall = [p for p in gold.get("projects", []) if p.get("kind") == "overall"]
    sections: list[Section]
    if family in ("wide", "flat"):
        build = wide_table if family == "wide" else flat_table
        blocks, expected = build(gold, projects, opts, headers)
        sections = [Section(name=rng.choice(["Sheet1", "绩效目标", "项目绩效目标表"]), blocks=blocks)]
    else:
        ctx = FormContext(gold=gold, opts=opts, headers=headers, rng=rng)
        if family == "overall_plus_projects":
            forms = (overall or [synthesize_overall(gold, rng)]) + projects
            sections = [Section(name="整体及项目绩效目标", blocks=stacked_forms(ctx, forms))]
        else:
            forms = gold.get("projects", [])
            parts = separate_forms(ctx, forms)
            if family == "form":
                sections = [Section(name="绩效目标表", blocks=[b for part in parts for b in part])]
            else:  # sheet_per_project
                used: set[str] = set()
                sections = [Section(name=sheet_name(p.get("name") or "", i, used), blocks=part)
                            for i, (p, part) in enumerate(zip(forms, parts, strict=True), 1)]
        expected = ctx.expected
    spec = LayoutSpec(doc=doc, family=family, seed=seed, pool=pool_name,
                      options={**opts.model_dump(), "headers_from": pool_name}, sections=sections)
    exp_doc = {"source": f"{doc}-{family}-s{seed}", "sha256": "", "department": gold.get("department"),
               "fiscal_year": gold.get("fiscal_year"), "projects": expected}
    return Variant(spec=spec, expected=exp_doc)
