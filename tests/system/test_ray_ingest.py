"""Ingest on a real Ray cluster (a local head, 2 worker CPUs) into a throwaway PostgreSQL and a `chroma run` server,
with a worker killed mid-file: the store, the index and `jixiao check` agree and nothing is half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from extractor.api import extract
from kernel.settings import Settings
from retrieval.store.database import Store
from tests.system.servers import RayCluster, chroma_server, postgres_server, ray_cluster

pytestmark = pytest.mark.system
ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("pdf", "docx", "seeds")  # xlsx is kept for the two-drivers test
SCAN = "scanned/000.scan.pdf"  # one scanned file: OCR keeps a task busy long enough to be killed mid-file


_RUNNING: list[RayCluster] = []  # the module's cluster: only its task workers are watched and killed


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    pytest.importorskip("ray")
    tmp = tmp_path_factory.mktemp("ray")
    with postgres_server(tmp) as db, chroma_server(tmp) as chroma, ray_cluster(num_worker_nodes=0, head_cpus=2) as rc:
        _RUNNING.append(rc)
        yield {**os.environ, **rc.driver_env, "JIXIAO_DATABASE_URL": db, "JIXIAO_CHROMA_URL": chroma,
               "JIXIAO_DATA_DIR": str(tmp / "data"), "JIXIAO_RAY_ADDRESS": rc.address, "PYTHONPATH": str(ROOT)}
        _RUNNING.clear()


def _jixiao(env: dict[str, str], *args: str, **kw: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", *args], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _task_workers() -> list[int]:
    """This cluster's worker processes busy in an ingest task right now (Ray names them after the task)."""
    out = []
    for pid in _RUNNING[0].pids() if _RUNNING else ():
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::ingest_task"):
                out.append(pid)
        except OSError:
            continue
    return out


def _kill_one_mid_file(killed: list[int], stop: threading.Event) -> None:
    busy_since: dict[int, float] = {}
    while not stop.is_set() and not killed:
        now = time.monotonic()
        for pid in _task_workers():
            busy_since.setdefault(pid, now)
            if now - busy_since[pid] > 1.5:  # well into a file (OCR of a scanned page takes seconds)
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
        time.sleep(0.2)


def test_a_killed_worker_is_retried_and_the_store_and_index_agree(cluster: dict[str, str], corpus: Path) -> None:
    files = sorted([corpus / SCAN, *(f for folder in FOLDERS for f in (corpus / folder).iterdir() if f.is_file())])
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(target=_kill_one_mid_file, args=(killed, stop), daemon=True)
    killer.start()
    run = _jixiao(cluster, "ingest", *(str(f) for f in files), "--ray", cluster["JIXIAO_RAY_ADDRESS"])
    _, err = run.communicate(timeout=1200)
    stop.set()
    assert run.returncode == 0, err
    assert killed, "no ingest task was seen running long enough to be killed"
    assert "重试：" in err and f"完成：{len(files)} 个文件成功，0 个失败" in err, err
    check = _jixiao(cluster, "check")
    assert check.communicate(timeout=600)[1].strip() == "存储与索引一致" and check.returncode == 0

    settings = Settings(database_url=cluster["JIXIAO_DATABASE_URL"], chroma_url=cluster["JIXIAO_CHROMA_URL"])
    store = Store.from_settings(settings)
    for path in files:  # every file stored once and whole: as many projects and indicators as it extracts to
        want = extract(path, backend="rules").document
        assert want is not None
        doc_id = store.document_id_by_sha(want.sha256)
        assert doc_id is not None, path
        got = store.document(doc_id)
        assert got is not None
        assert [len(p.indicators) for p in got.projects] == [len(p.indicators) for p in want.projects], path


def test_two_drivers_at_once_store_each_file_once(cluster: dict[str, str], corpus: Path) -> None:
    first, second = (_jixiao(cluster, "ingest", str(corpus / "xlsx"), "--ray") for _ in range(2))  # bare --ray: auto
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    settings = Settings(database_url=cluster["JIXIAO_DATABASE_URL"])
    store = Store.from_settings(settings)
    for path in (corpus / "xlsx").iterdir():
        doc = extract(path, backend="rules").document
        assert doc is not None and store.document_id_by_sha(doc.sha256) is not None
    with store.session() as s:
        shas = list(s.scalars(text("select sha256 from documents")))
    assert len(shas) == len(set(shas))


def test_a_cluster_is_refused_a_local_sqlite_store(tmp_path: Path, corpus: Path) -> None:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_DATABASE_URL": "", "PYTHONPATH": str(ROOT)}
    env.pop("JIXIAO_CHROMA_URL", None)
    run = _jixiao(env, "ingest", str(corpus / "seeds"), "--ray", "local")
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2 and "PostgreSQL" in err and "SQLite" in err
    assert not (tmp_path / "jixiao.db").exists()  # refused before anything was opened


def test_ctrl_c_cancels_the_tasks_still_out_and_leaves_whole_documents(cluster: dict[str, str], corpus: Path,
                                                                       tmp_path: Path) -> None:
    for scan in (corpus / "scanned").iterdir():  # new bytes (a trailing comment), so nothing is a duplicate
        (tmp_path / f"copy-{scan.name}").write_bytes(scan.read_bytes() + b"\n% copy\n")
    run = _jixiao(cluster, "ingest", str(tmp_path), "--ray", cluster["JIXIAO_RAY_ADDRESS"])
    deadline = time.monotonic() + 120
    while not _task_workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 130 and "已取消" in err, err
    check = _jixiao(cluster, "check")
    check.communicate(timeout=600)
    assert check.returncode == 0  # whatever was stored is indexed; nothing half-written
