"""Extraction backends behind one call: rules (offline default), llm, hybrid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractor.pipeline import extract_bytes
from extractor.schema import Extraction, Problem
from extractor.settings import Settings

Progress = Callable[[int, int, str], None]
BACKENDS = ("rules", "llm", "hybrid")


def backend_problem(backend: str, settings: Settings) -> str | None:
    """Why a backend cannot run with these settings (None when it can)."""
    if backend not in BACKENDS:
        return f"未知的后端 {backend!r}（可选：{', '.join(BACKENDS)}）"
    if backend in ("llm", "hybrid"):
        return "LLM 后端尚未实现；请使用 --backend rules"
    return None


def extract_file_bytes(data: bytes, name: str, backend: str, settings: Settings,
                       progress: Progress | None = None) -> Extraction:
    """Extract one file's bytes with the chosen backend."""
    problem = backend_problem(backend, settings)
    if problem:
        return Extraction(document=None, status="failed", errors=[Problem(message=problem)], backend=backend)
    return extract_bytes(data, name, settings, progress)


def extract_file(path: Path, backend: str, settings: Settings, progress: Progress | None = None) -> Extraction:
    """Extract one file from disk with the chosen backend (unreadable paths become a failed Extraction)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=f"无法读取文件：{exc.strerror}")],
                          backend=backend)
    return extract_file_bytes(data, path.name, backend, settings, progress)
