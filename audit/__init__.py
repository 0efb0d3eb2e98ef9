"""绩效目标审核: rules (audit/rules.toml) applied to extracted documents; pure functions, no I/O."""

from audit.engine import audit_document, audit_documents
from audit.model import AuditReport, Finding, RuleSet
from audit.rules import load_rules
from kernel.errors import RulesError

__all__ = ["AuditReport", "Finding", "RuleSet", "RulesError", "audit_document", "audit_documents", "load_rules"]
