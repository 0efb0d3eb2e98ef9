"""Export schema (extraction-format.md v1.1): the typed records every backend produces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Operator = Literal[">=", "<=", "=", ">", "<", "between"]
Origin = Literal["rules", "llm", "human"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Budget(_Strict):
    """Amounts in 万元; null when not printed."""

    total: float | None = None
    fiscal: float | None = None
    other: float | None = None
    carryover: float | None = None


class Indicator(_Strict):
    """One 三级指标 row with its annual target read into operator/value/unit.

    The one source of the indicator fields: export columns, the store's field list, the editable columns of the
    review grid and every Chinese label are derived from these fields and their titles.
    """

    level1: str = Field(title="一级指标")
    level2: str | None = Field(default=None, title="二级指标")
    name: str = Field(title="三级指标")  # may be "" when the row prints a target but no name (flagged by confidence)
    description: str | None = Field(default=None, title="指标解释")
    target: str = Field(title="指标值")
    operator: Operator | None = Field(default=None, title="运算符")
    value: float | None = Field(default=None, title="数值")
    value_max: float | None = Field(default=None, title="上限")
    unit: str | None = Field(default=None, title="度量单位")
    qualitative: bool = Field(default=False, title="定性")
    weight: float | None = Field(default=None, title="权重")
    direction: Literal["positive", "negative"] | None = Field(default=None, title="指标方向性")
    basis: str | None = Field(default=None, title="评分标准/依据")
    midterm_target: str | None = Field(default=None, title="中期指标值")
    page: int | None = Field(default=None, title="页码")
    bbox: list[float] | None = Field(default=None, min_length=4, max_length=4, title="位置")
    confidence: float = Field(ge=0.0, le=1.0, title="置信度")
    origin: Origin = Field(default="rules", title="来源")
    # Not exported: the 一级 text as printed when it was read as the framework's name (社会效益指标 -> 效益指标).
    _printed_level1: str | None = PrivateAttr(default=None)

    @field_validator("level1")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("must not be blank")
        return v

    @field_validator("target")
    @classmethod
    def _no_whitespace(cls, v: str) -> str:
        return "".join(v.split())


class Project(_Strict):
    """One 整体支出 or 项目支出 form."""

    kind: Literal["overall", "project"]
    name: str
    code: str | None = None
    unit: str | None = None
    budget: Budget = Field(default_factory=Budget)
    period: str | None = None
    goal: str | None = None
    midterm_goal: str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    page: int | None = None


class Review(_Strict):
    """Whether a person must check this reading, and why (export format 1.1 `quality`)."""

    needs_review: bool = False
    reasons: list[str] = Field(default_factory=list)  # in Chinese, naming the project, page or column concerned


class Document(_Strict):
    """The typed record of one uploaded file."""

    source: str
    sha256: str
    department: str | None = None
    fiscal_year: int | None = None
    projects: list[Project] = Field(default_factory=list)
    quality: Review = Field(default_factory=Review)


class Export(_Strict):
    """What `jixiao extract --format json` writes."""

    documents: list[Document]


# ---- Not exported: what an extraction run reports beside the records. ----

Status = Literal["ok", "partial", "failed"]


class Problem(_Strict):
    """A page- or row-level problem that review must see (partial failure is data)."""

    page: int | None = None
    message: str
    row_text: str | None = None
    table_index: int | None = None  # which table of the document grid (reading order)
    row_index: int | None = None  # which row of that table


class Provenance(_Strict):
    """Which prompt version and model produced one LLM-origin record (kept beside the export, not in it)."""

    project_index: int  # index into document.projects
    indicator_index: int | None = None  # index into that project's indicators; None = the project record itself
    prompt: str  # prompt id with its version, e.g. "extract_indicators.v1"
    model: str
    rows: list[str] = Field(default_factory=list)  # the row ids (e.g. "T2R15") the model cited
    cached: bool = False  # replayed from the on-disk cache rather than asked again


class LevelNote(_Strict):
    """A level name read as the framework means it (一级 社会效益指标 -> 效益指标), the printed text kept."""

    project_index: int
    indicator_index: int
    printed: str
    read_as: str


class ColumnEvidence(_Strict):
    """Why a table column was read as a field (or as none): its header's and its cells' scores."""

    table_index: int
    col: int
    header: str
    field: str  # "" when no field fits: text nobody could place
    header_score: float
    cell_score: float


class Quality(_Strict):
    """How complete an extraction looks, and whether a person must review it (reasons in Chinese)."""

    indicators: int = 0
    with_target: float = 1.0  # share of indicators with a target
    with_levels: float = 1.0  # share with level1 and level2
    with_value: float = 1.0  # share of targets printing a number whose value was read
    budgets_found: float = 1.0  # share of project forms with a budget total
    money_unit: Literal["printed", "assumed", "none"] = "none"  # how bare amounts' unit was known
    unmapped_columns: list[str] = Field(default_factory=list)  # columns with text that mapped to no field
    unmapped_rows: int = 0
    needs_review: bool = False
    reasons: list[str] = Field(default_factory=list)


class Contradiction(_Strict):
    """Something a reading says that the printed page does not (found by `extractor.verify`), in Chinese."""

    kind: str  # e.g. "budget_unprinted", "name_is_label", "row_unread"; the break-it eval counts by kind
    message: str
    page: int | None = None
    table_index: int | None = None
    row_index: int | None = None
    project_index: int | None = None
    indicator_index: int | None = None


class Extraction(_Strict):
    """Records plus per-page problems, unmapped rows and a status."""

    document: Document | None
    status: Status
    errors: list[Problem] = Field(default_factory=list)
    unmapped: list[Problem] = Field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    backend: str = "rules"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provenance: list[Provenance] = Field(default_factory=list)
    quality: Quality = Field(default_factory=Quality)
    level_notes: list[LevelNote] = Field(default_factory=list)
    columns: list[ColumnEvidence] = Field(default_factory=list)  # the evidence behind each indicator table's columns
    contradictions: list[Contradiction] = Field(default_factory=list)  # the verifier's objections to this reading


INDICATOR_FIELDS: tuple[str, ...] = tuple(Indicator.model_fields)
INDICATOR_LABELS: dict[str, str] = {k: f.title or k for k, f in Indicator.model_fields.items()}
# Where a row was read and how sure the reader was are facts of the extraction, not values a reviewer types;
# description and bbox are not columns of the flat export (long text; coordinates).
EDITABLE_INDICATOR_FIELDS: tuple[str, ...] = tuple(
    f for f in INDICATOR_FIELDS if f not in ("description", "page", "bbox", "confidence", "origin"))
FLAT_INDICATOR_FIELDS: tuple[str, ...] = tuple(f for f in INDICATOR_FIELDS if f not in ("description", "bbox"))


