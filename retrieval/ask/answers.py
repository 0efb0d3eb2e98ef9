"""The question module's records: the public Answer, chat turns, and the parsed plan of a question."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

# The analyst plans (analyst.py): one executor whether the offline parser or the model filled the plan.
AnalystIntent = Literal["rank", "versus", "share", "kinds", "years"]
ANALYST_INTENTS: tuple[str, ...] = get_args(AnalystIntent)
Intent = Literal["list", "count", "sum", "avg", "top", "compare", "threshold", "missing", "detail", "audit",
                 AnalystIntent, "refuse"]
GroupKey = Literal["department", "fiscal_year", "level1", "project"]
Part = Literal["satisfaction", "quantitative", "qualitative"]
Subject = Literal["project", "indicator", "department"]
Op = Literal["<", "<=", ">", ">=", "="]
AskMode = Literal["auto", "offline", "llm"]


class Citation(BaseModel):
    """Where a fact comes from: file, department, project, indicator and page."""

    source: str | None = None
    department: str | None = None
    project: str | None = None
    indicator: str | None = None
    page: int | None = None


class Comparison(BaseModel):
    """A number condition such as 低于80% (on indicator targets) or 超过100万元 (on budgets)."""

    op: Op
    value: float
    unit: str | None = None
    field: Literal["value", "budget"] = "value"
    text: str = ""  # as the user wrote it, for the answer


class Plan(BaseModel):
    """What the offline parser understood: intent, filters, topic terms and a number condition."""

    model_config = ConfigDict(extra="forbid")
    intent: Intent = "list"
    subject: Subject = "project"
    departments: list[str] = Field(default_factory=list)  # full names as the store spells them
    fiscal_year: int | None = None
    levels: list[str] = Field(default_factory=list)  # indicator level names as the store spells them
    level_label: str | None = None  # the level words the user wrote (满意度, 成本指标…)
    topics: list[str] = Field(default_factory=list)
    comparison: Comparison | None = None
    top_n: int | None = None
    descending: bool = True
    group_by: GroupKey | None = None
    measure: Literal["budget", "value", "count"] = "budget"
    overall: bool = False  # 整体支出 forms instead of 项目支出
    direction: Literal["positive", "negative"] | None = None  # 正向/反向 indicators
    qualitative: bool | None = None  # 定性 (True) or 定量 (False) indicators
    unit: str | None = None  # indicators measured in this unit (单位是人次)
    rules: list[str] = Field(default_factory=list)  # audit rule ids the question asks about (没有量化…)
    count_of: Subject | None = None
    asks_budget: bool = False
    follow_up: bool = False  # worded as a follow-up (那…呢, 其中…)
    unknown: list[str] = Field(default_factory=list)  # words the store never uses (a department not loaded…)
    stated: list[str] = Field(default_factory=list)  # the fields the question itself set (a follow-up keeps the rest)
    # Analyst questions (rank / versus / share / kinds): what each group's figure is made of.
    counted: Literal["project", "indicator"] | None = None  # 项目支出 forms, or indicators of every form
    metric: Literal["count", "budget", "avg", "share"] | None = None  # avg: mean budget; share: part / all, percent
    part: Part | None = None  # the indicators counted (满意度 / 定量 / 定性); None: all of them


class Bar(BaseModel):
    """One bar of an answer's chart: a compared item and its figure."""

    label: str
    value: float
    full: str = ""  # the item's full name, for the tooltip (a department's label is its short name)


class Chart(BaseModel):
    """A comparison worth drawing: one bar per compared item (never a sum over rows of different items)."""

    measure: str  # what the bars measure, as the axis reads (预算合计（万元）, 指标数…)
    bars: list[Bar]


class Turn(BaseModel):
    """One earlier exchange of a chat; plan is kept so a follow-up can reuse it."""

    question: str
    answer: str = ""
    plan: Plan | None = None


class Answer(BaseModel):
    """What `jixiao ask` prints and the app shows; only the four public fields serialise."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    table: list[dict[str, Any]] = Field(default_factory=list)
    mode: Literal["llm", "offline"] = "offline"
    plan: Plan | None = Field(default=None, exclude=True)
    chart: Chart | None = Field(default=None, exclude=True)

    def turn(self, question: str) -> Turn:
        """This answer as a chat turn, to pass back in `history`."""
        return Turn(question=question, answer=self.answer, plan=self.plan)
