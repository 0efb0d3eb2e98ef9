"""The instructor response model: projects and indicators that cite row ids, grounded by validators."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractor.llm.ground import Grounding, check_reply

Operator = Literal[">=", "<=", "=", ">", "<", "between"]
# Spellings local models use for the operator enum; anything else is a validation error to re-ask.
_OPERATOR_ALIASES = {"≥": ">=", "≤": "<=", "＝": "=", "==": "=", "＞": ">", "＜": "<", "＞＝": ">=", "＜＝": "<=",
                     "range": "between"}


def _no_titles(schema: dict[str, Any]) -> None:
    # The schema is sent with every request; property titles repeat the keys and only cost tokens.
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class _Lenient(BaseModel):
    # Unknown keys are dropped rather than re-asked: they cost a round trip and carry no data we use.
    model_config = ConfigDict(extra="ignore", json_schema_extra=_no_titles)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_null(cls, v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v


class LLMIndicator(_Lenient):
    """一个三级指标。"""

    rows: list[str] = Field(min_length=1, max_length=4, description="所在行号，如 [\"T2R15\"]")
    level1: str
    level2: str | None = None
    name: str | None = None
    description: str | None = None
    target: str = Field(description="年度指标值原文")
    operator: Operator | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    weight: float | None = None
    direction: Literal["positive", "negative"] | None = None
    basis: str | None = None
    midterm_target: str | None = None

    @field_validator("operator", mode="before")
    @classmethod
    def _operator_alias(cls, v: Any) -> Any:
        return _OPERATOR_ALIASES.get(v.strip(), v.strip()) if isinstance(v, str) else v


class LLMProject(_Lenient):
    """表中新出现的项目；金额按原文抄写。"""

    rows: list[str] = Field(min_length=1, max_length=12, description="项目各字段所在行号，第一个是项目名称所在行")
    kind: Literal["overall", "project"] = "project"
    name: str
    code: str | None = None
    unit: str | None = None
    period: str | None = None
    total: str | None = None
    fiscal: str | None = None
    other: str | None = None
    carryover: str | None = None
    goal: str | None = None
    midterm_goal: str | None = None


class ChunkReply(_Lenient):
    """表格行中读出的项目和三级指标。"""

    projects: list[LLMProject] = Field(default_factory=list)
    indicators: list[LLMIndicator] = Field(default_factory=list)
    grounding: ClassVar[Grounding | None] = None

    @model_validator(mode="after")
    def _grounded(self) -> ChunkReply:
        g = type(self).grounding
        if g is not None:
            errors = check_reply(self, g)
            if errors:
                raise ValueError("回复中有字段不是所引行中的原文：\n" + "\n".join(errors))
        return self


def bind(grounding: Grounding) -> type[ChunkReply]:
    """A reply model whose validators check every citation against these rows (one per request)."""
    # A class attribute, not instructor's `context=`: instructor renders messages as Jinja templates
    # whenever a context is passed, and document text must never be evaluated as a template.
    attrs = {"grounding": grounding, "__doc__": ChunkReply.__doc__, "__module__": __name__}
    return cast(type[ChunkReply], type("ChunkReply", (ChunkReply,), attrs))
