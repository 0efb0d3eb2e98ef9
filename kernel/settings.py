"""The one settings object (environment prefix JIXIAO_)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True)
class Thresholds:
    """Below these shares an extraction needs review (extractor/quality.py)."""

    min_target: float = 0.8
    min_levels: float = 0.6
    min_value: float = 0.7
    min_budget: float = 0.5
    max_unmapped_rows: float = 0.2  # unmapped rows per indicator read
    large_budget_wan: float = 20_000.0  # a median project budget above this (2 亿) in 万元 smells of 元


class Settings(BaseSettings):
    """All configuration; secrets come only from the environment."""

    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="where the store, index and file copies live")
    corpus_dir: Path = Field(default=Path("../shared/corpus"), description="the sample corpus")
    max_file_mb: float = Field(default=50.0, gt=0, description="files larger than this are refused")
    max_pages: int = Field(default=500, gt=0, description="documents with more pages (or image frames) are refused")
    max_unzipped_mb: float = Field(default=100.0, gt=0, description="Word/Excel files unpacking to more are refused")
    max_zip_entries: int = Field(default=2000, gt=0, description="Word/Excel files with more zip entries are refused")
    max_cells: int = Field(default=1_000_000, gt=0,
                           description="a workbook's used ranges or a table with more cells (rows x cols) is refused")
    max_merged_cells: int = Field(default=200_000, gt=0, description="sheets whose merged ranges cover more: refused")
    max_table_rows: int = Field(default=50_000, gt=0, description="tables with more rows (or taller spans): refused")
    max_table_cols: int = Field(default=500, gt=0, description="tables with more columns (or wider spans): refused")
    max_image_pixels: int = Field(default=60_000_000, gt=0, description="images with more pixels are refused")
    worker_max_memory_mb: int = Field(default=3072, ge=0,
                                      description="address-space cap of each ingest worker process; 0 = none")
    max_query_chars: int = Field(default=500, gt=0, description="longer search queries and questions are refused")
    ocr_enabled: bool = Field(default=True, description="OCR pages with no text layer and image files")
    ocr_dpi: int = Field(default=150, ge=72, le=400, description="resolution PDF pages are rendered at for OCR")
    ocr_page_timeout_s: float = Field(default=60.0, gt=0, description="OCR time limit per page, in seconds")
    ocr_threads: int = Field(default=0, ge=0, description="onnxruntime threads for OCR; 0 = one per CPU core")
    ocr_min_confidence: float = Field(default=0.8, ge=0.0, le=1.0,
                                      description="OCR cells scored below this are flagged for review")
    backend: str = Field(default="", description="rules, llm or hybrid; empty = hybrid when an LLM is set")
    review_min_target_share: float = Field(default=0.8, ge=0, le=1,
                                           description="below this share of indicators with a target: needs review")
    review_min_level_share: float = Field(default=0.6, ge=0, le=1,
                                          description="below this share of indicators with a 二级指标: needs review")
    review_min_value_share: float = Field(default=0.7, ge=0, le=1,
                                          description="below this share of numeric targets read: needs review")
    review_min_budget_share: float = Field(default=0.5, ge=0, le=1,
                                           description="below this share of projects with a budget: needs review")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite under data_dir")
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server")
    embedding_backend: str = Field(default="local", description="local (offline model in a wheel) or openai")
    embedding_model: str | None = Field(default=None, description="model name for the openai embedding backend")
    embedding_url: str | None = Field(default=None, description="OpenAI-compatible /v1 base for embeddings")
    embedding_api_key: SecretStr | None = None
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible /v1 base of the LLM server")
    llm_api_key: SecretStr | None = Field(default=None, description="API key (local servers accept any or none)")
    llm_model: str | None = Field(default=None, description="model name as the server knows it")
    llm_mode: Literal["tools", "json", "md_json"] = Field(
        default="tools", description="instructor mode: tools (function calling), json (response_format) or md_json")
    llm_timeout: float = Field(default=120.0, gt=0, description="seconds per HTTP request")
    llm_concurrency: int = Field(default=4, ge=1, description="requests in flight per document")
    llm_max_document_tokens: int = Field(default=200_000, gt=0, description="prompt+completion tokens per document")
    llm_max_retries: int = Field(default=2, ge=0, description="re-asks after a reply fails validation")
    llm_transport_retries: int = Field(default=3, ge=0, description="retries after 429, 5xx, timeouts")
    llm_backoff_seconds: float = Field(default=1.0, ge=0, description="first backoff delay; doubles, with jitter")
    llm_max_completion_tokens: int = Field(default=4096, gt=0, description="max_tokens of one reply")
    llm_chunk_chars: int = Field(default=6000, ge=200, description="table text per request; longer tables are split")
    llm_min_confidence: float = Field(default=0.5, ge=0, le=1, description="hybrid: rules rows below go to the LLM")
    llm_cache: bool = Field(default=True, description="reuse replies from the on-disk cache")
    llm_cache_dir: Path | None = Field(default=None, description="default: data_dir/llm_cache")
    llm_cache_max_mb: int = Field(default=200, ge=1, description="least recently used replies go past this size")
    ray_address: str | None = Field(default=None, description="`jixiao ingest --ray` default: auto, local or host:port")
    ray_max_attempts: int = Field(default=3, ge=1, description="attempts per file when a Ray worker dies under it")
    app_password: SecretStr | None = Field(default=None, description="password of the app when no OIDC login is set")
    audit_rules: Path | None = Field(default=None, description="own audit rule file (TOML) merged over the shipped one")
    api_rate_per_minute: int = Field(default=600, gt=0, description="jixiao serve: requests per token per minute")
    api_max_upload_jobs: int = Field(default=16, gt=0, description="jixiao serve: uploads queued or waiting at once")

    def quality_thresholds(self) -> Thresholds:
        """The needs-review thresholds of extractor/quality.py."""
        return Thresholds(min_target=self.review_min_target_share, min_levels=self.review_min_level_share,
                          min_value=self.review_min_value_share, min_budget=self.review_min_budget_share)

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint and model are set."""
        return bool(self.llm_base_url and self.llm_model)

    def llm_cache_path(self) -> Path:
        """Where LLM replies are cached."""
        return self.llm_cache_dir or self.data_dir / "llm_cache"

    def effective_backend(self) -> str:
        """The backend to use when none is asked for."""
        if self.backend:
            return self.backend
        return "hybrid" if self.llm_configured else "rules"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
