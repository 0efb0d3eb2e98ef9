"""Each scan's OCR reading equals its snapshot (about a minute a file, hence a system test)."""

from pathlib import Path

import pytest

from eval.snapshots import SLOW_FOLDERS
from tests.corpus.test_snapshots import cases, check_snapshot


@pytest.mark.parametrize(("folder", "name"), cases(SLOW_FOLDERS))
def test_scan_reading_matches_its_snapshot(corpus: Path, folder: str, name: str) -> None:
    check_snapshot(corpus, folder, name)
