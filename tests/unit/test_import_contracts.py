"""The import contracts hold, and they would catch an import that runs back up or closes a package cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kernel", "prompts", "extractor", "audit", "retrieval", "usecases", "eval", "cli", "webui", "api")
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())", "--no-cache"]


def _tree(tmp_path: Path) -> Path:
    """A copy of the source packages and the contracts (the repo is never edited by a test)."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.json", "gold"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(LINT, cwd=tree, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


def test_the_code_keeps_its_contracts(tmp_path: Path) -> None:
    result = _lint(_tree(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("kernel/errors.py", "import extractor.schema", "Layers point down"),  # the kernel imports nothing above it
    ("extractor/schema.py", "import retrieval.services", "Layers point down"),  # extraction never sees the store
    ("extractor/grid.py", "import extractor.layout.mapper", "Extraction stages point down"),
    ("retrieval/store/tables.py", "import retrieval.search.index", "Retrieval points down"),
    ("eval/scorer.py", "import extractor.layout.vocabulary", "public entry points"),
    ("audit/vocab.py", "import audit.engine", "No package cycles"),
    ("api/problems.py", "import cli.main", "Layers point down"),  # the service never reaches into the command line
    ("api/problems.py", "import webui.state", "Layers point down"),  # nor into the pages
    ("usecases/records.py", "import api.app", "Layers point down"),  # the use cases know no transport
])
def test_a_backward_import_breaks_a_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    tree = _tree(tmp_path)
    target = tree / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0 and broken in result.stdout, result.stdout[-3000:]
