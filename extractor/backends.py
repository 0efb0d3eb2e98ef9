"""Extraction backends behind one call: rules (offline default), llm, hybrid."""

from __future__ import annotations

from pathlib import Path

from extractor.pipeline import extract_with_grid, read_limited
from extractor.schema import Extraction, Problem
from kernel.errors import JixiaoError
from kernel.progress import Progress
from kernel.settings import Settings

BACKENDS = ("rules", "llm", "hybrid")


def backend_problem(backend: str, settings: Settings) -> str | None:
    """Why a backend cannot run with these settings (None when it can)."""
    if backend not in BACKENDS:
        return f"未知的后端 {backend!r}（可选：{', '.join(BACKENDS)}）"
    if backend in ("llm", "hybrid") and not settings.llm_configured:
        return f"后端 {backend} 需要 LLM：请设置 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL（或使用 --backend rules）"
    return None


def extract_file_bytes(data: bytes, name: str, backend: str, settings: Settings,
                       progress: Progress | None = None) -> Extraction:
    """Extract one file's bytes with the chosen backend (llm and hybrid run the rules first: they are the fallback)."""
    problem = backend_problem(backend, settings)
    if problem:
        return Extraction(document=None, status="failed", errors=[Problem(message=problem)], backend=backend)
    rules, grid = extract_with_grid(data, name, settings, progress)
    if backend == "rules" or rules.document is None:
        return rules.model_copy(update={"backend": backend})
    from extractor.llm.stage import run_llm_backend  # the LLM stack loads only when it is used

    return run_llm_backend(data, name, backend, settings, rules, grid=grid)


def extract_file(path: Path, backend: str, settings: Settings, progress: Progress | None = None) -> Extraction:
    """Extract one file from disk with the chosen backend (unreadable or too large paths: a failed Extraction)."""
    try:
        data = read_limited(path, settings)  # the size is checked on disk: a 300 MB file is never read whole
    except OSError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=f"无法读取文件：{exc.strerror}")],
                          backend=backend)
    except JixiaoError as exc:
        return Extraction(document=None, status="failed", errors=[Problem(message=str(exc))], backend=backend)
    return extract_file_bytes(data, path.name, backend, settings, progress)
