"""Store + Chroma + hybrid search end to end on real corpus files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.api import extract
from kernel.settings import Settings
from retrieval.search.searcher import Filters
from retrieval.services import Services
from tests.conftest import free_port, wait_for_http
from usecases.batch import collect, ingest_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Services:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    svc = Services(settings)
    outcomes = ingest_paths(svc, [corpus / "pdf" / "002.pdf", corpus / "pdf" / "004.pdf"])
    assert [o.status for o in outcomes] == ["new", "new"]
    return svc


def test_search_finds_projects_and_indicators_with_citations(services: Services) -> None:
    hits = services.searcher.search("见义勇为", top_k=5)
    assert hits and hits[0].project == "见义勇为奖励、慰问经费"
    top = hits[0]
    assert top.department == "中国共产党遂宁市委员会政法委员会" and top.fiscal_year == 2023
    assert top.source == "002.pdf" and top.page is not None and top.page >= 1


def test_paraphrase_without_shared_words(services: Services) -> None:
    hits = services.searcher.search("监控探头月租", top_k=5, filters=Filters(kind="project"))
    assert any(h.project == "白云区2082支高清摄像机租赁项目" for h in hits)


def test_filters(services: Services) -> None:
    hits = services.searcher.search("满意度", top_k=20, filters=Filters(department="白云"))
    assert hits and all("白云" in (h.department or "") for h in hits)
    hits = services.searcher.search("满意度", top_k=20, filters=Filters(fiscal_year=2023, level1="满意度指标"))
    assert hits and all(h.kind == "indicator" and h.fiscal_year == 2023 for h in hits)
    hits = services.searcher.search("经费", top_k=20, filters=Filters(kind="project", budget_min=100))
    assert hits and all((h.budget_total or 0) >= 100 for h in hits)
    assert services.searcher.search("经费", filters=Filters(department="不存在的部门")) == []


def test_correction_is_searchable(services: Services) -> None:
    hits = services.searcher.search("推广至省级媒体", top_k=3, filters=Filters(kind="indicator"))
    target = next(h for h in hits if h.indicator == "推广至省级媒体")
    assert target.indicator_id is not None and target.document_id is not None
    services.store.correct_indicator(target.indicator_id, {"name": "推广至中央级媒体报道数量"}, who="审核员")
    services.sync()
    hits = services.searcher.search("中央级媒体", top_k=3, filters=Filters(kind="indicator"))
    assert hits[0].indicator == "推广至中央级媒体报道数量" and hits[0].id == target.id


def test_reindex_restores_a_deleted_index(services: Services) -> None:
    assert services.check().clean
    services.index.reset()  # as if the Chroma folder had been deleted
    drift = services.check()
    assert not drift.clean and drift.missing
    services.reindex()
    assert services.check().clean
    assert services.searcher.search("见义勇为", top_k=1)[0].project == "见义勇为奖励、慰问经费"


def test_changing_the_embedding_model_rebuilds(services: Services) -> None:
    other = Services(services.settings.model_copy(update={"embedding_model": "use"}))
    assert other.index.rebuilt and other.check().clean
    back = Services(services.settings)
    assert back.index.rebuilt and back.check().clean


def test_cli_search_json(services: Services) -> None:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(services.settings.data_dir), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "cli.main", "search", "扫黑除恶", "--format", "json", "-k", "3",
                        "--department", "遂宁"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    hit = json.loads(r.stdout)["hits"][0]
    assert {"kind", "project", "department", "fiscal_year", "source", "page", "score"} <= set(hit)
    assert hit["project"] == "扫黑除恶斗争工作经费"


def test_killed_ingest_leaves_a_consistent_store(tmp_path: Path, corpus: Path) -> None:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", str(corpus / "pdf"),
                             str(corpus / "seeds"), "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    db = tmp_path / "jixiao.db"
    deadline = time.time() + 240
    import sqlite3

    def stored() -> int:
        if not db.exists():
            return 0
        try:
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            return 0

    while stored() < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    services = Services(Settings(data_dir=tmp_path))
    with sqlite3.connect(db) as conn:
        docs = conn.execute("SELECT id, source FROM documents").fetchall()
        assert docs
        for doc_id, source in docs:
            folder = "pdf" if source.endswith(".pdf") else "seeds"
            want = extract(corpus / folder / source).document
            assert want is not None
            n = conn.execute("SELECT count(*) FROM indicators i JOIN projects p ON i.project_id = p.id "
                             "WHERE p.document_id = ?", (doc_id,)).fetchone()[0]
            assert n == sum(len(p.indicators) for p in want.projects)  # whole documents only
    services.sync()
    assert services.check().clean



@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    exe = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/api/v2/heartbeat", attempts=150):
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_http_chroma_server(chroma_server: str, tmp_path: Path, corpus: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server)
    svc = Services(settings)
    ingest_paths(svc, collect([corpus / "seeds" / "004.txt"]))
    assert svc.check().clean
    hits = svc.searcher.search("网格员补助", top_k=3)
    assert hits[0].project == "全区网格员补助"


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_reports_every_page_of_every_file(tmp_path: Path, corpus: Path, workers: int) -> None:
    heard: list[tuple[str, int, int, str]] = []
    svc = Services(Settings(data_dir=tmp_path))
    files = [corpus / "pdf" / "000.pdf", corpus / "seeds" / "004.txt"]
    outcomes = ingest_paths(svc, files, workers=workers, pages=lambda *a: heard.append(a))
    assert [o.status for o in outcomes] == ["new", "new"]
    reading = {(n, i) for n, i, total, stage in heard if stage == "reading" and total == 9}
    assert reading == {("000.pdf", i) for i in range(1, 10)}
    assert {n for n, *_, stage in heard if stage == "mapping"} == {"000.pdf", "004.txt"}


def test_superseded_documents_leave_the_index_once(tmp_path: Path, corpus: Path) -> None:
    svc = Services(Settings(data_dir=tmp_path))
    first, second = ingest_paths(svc, [corpus / "seeds" / "004.txt", corpus / "pdf" / "004.pdf"])
    assert (first.status, second.status) == ("new", "superseded")
    assert svc.check().clean  # the text dump's records went when the PDF superseded it
    assert svc.drop_superseded() == 0  # and later syncs do not delete them again
