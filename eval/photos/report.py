"""Render the photo-family report as Markdown: field F1 per distortion kind, tune and held-out, against flat."""

from __future__ import annotations

from typing import Any


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


def _extra(report: dict[str, Any]) -> str:
    """The extra seeds some kinds are scored on, as text ('' when none)."""
    extra = [f"{kind} also {split} {seeds}" for split, kinds in report.get("extra_seeds", {}).items()
             for kind, seeds in kinds.items() if not kind.startswith("_")]
    return f" ({'; '.join(extra)})" if extra else ""


def render_markdown(report: dict[str, Any]) -> str:
    """One table per kind with a column per split; the flat window's F1 is the reference."""
    splits = report["splits"]
    lines = ["# Photo eval — generated phone photos of the sample scans (backend `rules`)", "",
             f"Flat scan, same pages: **field F1 {_pct(report['flat_field_f1'])}**. Seeds: "
             + ", ".join(f"{s} {report['seeds'][s]}" for s in splits) + _extra(report) + ". Cost: "
             + f"{report['seconds_per_page']['flat']:.2f} s/page flat, "
             + f"{report['seconds_per_page']['photo']:.2f} s/page photo (whole extraction).", "",
             "| kind | " + " | ".join(f"{s} F1 | {s} / flat" for s in splits) + " |",
             "|---" * (1 + 2 * len(splits)) + "|"]
    kinds = list(report["by_kind"][splits[0]])
    for kind in kinds:
        cells = []
        for s in splits:
            got = report["by_kind"][s][kind]
            cells += [_pct(got["field_f1"]), "—" if got["of_flat"] is None else f"{got['of_flat']:.3f}"]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += ["", "## Files", "", "| doc | split | kind | seed | field F1 | needs review | s |",
              "|---|---|---|---|---|---|---|"]
    for r in report["files"]:
        lines.append(f"| {r['doc']} | {r['split']} | {r['kind']} | {r['seed'] or '—'} | {_pct(r['field_f1'])} | "
                     f"{'yes' if r['needs_review'] else 'no'} | {r['seconds']:.1f} |")
    return "\n".join(lines) + "\n"


SECTION_START = "<!-- photos: written by python -m eval.photos -->"
SECTION_END = "<!-- /photos -->"


def section(report: dict[str, Any]) -> str:
    """The per-kind table as a section of eval/report.md, between markers so a rerun replaces it."""
    body = render_markdown(report).split("\n## Files")[0].splitlines()[1:]
    return "\n".join([SECTION_START, "## Phone photos of the scans (eval/photos/report.md)", *body,
                      SECTION_END]) + "\n"


def with_section(markdown: str, report: dict[str, Any]) -> str:
    """eval/report.md with its photos section written or replaced."""
    if SECTION_START in markdown and SECTION_END in markdown:
        head, rest = markdown.split(SECTION_START, 1)
        markdown = head + rest.split(SECTION_END, 1)[1].lstrip("\n")
    return markdown.rstrip("\n") + "\n\n" + section(report)
