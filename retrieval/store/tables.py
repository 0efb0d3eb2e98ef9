"""SQL system of record: documents, projects, indicators and every revision.

Text read from files is stored as TEXT: PostgreSQL enforces VARCHAR lengths (SQLite does not), and hostile or
merely long cells must store the same on both. Only short, validated codes keep bounded types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Timezone-aware now."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base."""


class DocumentRow(Base):
    """One uploaded file version."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    department: Mapped[str | None] = mapped_column(Text)
    fiscal_year: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20))  # ok / partial / superseded
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unmapped: Mapped[list[Any]] = mapped_column(JSON, default=list)
    backend: Mapped[str] = mapped_column(String(20), default="rules")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The extractor's own quality summary (extractor.schema.Quality): needs_review and its reasons.
    quality: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Live documents: set once Chroma holds their records. Superseded ones: the index may still hold them.
    indexed: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    projects: Mapped[list[ProjectRow]] = relationship(back_populates="document", cascade="all, delete-orphan",
                                                      order_by="ProjectRow.position")


class ProjectRow(Base):
    """One 整体支出 or 项目支出 form."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    budget_total: Mapped[float | None] = mapped_column(Float, index=True)
    budget_fiscal: Mapped[float | None] = mapped_column(Float)
    budget_other: Mapped[float | None] = mapped_column(Float)
    budget_carryover: Mapped[float | None] = mapped_column(Float)
    period: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[str | None] = mapped_column(Text)
    midterm_goal: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[DocumentRow] = relationship(back_populates="projects")
    indicators: Mapped[list[IndicatorRow]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                          order_by="IndicatorRow.position")


class IndicatorRow(Base):
    """One indicator; its columns are the export format's Indicator fields (tests/unit check they match)."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(Text)
    level2: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    operator: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(Text)
    qualitative: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(10))
    basis: Mapped[str | None] = mapped_column(Text)
    midterm_target: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[float] | None] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(10))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    prompt: Mapped[str | None] = mapped_column(Text, nullable=True)  # e.g. extract_indicators.v1 (llm rows)
    model: Mapped[str | None] = mapped_column(Text, nullable=True)  # the model that produced an llm row
    project: Mapped[ProjectRow] = relationship(back_populates="indicators")


class RevisionRow(Base):
    """Every change keeps the old values, who, when, why and what made it."""

    __tablename__ = "revisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), index=True)  # indicator / project / document
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    old: Mapped[dict[str, Any]] = mapped_column(JSON)
    new: Mapped[dict[str, Any]] = mapped_column(JSON)
    who: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MetaRow(Base):
    """Key/value facts about the store: schema version, write generation, index model."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)




class KeywordRow(Base):
    """One searchable record's jieba tokens and filter columns; FTS5 (SQLite) or a tsvector (PostgreSQL) ranks them.

    Written in the same transaction as the rows it indexes (retrieval/search/keyword_rows.py), so every process
    shares it and nothing rebuilds it at search time.
    """

    __tablename__ = "keyword_index"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the FTS5 rowid
    rid: Mapped[str] = mapped_column(String(40), unique=True)  # p12 / i345, as in Chroma
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    project_id: Mapped[int] = mapped_column(Integer, index=True)
    department: Mapped[str | None] = mapped_column(Text)
    fiscal_year: Mapped[int | None] = mapped_column(Integer)
    level1: Mapped[str | None] = mapped_column(Text)
    level2: Mapped[str | None] = mapped_column(Text)
    budget_total: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    tokens: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)


class VectorRow(Base):
    """One embedding, keyed by the model and the hash of the text it embeds (texts repeat across documents)."""

    __tablename__ = "vector_cache"
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ApiTokenRow(Base):
    """An API token of `jixiao serve`: only its SHA-256 is kept, so a leaked store leaks no usable token."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # the reviewer a write through it is recorded as
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    scope: Mapped[str] = mapped_column(String(10))  # read / write
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
