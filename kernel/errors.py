"""The one exception tree: every error a caller must handle is a JixiaoError (a problem with one input or request)."""


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


class ClusterError(JixiaoError):
    """A distributed run that cannot start: Ray missing, no cluster at the address, or a store only one machine can
    write (SQLite, an on-disk Chroma directory)."""


class RulesError(JixiaoError, ValueError):
    """An audit rule file or parameter that is not valid."""
