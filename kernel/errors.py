"""The small exception hierarchy callers must handle."""


class JixiaoError(Exception):
    """Base class: a problem with one input that callers report and move past."""


class UnsupportedFileError(JixiaoError):
    """The file type is not one jixiao reads."""


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
