"""Questions the review rules answer (哪些项目的指标没有量化？): the audit findings on the stored documents."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from audit import Finding, RuleSet, audit_document, load_rules
from retrieval.ask.tools import Row
from retrieval.services import Services

log = logging.getLogger(__name__)


@dataclass
class FindingRows:
    """Projects with findings of the asked rules, each row carrying the findings' explanations."""

    titles: list[str]
    rows: list[Row]
    findings: list[Finding]


def rule_titles(rules: RuleSet, ids: list[str]) -> list[str]:
    """The Chinese titles of rule ids (the id itself when a rule file dropped it)."""
    return [rules.rules[i].title if i in rules.rules else i for i in ids]


def project_findings(services: Services, projects: list[Row], rule_ids: list[str]) -> FindingRows:
    """Run the active rule set on the documents of these projects; keep the projects the asked rules cite."""
    rules = load_rules(services.settings.audit_rules)
    by_doc: dict[int, list[Row]] = {}
    for p in projects:
        by_doc.setdefault(p["document_id"], []).append(p)
    rows: list[Row] = []
    kept: list[Finding] = []
    for doc_id, members in by_doc.items():
        document = services.store.document(doc_id)
        if document is None:
            continue
        in_scope = {p["project"]: p for p in members}
        reasons: dict[int, list[str]] = {}
        for f in audit_document(document, rules).findings:
            if f.rule in rule_ids and f.project in in_scope:
                reasons.setdefault(f.project_index, []).append(f.explanation)
                kept.append(f)
        for index, texts in sorted(reasons.items()):
            name = document.projects[index].name
            base = {k: v for k, v in in_scope[name].items() if k not in ("indicators", "goal")}
            rows.append(base | {"matched": "；".join(dict.fromkeys(texts))})
    log.debug("audit answer %s: %d projects", rule_ids, len(rows))
    return FindingRows(titles=rule_titles(rules, rule_ids), rows=rows, findings=kept)


def flagged_projects(services: Services) -> Callable[[list[Row], list[str]], list[int]]:
    """For the query tool: the ids of the projects with findings of the given rules."""
    def flagged(projects: list[Row], rule_ids: list[str]) -> list[int]:
        return [r["project_id"] for r in project_findings(services, projects, rule_ids).rows]
    return flagged
