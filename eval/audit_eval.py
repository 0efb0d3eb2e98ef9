"""Audit eval: the engine's findings on the gold documents against hand-labelled reviewer findings.

A finding is the tuple (document, project name, rule id, cited indicator names); indicator-scope rules are
matched with the indicator they cite, project- and document-scope rules by project and rule only (their
citations are context, not the claim). Precision and recall are counted per rule and over all rules.
With `extracted`, the same labels score the findings on documents the rules backend extracted from the PDFs:
projects and indicators are paired to the gold ones by fuzzy name first (the extraction scorer's matching).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from audit import audit_document
from audit.model import Finding, RuleSet
from eval.scorer import match_indicators, match_projects
from extractor.schema import Document

log = logging.getLogger(__name__)
Key = tuple[str, str, str, tuple[str, ...]]


def load_labels(label_dir: Path) -> dict[str, dict[str, Any]]:
    """The hand labels, one file per gold document (eval/audit/labels/NNN.json), by document id."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(label_dir.glob("*.json"))}


def _key(doc_id: str, project: str, rule: str, names: list[str], rules: RuleSet) -> Key:
    spec = rules.rules.get(rule)
    cited = tuple(sorted(names)) if spec is not None and spec.scope == "indicator" else ()
    return (doc_id, project, rule, cited)


def label_keys(doc_id: str, labels: dict[str, Any], rules: RuleSet) -> set[Key]:
    """What the reviewer found in one document."""
    return {_key(doc_id, f["project"], f["rule"], f["indicators"], rules) for f in labels["findings"]}


def finding_keys(doc_id: str, doc: Document, findings: list[Finding], rules: RuleSet,
                 names: dict[tuple[int, int | None], str] | None = None) -> set[Key]:
    """What the engine found, citing the printed names (a blank name stays blank, as labelled).

    `names` renames (project, indicator) positions of an extracted document to the gold names they pair with.
    """
    out = set()
    for f in findings:
        project = doc.projects[f.project_index]
        pname = names.get((f.project_index, None), project.name) if names else project.name
        cited = [names.get((f.project_index, i), project.indicators[i].name) if names else project.indicators[i].name
                 for i in f.indicators]
        out.add(_key(doc_id, pname, f.rule, cited, rules))
    return out


