"""The system tests' servers start, answer, and leave nothing running: PostgreSQL, `chroma run`, a Ray cluster.

The Ray test also shows the fault the ingest test relies on: a task whose worker node is SIGKILLed mid-run
is retried (max_retries) on the node that is left.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.system import servers
from tests.system.servers import (
    ServiceUnavailable,
    chroma_server,
    kill_a_worker_node,
    port_open,
    postgres_server,
    ray_cluster,
    wait_for_ray_nodes,
)

pytestmark = pytest.mark.system


def test_postgres_server_takes_connections_and_goes_away(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    with postgres_server(tmp_path) as url:
        assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:") and url.endswith("/jixiao")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (h text PRIMARY KEY)"))
            conn.execute(text("INSERT INTO t VALUES ('a') ON CONFLICT (h) DO NOTHING"))
            conn.execute(text("INSERT INTO t VALUES ('a') ON CONFLICT (h) DO NOTHING"))
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1
        left_open = engine.connect()  # a client that never closes must not stop the server from stopping
        port = urlparse(url).port
        assert port is not None
    assert not port_open(port)
    left_open.invalidate()
    engine.dispose()
    assert (tmp_path / "postgres.log").exists()


def test_chroma_server_answers_heartbeat_and_stores(tmp_path: Path) -> None:
    import chromadb
    import numpy as np

    with chroma_server(tmp_path) as url:
        parts = urlparse(url)
        assert parts.hostname == "127.0.0.1" and parts.port
        client = chromadb.HttpClient(host=parts.hostname, port=parts.port,
                                     settings=chromadb.Settings(anonymized_telemetry=False))
        assert client.heartbeat() > 0
        col = client.create_collection("smoke", embedding_function=None)
        col.add(ids=["a", "b"], embeddings=np.eye(2, dtype=np.float32), documents=["甲", "乙"])
        assert col.query(query_embeddings=np.array([[0.9, 0.1]], dtype=np.float32), n_results=1)["ids"] == [["a"]]
    assert not port_open(parts.port)


def test_ray_task_survives_a_killed_worker_node() -> None:
    with ray_cluster(num_worker_nodes=1, head_cpus=2, worker_cpus=1) as cluster:
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        assert cluster.address.startswith("127.0.0.1:")
        assert os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] == "0"
        ray.init(address=cluster.address, logging_level=logging.WARNING, log_to_driver=False)
        try:
            alive = wait_for_ray_nodes(2)
            assert {n["NodeManagerAddress"] for n in alive} == {"127.0.0.1"}  # loopback only
            assert sum(float(n["Resources"]["CPU"]) for n in alive) == 3

            @ray.remote
            def square(x: int) -> int:
                return x * x

            assert ray.get([square.remote(i) for i in range(6)]) == [0, 1, 4, 9, 16, 25]

            worker = cluster.workers[0]
            assert worker.node_id and worker.node_id != cluster.head.node_id
            marks = Path(cluster.head.temp_dir) / "attempts"  # driver and nodes share this machine's disk
            marks.mkdir()

            @ray.remote(max_retries=2)
            def slow(folder: str) -> str:
                node = ray.get_runtime_context().get_node_id()
                Path(folder, f"{node}-{os.getpid()}").touch()
                time.sleep(3)
                return node

            ref = slow.options(scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=worker.node_id, soft=True)
                               ).remote(str(marks))
            deadline = time.monotonic() + 60
            while not any(marks.iterdir()):  # the first attempt is running on the worker node
                assert time.monotonic() < deadline, "the task never started"
                time.sleep(0.05)
            killed = kill_a_worker_node(cluster)
            assert not killed.pids()
            assert ray.get(ref, timeout=120) == cluster.head.node_id  # retried on the node that is left
            attempts = sorted(p.name.split("-")[0] for p in marks.iterdir())
            assert attempts == sorted([worker.node_id, cluster.head.node_id])
            dead = {n["NodeID"] for n in ray.nodes() if not n["Alive"]}
            assert worker.node_id in dead
        finally:
            ray.shutdown()
        started = cluster.pids()
        assert started
    time.sleep(0.5)
    assert not (started & cluster.pids())
    assert not Path(cluster.head.temp_dir).exists()


def test_missing_binaries_skip_unless_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JIXIAO_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL"), postgres_server(bindir=tmp_path):
        pass
    with pytest.raises(pytest.skip.Exception, match="chroma"), chroma_server(exe=tmp_path / "chroma"):
        pass
    monkeypatch.setattr(servers, "ray_exe", lambda: None)
    before = os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER")
    with pytest.raises(pytest.skip.Exception, match="ray"), ray_cluster():
        pass
    assert os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER") == before  # skipped before touching the env
    monkeypatch.delenv("PYTEST_CURRENT_TEST")  # as a benchmark script would see it
    with pytest.raises(ServiceUnavailable), chroma_server(exe=tmp_path / "chroma"):
        pass
    monkeypatch.setenv("JIXIAO_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception), chroma_server(exe=tmp_path / "chroma"):
        pass
