"""The one way into extraction: `extract(source, backend=...)` for a path or bytes; never raises for bad input."""

from __future__ import annotations

from pathlib import Path

from extractor.choose import checked
from extractor.pipeline import extract_with_grid, read_grid
from extractor.readers.limits import Limits
from extractor.schema import Contradiction, Document, Extraction, Problem
from kernel.errors import JixiaoError, UnreadableFileError
from kernel.progress import Progress
from kernel.settings import Settings, get_settings

BACKENDS = ("rules", "llm", "hybrid")


def backend_problem(backend: str, settings: Settings) -> str | None:
    """Why a backend cannot run with these settings (None when it can)."""
    if backend not in BACKENDS:
        return f"未知的后端 {backend!r}（可选：{', '.join(BACKENDS)}）"
    if backend in ("llm", "hybrid") and not settings.llm_configured:
        return f"后端 {backend} 需要 LLM：请设置 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL（或使用 --backend rules）"
    return None


def read_limited(path: Path, settings: Settings) -> bytes:
    """A file's bytes, refused from its size on disk before anything is read (UnreadableFileError when unreadable)."""
    try:
        Limits.from_settings(settings, path.name).check_file_size(path.stat().st_size)
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"无法读取文件：{exc.strerror}") from exc


def _failed(message: str, backend: str) -> Extraction:
    return Extraction(document=None, status="failed", errors=[Problem(message=message)], backend=backend)


def extract(source: Path | bytes, *, name: str | None = None, backend: str | None = None,
            settings: Settings | None = None, progress: Progress | None = None) -> Extraction:
    """Extract one file (a path, or bytes named by `name`) with a backend: rules, llm or hybrid.

    `backend` None means the settings' choice (hybrid when an LLM is configured, else rules). llm and hybrid run
    the rules first: they are the fallback. Unreadable or too large paths are refused unread; every problem with
    the input comes back as a failed Extraction that says why.
    """
    settings = settings or get_settings()
    backend = backend or settings.effective_backend()
    problem = backend_problem(backend, settings)
    if problem:
        return _failed(problem, backend)
    if isinstance(source, Path):
        name = name or source.name
        try:
            data = read_limited(source, settings)  # a 300 MB file is refused from its size on disk, never read
        except JixiaoError as exc:
            return _failed(str(exc), backend)
    else:
        data, name = source, name or "upload"
    rules, grid = extract_with_grid(data, name, settings, progress)
    if backend == "rules" or rules.document is None:
        return rules.model_copy(update={"backend": backend})
    from extractor.llm.stage import run_llm_backend  # the LLM stack loads only when it is used

    return run_llm_backend(data, name, backend, settings, rules, grid=grid)


def check(source: Path | bytes, documents: list[Document], *, name: str | None = None,
          settings: Settings | None = None) -> list[list[Contradiction]]:
    """What the printed file contradicts in each reading of it (rules, LLM, a person's corrections), read once.

    Raises JixiaoError when the file cannot be read.
    """
    settings = settings or get_settings()
    if isinstance(source, Path):
        name = name or source.name
        source = read_limited(source, settings)
    grid, _ = read_grid(source, name or "upload", settings)
    return [checked(document, grid) for document in documents]
