"""Progress reporting: one callback type (page i of n, stage) shared by readers, CLI and app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int, str], None]
STAGE_LABELS = {"reading": "读取", "ocr": "OCR 识别", "mapping": "映射表格", "llm": "LLM 补全", "indexing": "建立索引"}


def stage_text(name: str, done: int, total: int, stage: str) -> str:
    """"002.pdf：OCR 识别（第 3/20 页）" for a progress line."""
    label = STAGE_LABELS.get(stage.split()[0] if stage else stage, stage)
    return f"{name}：{label}（第 {done}/{total} 页）"


def line_progress(name: str, stream: TextIO) -> Progress:
    """A callback that rewrites one status line on a terminal stream (page by page, stage by stage)."""
    def report(done: int, total: int, stage: str) -> None:
        stream.write("\r\033[K" + stage_text(name, done, total, stage))
        if stage == "mapping":
            stream.write("\r\033[K")  # the file is read: clear the line for the per-file summary
        stream.flush()
    return report
