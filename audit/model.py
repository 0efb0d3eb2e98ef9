"""The audit's records: a rule as configured, the rule set, and one finding."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.errors import RulesError

Severity = Literal["错误", "警告", "提示"]
Scope = Literal["indicator", "project", "document"]
SEVERITY_ORDER: dict[str, int] = {"错误": 0, "警告": 1, "提示": 2}
FrameworkName = Literal["项目支出", "部门整体", "未知"]
ALL_FRAMEWORKS: tuple[FrameworkName, ...] = ("项目支出", "部门整体", "未知")



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSpec(_Strict):
    """One rule as the rule file configures it."""

    id: str
    title: str
    category: str
    severity: Severity
    scope: Scope
    enabled: bool = True
    group: str | None = None  # indicator rules of one group are exclusive: only the first that applies reports
    priority: int = 0  # order inside the group, lowest first
    basis: str = "常见做法"  # where the rule comes from: a source that was read, else common practice
    suggestion: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    # the indicator frameworks the rule is written for (audit.frameworks): a 部门整体 form has no 产出指标 level
    frameworks: list[FrameworkName] = Field(default_factory=lambda: list(ALL_FRAMEWORKS))

    def number(self, key: str) -> float:
        """A numeric parameter, or RulesError naming the rule."""
        value = self.params.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RulesError(f"规则 {self.id} 的参数 {key} 应为数字，实际为 {value!r}")
        return float(value)

    def words(self, key: str) -> list[str]:
        """A list-of-strings parameter, or RulesError naming the rule."""
        value = self.params.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesError(f"规则 {self.id} 的参数 {key} 应为字符串列表，实际为 {value!r}")
        return list(value)

    def numbers(self, key: str) -> list[float]:
        """A list-of-numbers parameter, or RulesError naming the rule."""
        value = self.params.get(key)
        if not isinstance(value, list) or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                                  for v in value):
            raise RulesError(f"规则 {self.id} 的参数 {key} 应为数字列表，实际为 {value!r}")
        return [float(v) for v in value]

    def text(self, key: str) -> str:
        """A string parameter (e.g. a regular expression), or RulesError naming the rule."""
        value = self.params.get(key)
        if not isinstance(value, str):
            raise RulesError(f"规则 {self.id} 的参数 {key} 应为字符串，实际为 {value!r}")
        return value


class RuleSet(_Strict):
    """The whole rule file: a version and the rules by id."""

    version: str
    rules: dict[str, RuleSpec]
    origin: list[str] = Field(default_factory=list)  # the files merged, shipped file first

    def enabled(self) -> list[RuleSpec]:
        """Enabled rules in file order."""
        return [r for r in self.rules.values() if r.enabled]


class Finding(_Strict):
    """One review finding on one project, ready to paste into a 审核意见."""

    rule: str
    title: str
    category: str
    severity: Severity
    project_index: int  # index into document.projects
    project: str
    indicators: list[int] = Field(default_factory=list)  # indexes into that project's indicators
    indicator_names: list[str] = Field(default_factory=list)
    explanation: str  # one sentence a reviewer could paste
    suggestion: str
    source: str | None = None  # the document's file name
    department: str | None = None
    fiscal_year: int | None = None


class AuditReport(_Strict):
    """Findings of one document with the rule set version that produced them."""

    source: str
    department: str | None = None
    fiscal_year: int | None = None
    rules_version: str
    projects: int
    findings: list[Finding] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings by severity."""
        out = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            out[f.severity] += 1
        return out
