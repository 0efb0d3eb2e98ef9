"""The one exception tree: every error a caller must handle is a JixiaoError (a problem with one input or request)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


class JixiaoError(Exception):
    """Base class: a problem with one input that callers report and move past."""


class UnsupportedFileError(JixiaoError):
    """The file type is not one jixiao reads."""


class UnreadableFileError(JixiaoError):
    """The file cannot be read from disk (gone, no permission, an I/O error)."""


class EmptyFileError(JixiaoError):
    """The file has no bytes."""


class FileTooLargeError(JixiaoError):
    """The file is over the configured size limit."""


class CorruptFileError(JixiaoError):
    """The file could not be parsed as the type it claims to be."""


class EncryptedFileError(JixiaoError):
    """The file is password-protected."""


class NoTextLayerError(JixiaoError):
    """The document has pages with no text layer and OCR is not available."""


class ResourceLimitError(FileTooLargeError):
    """The file would need more memory or work than a configured limit allows (checked before the work)."""


class NothingFoundError(JixiaoError):
    """The file holds no table and no text at all."""


class NothingRecognisedError(JixiaoError):
    """Every page was OCR'd and none had any text."""


class OcrUnavailableError(JixiaoError):
    """The OCR engine cannot run here (rapidocr, onnxruntime or its bundled models missing, or failed to start)."""


class LLMError(JixiaoError):
    """An LLM request that gave no validated reply; kind says whether to split (truncated), skip or stop."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # truncated / invalid / transport / refused / budget
        self.message = message


class LLMAnswerError(JixiaoError):
    """The model gave no answer that its tool results support."""


class AskError(JixiaoError):
    """The question cannot be asked this way (empty, or LLM mode without an LLM configured)."""


class QueryError(JixiaoError):
    """A search query or question that is refused (too long, top_k below 1)."""


class CorrectionError(JixiaoError):
    """A correction that cannot be applied (unknown field, invalid value, record gone)."""


@dataclass(frozen=True)
class FieldConflict:
    """One field a save changed that someone else had changed since the values the save was made from."""

    entity: str  # indicator / project / document
    entity_id: int
    field: str
    label: str  # the field's Chinese name
    yours: Any
    theirs: Any
    who: str | None = None  # who made their change, and when (None when no revision says)
    at: datetime | None = None

    def message(self) -> str:
        """The conflict in one Chinese sentence."""
        by = f"（{self.who or '他人'}，{self.at:%Y-%m-%d %H:%M}）" if self.at else f"（{self.who or '他人'}）"
        if self.yours == self.theirs:  # the same mark, set while this person looked at the old one
            return f"{self.label}：他人已改为“{_shown(self.theirs)}”{by}，请确认后再操作"
        return f"{self.label}：你的值“{_shown(self.yours)}”，他人已改为“{_shown(self.theirs)}”{by}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value is None or value == "" else f"{value:g}" if isinstance(value, float) else str(value)


class ConflictError(CorrectionError):
    """A save made from values someone else has changed since: nothing of that record was written."""

    def __init__(self, conflicts: list[FieldConflict]) -> None:
        super().__init__("他人已修改，未保存：" + "；".join(c.message() for c in conflicts))
        self.conflicts = conflicts


class ClusterError(JixiaoError):
    """A distributed run that cannot start: Ray missing, no cluster at the address, or a store only one machine can
    write (SQLite, an on-disk Chroma directory)."""


class RulesError(JixiaoError, ValueError):
    """An audit rule file or parameter that is not valid."""
