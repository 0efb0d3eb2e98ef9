"""绩效目标审核 as a use case: audit files (extracted first) or stored documents (with their corrections)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractor.api import extract
from extractor.schema import Document
from kernel.settings import Settings
from retrieval.store.database import Store

Report = Callable[[str], None]  # one problem, said in Chinese


def documents_of_files(paths: list[Path], backend: str, settings: Settings, report: Report) -> list[Document]:
    """Each file extracted; a file that cannot be read is reported and left out."""
    docs = []
    for path in paths:
        result = extract(path, backend=backend, settings=settings)
        if result.document is None:
            report(f"{path}: 失败：{'; '.join(e.message for e in result.errors)}")
        else:
            docs.append(result.document)
    return docs


def stored_documents(store: Store, ids: list[int], report: Report) -> list[Document]:
    """Current values of stored documents (corrections included); an unknown id is reported and left out."""
    docs = []
    for doc_id in ids:
        doc = store.document(doc_id)
        if doc is None:
            report(f"错误：找不到文档 {doc_id}")
        else:
            docs.append(doc)
    return docs
