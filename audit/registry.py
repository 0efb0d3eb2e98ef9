"""Checks registered by rule id: one function per rule, of the rule's scope (indicator, project, document)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from audit.model import RuleSpec, Scope
from extractor.schema import Document, Indicator, Project


@dataclass(frozen=True)
class Hit:
    """What a check found: the indicators it cites and the sentence explaining it."""

    explanation: str
    indicators: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """Document-level facts the project checks compare against."""

    document: Document
    weight_total: float | None  # the per-project weight total most forms of this document share, if any

    @classmethod
    def of(cls, document: Document) -> Context:
        """Facts read once per document."""
        return cls(document=document, weight_total=common_weight_total(document))


def weight_sum(project: Project) -> float | None:
    """Sum of the printed weights, None when the form prints none."""
    weights = [i.weight for i in project.indicators if i.weight is not None]
    return round(sum(weights), 4) if weights else None


def common_weight_total(document: Document) -> float | None:
    """The weight total the document's forms agree on: held by at least two complete forms and most of them."""
    totals = [weight_sum(p) for p in document.projects
              if p.indicators and all(i.weight is not None for i in p.indicators)]
    counts = Counter(t for t in totals if t is not None)
    if not counts:
        return None
    total, n = counts.most_common(1)[0]
    return total if n >= 2 and n * 2 > len(totals) else None


IndicatorCheck = Callable[[Indicator, int, Project, Context, RuleSpec], str | None]
ProjectCheck = Callable[[Project, Context, RuleSpec], list[Hit]]
DocumentCheck = Callable[[Document, Context, RuleSpec], list[tuple[int, Hit]]]

INDICATOR_CHECKS: dict[str, IndicatorCheck] = {}
PROJECT_CHECKS: dict[str, ProjectCheck] = {}
DOCUMENT_CHECKS: dict[str, DocumentCheck] = {}


def indicator_check(rule_id: str) -> Callable[[IndicatorCheck], IndicatorCheck]:
    """Register an indicator check: returns the explanation when the row breaks the rule."""
    def add(fn: IndicatorCheck) -> IndicatorCheck:
        INDICATOR_CHECKS[rule_id] = fn
        return fn
    return add


def project_check(rule_id: str) -> Callable[[ProjectCheck], ProjectCheck]:
    """Register a project check."""
    def add(fn: ProjectCheck) -> ProjectCheck:
        PROJECT_CHECKS[rule_id] = fn
        return fn
    return add


def document_check(rule_id: str) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a document check: hits come with the index of the project they are about."""
    def add(fn: DocumentCheck) -> DocumentCheck:
        DOCUMENT_CHECKS[rule_id] = fn
        return fn
    return add


def registered(scope: Scope) -> set[str]:
    """Rule ids with a check of this scope."""
    if scope == "indicator":
        return set(INDICATOR_CHECKS)
    return set(PROJECT_CHECKS) if scope == "project" else set(DOCUMENT_CHECKS)
