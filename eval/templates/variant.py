"""What a template builds (sections and expected records) and the seeded variant around it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eval.layouts.generator import sheet_name
from eval.layouts.spec import Block, Section


@dataclass
class Built:
    """The printed sections of one file (a sheet or a page run each) and the records a correct reader returns."""

    sections: list[Section] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def add(self, name: str, blocks: list[Block], records: list[dict[str, Any]]) -> None:
        """One more section (its sheet name made Excel-safe and unique) and the records printed in it."""
        self.sections.append(Section(name=sheet_name(name, len(self.sections) + 1, self.used), blocks=blocks))
        self.projects.extend(records)


FormBuilder = Callable[[dict[str, Any], dict[str, Any], random.Random], tuple[list[Block], dict[str, Any]]]


def form_per_project(gold: dict[str, Any], rng: random.Random, form: FormBuilder) -> Built:
    """One form per 项目支出 of the gold, each on its own page (its own sheet in Excel)."""
    out = Built()
    for p in (q for q in gold.get("projects", []) if q.get("kind") == "project"):
        blocks, record = form(gold, p, rng)
        out.add(p.get("name") or "项目", blocks, [record])
    return out
