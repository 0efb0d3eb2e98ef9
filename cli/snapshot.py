"""`jixiao snapshot`: check (or with --update, rewrite) the stored readings of every sample corpus file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import err, shown
from eval.snapshots import FOLDERS, SNAPSHOT_DIR
from kernel.settings import get_settings

HINT = "若改动是有意的：.venv/bin/jixiao snapshot --update"


def snapshot(
    update: Annotated[bool, typer.Option("--update", help="write the readings as the new snapshots")] = False,
    folders: Annotated[str, typer.Option(help="comma-separated corpus folders (scanned OCRs ~1 min a file)")] =
        ",".join(FOLDERS),
    corpus: Annotated[Path | None, typer.Option(help="corpus folder (default JIXIAO_CORPUS_DIR)")] = None,
) -> None:
    """Compare each sample file's rules reading with its snapshot in eval/snapshots; exit 1 listing what changed."""
    from eval.snapshots.reading import changes, corpus_files, dumps, load, read, snapshot_file, stale

    settings = get_settings()
    root = corpus or settings.corpus_dir
    chosen = [f.strip() for f in folders.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FOLDERS]
    if unknown or not chosen:
        err(f"错误：未知的文件夹 {', '.join(unknown) or '（空）'}（可选：{', '.join(FOLDERS)}）")
        raise typer.Exit(2)
    missing = [f for f in chosen if not (root / f).is_dir()]
    if missing:  # a partial corpus must not read as files that are gone (--update would delete their snapshots)
        err(f"错误：语料目录 {shown(root)} 下没有文件夹 {', '.join(missing)}")
        raise typer.Exit(2)
    files = corpus_files(root, chosen)
    changed = written = 0
    for folder, path in files:
        target = snapshot_file(folder, path.name, SNAPSHOT_DIR)
        reading, stored = read(path, settings), load(target)
        if update:
            if reading != stored:  # every difference, even one a scan's check would let pass
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(dumps(reading), encoding="utf-8")
                written += 1
                err(f"{folder}/{path.name}: 已更新快照")
            continue
        lines = changes(folder, stored, reading)
        if lines:
            changed += 1
            err(f"{folder}/{path.name}: 读取结果与快照不同：")
            for line in lines:
                err(f"  {line}")
    for gone in stale(root, chosen, SNAPSHOT_DIR):
        name = gone.relative_to(SNAPSHOT_DIR)
        if update:
            gone.unlink()
            err(f"{name}: 语料中已无此文件，已删除快照")
        else:
            changed += 1
            err(f"{name}: 语料中已无此文件（快照多余）")
    if update:
        err(f"完成：{len(files)} 个文件，更新 {written} 个快照")
        raise typer.Exit(0)
    if changed:
        err(f"{changed} 个文件的读取结果变了。{HINT}")
        raise typer.Exit(1)
    err(f"完成：{len(files)} 个文件的读取结果与快照一致")
