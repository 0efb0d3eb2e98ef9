"""Run the enabled rules over a document: pure, deterministic, no I/O."""

from __future__ import annotations

import logging
from collections import defaultdict

import audit.checks  # noqa: F401  (registers every check)
from audit.frameworks import framework
from audit.model import SEVERITY_ORDER, AuditReport, Finding, RuleSet, RuleSpec
from audit.registry import DOCUMENT_CHECKS, INDICATOR_CHECKS, PROJECT_CHECKS, Context, Hit, registered
from audit.vocab import label
from extractor.schema import Document, Project
from kernel.errors import RulesError

log = logging.getLogger(__name__)


def _finding(spec: RuleSpec, doc: Document, index: int, hit: Hit) -> Finding:
    project = doc.projects[index]
    cited = [i for i in hit.indicators if 0 <= i < len(project.indicators)]
    return Finding(rule=spec.id, title=spec.title, category=spec.category, severity=spec.severity,
                   project_index=index, project=project.name, indicators=cited,
                   indicator_names=[label(project.indicators[i], i) for i in cited],
                   explanation=hit.explanation, suggestion=spec.suggestion, source=doc.source,
                   department=doc.department, fiscal_year=doc.fiscal_year)


def check_rules(rules: RuleSet) -> None:
    """Every rule has a check of its scope, and every check a rule (a rule file cannot invent ids)."""
    for spec in rules.rules.values():
        if spec.id not in registered(spec.scope):
            raise RulesError(f"规则 {spec.id} 的范围 {spec.scope} 没有对应的检查")


def _indicator_hits(project: Project, ctx: Context, specs: list[RuleSpec]) -> list[tuple[RuleSpec, Hit]]:
    """Per row: grouped rules report the first that applies (by priority), ungrouped ones all report."""
    grouped: dict[str, list[RuleSpec]] = defaultdict(list)
    free: list[RuleSpec] = []
    for spec in specs:
        (grouped[spec.group] if spec.group else free).append(spec)
    chains = [sorted(g, key=lambda s: s.priority) for g in grouped.values()]
    out: list[tuple[RuleSpec, Hit]] = []
    for n, ind in enumerate(project.indicators):
        for chain in chains:
            for spec in chain:
                text = INDICATOR_CHECKS[spec.id](ind, n, project, ctx, spec)
                if text:
                    out.append((spec, Hit(text, [n])))
                    break
        for spec in free:
            text = INDICATOR_CHECKS[spec.id](ind, n, project, ctx, spec)
            if text:
                out.append((spec, Hit(text, [n])))
    return out


def audit_document(doc: Document, rules: RuleSet) -> AuditReport:
    """All findings of the enabled rules on one document, most severe first within each project."""
    check_rules(rules)
    ctx = Context.of(doc)
    enabled = rules.enabled()
    by_scope: dict[str, list[RuleSpec]] = defaultdict(list)
    for spec in enabled:
        by_scope[spec.scope].append(spec)
    findings: list[Finding] = []
    for index, project in enumerate(doc.projects):
        kind = framework(project)  # each rule only on the frameworks it is written for
        for spec in (s for s in by_scope["project"] if kind in s.frameworks):
            findings += [_finding(spec, doc, index, h) for h in PROJECT_CHECKS[spec.id](project, ctx, spec)]
        own = [s for s in by_scope["indicator"] if kind in s.frameworks]
        findings += [_finding(spec, doc, index, h) for spec, h in _indicator_hits(project, ctx, own)]
    for spec in by_scope["document"]:
        findings += [_finding(spec, doc, i, h) for i, h in DOCUMENT_CHECKS[spec.id](doc, ctx, spec)]
    order = {spec.id: n for n, spec in enumerate(enabled)}
    findings.sort(key=lambda f: (f.project_index, SEVERITY_ORDER[f.severity], order[f.rule],
                                 f.indicators[:1] or [-1]))
    log.debug("audit %s: %d findings", doc.source, len(findings))
    return AuditReport(source=doc.source, department=doc.department, fiscal_year=doc.fiscal_year,
                       rules_version=rules.version, projects=len(doc.projects), findings=findings)


def audit_documents(docs: list[Document], rules: RuleSet) -> list[AuditReport]:
    """One report per document."""
    return [audit_document(d, rules) for d in docs]


def audit_project(doc: Document, index: int, rules: RuleSet) -> list[Finding]:
    """Findings on one project of a document (document rules still see the whole document)."""
    return [f for f in audit_document(doc, rules).findings if f.project_index == index]
