"""The template families by name, and a seeded variant of a gold document in one of them."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from eval.layouts.spec import LayoutSpec, Variant
from eval.templates import (
    city_apply,
    core_reference,
    county_apply,
    guangdong_packed,
    hebei_project,
    input_output_apply,
    national_overall,
    national_project,
    overall_framework,
    prior_year_apply,
    shanghai_fill,
    sichuan_wide,
    transfer_region,
)
from eval.templates.variant import Built

TEMPLATES: dict[str, Callable[[dict[str, Any], random.Random], Built]] = {
    "national_project": national_project.build,
    "national_overall": national_overall.build,
    "shanghai_fill": shanghai_fill.build,
    "overall_framework": overall_framework.build,
    "hebei_project": hebei_project.build,
    "county_apply": county_apply.build,
    "city_apply": city_apply.build,
    "sichuan_wide": sichuan_wide.build,
    "guangdong_packed": guangdong_packed.build,
    "transfer_region": transfer_region.build,
    "core_reference": core_reference.build,
    "prior_year_apply": prior_year_apply.build,
    "input_output_apply": input_output_apply.build,
}


def generate(gold: dict[str, Any], template: str, seed: int, doc: str = "doc") -> Variant:
    """A deterministic variant: everything the template chooses comes from (doc, template, seed)."""
    built = TEMPLATES[template](gold, random.Random(f"template|{doc}|{template}|{seed}"))
    # the spec's family field only knows the layout families; the template is named in the options and the doc
    spec = LayoutSpec(doc=f"{doc}-{template}", family="form", seed=seed, pool="templates",
                      options={"template": template}, sections=built.sections)
    expected = {"source": f"{doc}-{template}-s{seed}", "sha256": "", "department": gold.get("department"),
                "fiscal_year": gold.get("fiscal_year"), "projects": built.projects}
    return Variant(spec=spec, expected=expected)
