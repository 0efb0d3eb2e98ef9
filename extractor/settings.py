"""The one settings object (environment prefix JIXIAO_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All configuration; secrets come only from the environment."""

    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="where the store, index and file copies live")
    corpus_dir: Path = Field(default=Path("../shared/corpus"), description="the sample corpus")
    max_file_mb: float = Field(default=50.0, gt=0, description="files larger than this are refused")
    max_pages: int = Field(default=500, gt=0, description="pages read at most per document")
    backend: str = Field(default="", description="rules, llm or hybrid; empty = hybrid when an LLM is set")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite under data_dir")
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server")
    embedding_backend: str = Field(default="local", description="local (offline model in a wheel) or openai")
    embedding_model: str | None = Field(default=None, description="model name for the openai embedding backend")
    embedding_url: str | None = Field(default=None, description="OpenAI-compatible /v1 base for embeddings")
    embedding_api_key: SecretStr | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint and model are set."""
        return bool(self.llm_base_url and self.llm_model)

    def effective_backend(self) -> str:
        """The backend to use when none is asked for."""
        if self.backend:
            return self.backend
        return "hybrid" if self.llm_configured else "rules"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
