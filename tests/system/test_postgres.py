"""The same store on PostgreSQL: CLI ingest in a process pool, a killed ingest, a correction that search sees."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from extractor.api import extract
from kernel.settings import Settings
from retrieval.search.searcher import Filters
from retrieval.services import Services
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow
from tests.conftest import new_database

ROOT = Path(__file__).resolve().parents[2]


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_postgres_ingest_kill_correct_search(postgres_url: str, tmp_path: Path, corpus: Path) -> None:
    url = new_database(postgres_url)
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    engine = create_engine(url)

    def stored() -> int:
        with engine.connect() as conn:
            try:
                return int(conn.scalar(select(func.count()).select_from(DocumentRow)) or 0)
            except Exception:  # tables not created yet
                return 0

    # Kill an ingest once it has stored something: only whole documents may be left behind.
    proc = _cli(env, "ingest", str(corpus / "seeds"), str(corpus / "pdf"), "--workers", "2")
    deadline = time.time() + 240
    while stored() < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with engine.connect() as conn:
        docs = conn.execute(select(DocumentRow.id, DocumentRow.source)).all()
        assert docs
        for doc_id, source in docs:
            want = extract(corpus / ("pdf" if source.endswith(".pdf") else "seeds") / source).document
            assert want is not None
            n = conn.scalar(select(func.count()).select_from(IndicatorRow).join(ProjectRow)
                            .where(ProjectRow.document_id == doc_id))
            assert n == sum(len(p.indicators) for p in want.projects)
    engine.dispose()

    # Finish the batch: already-stored files are no-ops by hash, the rest are stored and indexed.
    done = _cli(env, "ingest", str(corpus / "seeds" / "004.txt"), str(corpus / "seeds" / "002.txt"),
                "--workers", "2")
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err.decode()

    services = Services(Settings(data_dir=tmp_path, database_url=url))
    assert services.check().clean
    hits = services.searcher.search("网格员补助", top_k=3)
    assert hits[0].project == "全区网格员补助"
    indicator = next(h for h in services.searcher.search("网格员", top_k=10, filters=Filters(kind="indicator")))
    assert indicator.indicator_id is not None
    services.store.correct_indicator(indicator.indicator_id, {"name": "社区网格员年度考核合格人数"}, who="审核员",
                                     why="名称缺字")
    services.sync()
    assert services.store.revisions("indicator", indicator.indicator_id)[0].who == "审核员"
    search = _cli(env, "search", "网格员年度考核", "--format", "json", "--top-k", "3", "--kind", "indicator")
    out, err = search.communicate(timeout=300)
    assert search.returncode == 0, err.decode()
    top = json.loads(out)["hits"][0]
    assert top["indicator"] == "社区网格员年度考核合格人数" and top["department"]


def test_one_disclosure_stored_twice_at_once_into_a_fresh_store(postgres_url: str, corpus: Path) -> None:
    """Two files of one disclosure written at the same moment (a process pool, Ray): both stored, one current.

    The first writes of a fresh store both created the write counter's row (the second failed with an
    IntegrityError), and two writers could each find no older version, so both stayed current.
    """
    import threading

    from extractor.schema import Extraction
    from retrieval.store.database import Store

    files = [corpus / "pdf" / "000.pdf", corpus / "seeds" / "000.txt"]
    extractions = [extract(f.read_bytes(), name=f.name, backend="rules") for f in files]
    for _ in range(3):  # a race: several rounds, each on a fresh store
        url = new_database(postgres_url)
        stores = [Store(url) for _ in extractions]
        start = threading.Barrier(len(extractions))
        errors: list[BaseException] = []

        def add(store: Store, extraction: Extraction, start: threading.Barrier = start,
                errors: list[BaseException] = errors) -> None:
            start.wait()
            try:
                store.add_extraction(extraction)
            except BaseException as exc:  # the test reports it
                errors.append(exc)

        threads = [threading.Thread(target=add, args=pair) for pair in zip(stores, extractions, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        with stores[0].session() as s:
            live = s.scalars(select(DocumentRow.id).where(DocumentRow.superseded_by.is_(None))).all()
            assert len(live) == 1, "one disclosure keeps one current version"
        for store in stores:
            store.engine.dispose()