def gold_names(gold: Document, pred: Document) -> dict[tuple[int, int | None], str]:
    """Predicted (project, indicator) positions -> gold names, for the pairs the extraction scorer matches."""
    g, p = gold.model_dump(), pred.model_dump()
    out: dict[tuple[int, int | None], str] = {}
    for gi, pi in match_projects(g["projects"], p["projects"]):
        out[(pi, None)] = gold.projects[gi].name
        for gj, pj in match_indicators(g["projects"][gi]["indicators"], p["projects"][pi]["indicators"]):
            out[(pi, pj)] = gold.projects[gi].indicators[gj].name
    return out


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def score(expected: set[Key], got: set[Key]) -> dict[str, Any]:
    """Per-rule and overall precision/recall, with the misses and false alarms listed."""
    tally: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for k in got:
        tally[k[2]]["tp" if k in expected else "fp"] += 1
    for k in expected - got:
        tally[k[2]]["fn"] += 1
    per_rule = {r: {**t, "precision": _ratio(t["tp"], t["tp"] + t["fp"]), "recall": _ratio(t["tp"], t["tp"] + t["fn"])}
                for r, t in sorted(tally.items())}
    tp, fp, fn = (sum(t[x] for t in tally.values()) for x in ("tp", "fp", "fn"))
    return {"overall": {"tp": tp, "fp": fp, "fn": fn, "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn)},
            "per_rule": per_rule,
            "false_positives": [list(k) for k in sorted(got - expected)],
            "missed": [list(k) for k in sorted(expected - got)]}


def run_audit_eval(gold_dir: Path, label_dir: Path, rules: RuleSet,
                   extracted: dict[str, Document] | None = None) -> dict[str, Any]:
    """Score the engine on the gold documents (and on extracted ones when given); a JSON-ready report."""
    labels = load_labels(label_dir)
    expected: set[Key] = set()
    got: set[Key] = set()
    got_extracted: set[Key] = set()
    docs = []
    for doc_id, lab in labels.items():
        gold = Document.model_validate_json((gold_dir / f"{doc_id}.json").read_text(encoding="utf-8"))
        names = [p.name for p in gold.projects]
        if len(set(names)) != len(names):
            raise ValueError(f"gold {doc_id}: project names are not unique; labels name projects")
        want = label_keys(doc_id, lab, rules)
        report = audit_document(gold, rules)
        have = finding_keys(doc_id, gold, report.findings, rules)
        expected |= want
        got |= have
        row = {"doc": doc_id, "department": gold.department, "labels": len(want), "findings": len(have),
               "agreed": len(want & have), "uncovered": len(lab.get("uncovered", []))}
        if extracted is not None and doc_id in extracted:
            pred = extracted[doc_id]
            ext = finding_keys(doc_id, pred, audit_document(pred, rules).findings, rules, gold_names(gold, pred))
            got_extracted |= ext
            row["extracted_agreed"] = len(want & ext)
            row["extracted_findings"] = len(ext)
        docs.append(row)
    out = {"rules_version": rules.version, "documents": docs, "gold": score(expected, got),
           "uncovered": {d: lab.get("uncovered", []) for d, lab in labels.items()}}
    if extracted is not None:
        out["extracted"] = score({k for k in expected if k[0] in extracted}, got_extracted)
    return out


def extract_corpus(corpus: Path, doc_ids: list[str], settings: Any, backend: str = "rules") -> dict[str, Document]:
    """The PDFs of the labelled documents, extracted (what `jixiao audit` on a sample file sees)."""
    from extractor.api import extract

    out = {}
    for doc_id in doc_ids:
        path = corpus / "pdf" / f"{doc_id}.pdf"
        result = extract(path, backend=backend, settings=settings)
        if result.document is None:
            log.warning("audit eval: %s could not be extracted", path)
            continue
        out[doc_id] = result.document
    return out


def check_audit_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Overall figures below eval/floors.json["audit"], as messages."""
    floors = json.loads(floors_path.read_text(encoding="utf-8")).get("audit", {})
    failures = []
    for section in ("gold", "extracted", "heldout"):
        for metric, floor in floors.get(section, {}).items():
            if section not in report or metric.startswith("_"):
                continue  # the extracted run was not asked for
            scopes = {"": report[section]["overall"]}
            scopes |= {f" {k}": v for k, v in report[section].get("frameworks", {}).items()}  # held-out: per framework
            for scope, numbers in scopes.items():
                got = numbers.get(metric)
                if got is None and scope:
                    continue  # a framework with nothing found and nothing labelled has no ratio to hold
                if got is None or got + 1e-9 < floor:
                    failures.append(f"audit {section}{scope} {metric}: {got} < floor {floor}")
    return failures


def pct(x: float | None) -> str:
    """A ratio as the reports print it (— when there is none)."""
    return "—" if x is None else f"{x:.1%}"


def render(report: dict[str, Any], rules: RuleSet) -> str:
    """The report as Markdown (eval/audit/report.md)."""
    lines = ["# 绩效目标审核 eval", "",
             f"Rule set v{report['rules_version']}; labels: `eval/audit/labels/*.json` (hand-labelled from the gold "
             "files, see `eval/audit/LABELLING.md`). A finding counts when document, project, rule and — for "
             "indicator rules — the cited indicator all agree.", "",
             "Caveat: the labels were written from the gold files before the engine existed, but by the same person "
             "who then wrote the rules, on these same four documents. The figures are in-sample agreement, not a "
             "held-out estimate for other departments' forms; label new documents before trusting them there.", ""]
    sections = [("gold", "Gold documents (`eval/gold`)")]
    if "extracted" in report:
        sections.append(("extracted", "End to end: `jixiao audit` on the sample PDFs (rules backend)"))
    for key, title in sections:
        s = report[key]
        o = s["overall"]
        lines += [f"## {title}", "",
                  f"Overall: precision **{pct(o['precision'])}**, recall **{pct(o['recall'])}** "
                  f"(tp {o['tp']}, fp {o['fp']}, fn {o['fn']}).", "",
                  "| rule | title | labels | findings | tp | precision | recall |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for rid, spec in rules.rules.items():
            t = s["per_rule"].get(rid, {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None})
            state = "" if spec.enabled else "（停用）"
            lines.append(f"| {rid} | {spec.title}{state} | {t['tp'] + t['fn']} | {t['tp'] + t['fp']} | {t['tp']} | "
                         f"{pct(t['precision'])} | {pct(t['recall'])} |")
        lines.append("")
        for what, rows in (("False alarms", s["false_positives"]), ("Missed", s["missed"])):
            lines.append(f"{what}: {len(rows)}")
            lines += [f"- {d} · {p} · {r}" + (f" · {'、'.join(c)}" if c else "") for d, p, r, c in rows]
            lines.append("")
    lines += ["## Per document", "", "| doc | department | labels | findings | agreed | uncovered |",
              "|---|---|---:|---:|---:|---:|"]
    lines += [f"| {d['doc']} | {d['department']} | {d['labels']} | {d['findings']} | {d['agreed']} | {d['uncovered']} |"
              for d in report["documents"]]
    lines += ["", "## What a reviewer would also say that no rule covers (not scored)", ""]
    for doc_id, rows in report["uncovered"].items():
        lines += [f"- {doc_id} · {r['project']}" + (f" · {'、'.join(r['indicators'])}" if r["indicators"] else "")
                  + f"：{r['why']}" for r in rows]
    return "\n".join(lines) + "\n"
