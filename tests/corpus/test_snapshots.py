"""Every sample file's rules reading equals its snapshot in eval/snapshots, or the test shows what changed."""

import json
from pathlib import Path

import pytest

from eval.snapshots import FOLDERS, SLOW_FOLDERS, SNAPSHOT_DIR
from eval.snapshots.reading import changes, corpus_files, load, read, snapshot_file
from tests.conftest import CORPUS

HINT = "if the change is intended: .venv/bin/jixiao snapshot --update"


def cases(folders: tuple[str, ...]) -> list[tuple[str, str]]:
    """(folder, file name) of every sample file and every snapshot in the folders: a file gone fails too."""
    found = {(folder, f.name) for folder, f in corpus_files(CORPUS, folders)}
    kept = {(folder, p.name.removesuffix(".json"))
            for folder in folders for p in (SNAPSHOT_DIR / folder).glob("*.json")}
    return sorted(found | kept)


def check_snapshot(corpus: Path, folder: str, name: str) -> None:
    """Fail with a short diff when the reading of corpus/<folder>/<name> is not its snapshot."""
    path = corpus / folder / name
    assert path.is_file(), f"{folder}/{name}: a snapshot of a file the corpus no longer has\n{HINT}"
    lines = changes(folder, load(snapshot_file(folder, name)), read(path))
    if lines:  # pytest.fail: the diff once, not again as the repr of a list
        pytest.fail(f"{folder}/{name}: the reading changed:\n  " + "\n  ".join(lines) + f"\n{HINT}", pytrace=False)


@pytest.mark.parametrize(("folder", "name"), cases(tuple(f for f in FOLDERS if f not in SLOW_FOLDERS)))
def test_reading_matches_its_snapshot(corpus: Path, folder: str, name: str) -> None:
    check_snapshot(corpus, folder, name)


def test_the_command_lists_a_changed_reading_and_update_rewrites_it(corpus: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import cli.snapshot
    from cli.main import app

    kept = tmp_path / "xlsx" / "002.xlsx.json"
    kept.parent.mkdir()
    changed = load(snapshot_file("xlsx", "002.xlsx"))
    assert changed and changed["document"]["projects"], "xlsx/002.xlsx has no snapshot with projects"
    changed["document"]["projects"][0]["budget"]["total"] = -1.0
    kept.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "xlsx" / "gone.xlsx.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cli.snapshot, "SNAPSHOT_DIR", tmp_path)  # the real snapshots stay untouched
    args = ["snapshot", "--folders", "xlsx", "--corpus", str(corpus)]
    check = CliRunner().invoke(app, args)
    assert check.exit_code == 1
    assert "budget.total: -1.0 →" in check.stderr and "gone.xlsx.json" in check.stderr and "--update" in check.stderr
    assert CliRunner().invoke(app, [*args, "--update"]).exit_code == 0
    assert load(kept) == load(snapshot_file("xlsx", "002.xlsx")) and not (tmp_path / "xlsx" / "gone.xlsx.json").exists()
    assert CliRunner().invoke(app, args).exit_code == 0
