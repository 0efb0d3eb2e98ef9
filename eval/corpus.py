"""A throwaway store and index holding the sample corpus, for the search and QA evals."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.settings import Settings
from retrieval.services import Services
from usecases.batch import collect, ingest_paths


@contextmanager
def corpus_services(settings: Settings, corpus: Path, **overrides: object) -> Iterator[Services]:
    """A throwaway store and index holding the corpus PDFs, for the search and QA evals."""
    with tempfile.TemporaryDirectory(prefix="jixiao-eval-") as tmp:
        scratch = settings.model_copy(update={"data_dir": Path(tmp), "database_url": None, "chroma_url": None,
                                              **overrides})
        services = Services(scratch)
        ingest_paths(services, collect([corpus / "pdf"]), backend="rules")
        yield services
