"""Held-out audit eval: hand labels on documents the rules were not written from (eval/audit/heldout), scored
overall and per indicator framework (项目支出 / 部门整体), beside the in-sample figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit import audit_document
from audit.frameworks import framework
from audit.model import RuleSet
from eval.audit_eval import Key, finding_keys, label_keys, load_labels, pct, score
from extractor.schema import Document

HELDOUT_DIR = Path(__file__).resolve().parent / "audit" / "heldout"


def run_heldout(rules: RuleSet, root: Path = HELDOUT_DIR) -> dict[str, Any] | None:
    """Scores on the held-out documents (None when there are none): overall, per framework, per document."""
    labels = load_labels(root / "labels")
    if not labels:
        return None
    expected: set[Key] = set()
    got: set[Key] = set()
    kinds: dict[tuple[str, str], str] = {}  # (doc, project) -> framework
    docs = []
    for doc_id, lab in labels.items():
        doc = Document.model_validate_json((root / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
        kinds.update({(doc_id, p.name): framework(p) for p in doc.projects})
        want = label_keys(doc_id, lab, rules)
        have = finding_keys(doc_id, doc, audit_document(doc, rules).findings, rules)
        expected |= want
        got |= have
        docs.append({"doc": doc_id, "department": doc.department, "labels": len(want), "findings": len(have),
                     "agreed": len(want & have)})
    frameworks = sorted(set(kinds.values()))

    def of(kind: str, keys: set[Key]) -> set[Key]:
        return {k for k in keys if kinds.get((k[0], k[1])) == kind}

    # the shape of the in-sample sections (overall, per_rule, false_positives, missed), plus documents and frameworks
    return {**score(expected, got), "documents": docs,
            "frameworks": {k: score(of(k, expected), of(k, got))["overall"] for k in frameworks}}


def render_heldout(section: dict[str, Any]) -> list[str]:
    """The held-out section of eval/audit/report.md."""
    o = section["overall"]
    lines = ["## Held-out documents (`eval/audit/heldout`: labelled before the engine ran on them)", "",
             "Labelled by someone who had not read the checks, before the engine ran, and checked by a second "
             "labeller (SECOND_PASS.md). Blind first runs: H01–H03 89.5% precision / 97.1% recall (部门整体 80% / "
             "80%); H04–H06, written after H01–H03's misses were mended, 97.5% / 95.1% (部门整体 94.7% / 90.0%, "
             "项目支出 100% / 100%). The misses of both were then studied (eval/audit/heldout/README.md), so the "
             "figures below are no longer blind.", "",
             f"Overall: precision **{pct(o['precision'])}**, recall **{pct(o['recall'])}** "
             f"(tp {o['tp']}, fp {o['fp']}, fn {o['fn']}).", "",
             "| framework | tp | fp | fn | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for kind, f in section["frameworks"].items():
        lines.append(f"| {kind} | {f['tp']} | {f['fp']} | {f['fn']} | {pct(f['precision'])} | {pct(f['recall'])} |")
    lines += ["", "| doc | department | labels | findings | agreed |", "|---|---|---:|---:|---:|"]
    lines += [f"| {d['doc']} | {d['department']} | {d['labels']} | {d['findings']} | {d['agreed']} |"
              for d in section["documents"]]
    for what, rows in (("False alarms", section["false_positives"]), ("Missed", section["missed"])):
        lines += ["", f"{what}: {len(rows)}"]
        lines += [f"- {d} · {p} · {r}" + (f" · {'、'.join(c)}" if c else "") for d, p, r, c in rows]
    return [*lines, ""]
