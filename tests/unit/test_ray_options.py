"""`--ray` on the command line, and which stores a cluster may write to (no Ray needed)."""

from __future__ import annotations

import pytest

from cli.main import bare_ray
from kernel.settings import Settings
from usecases.distributed import cluster_problem


@pytest.mark.parametrize(("argv", "expected"), [
    (["ingest", "--ray", "data/"], ["ingest", "--ray=auto", "data/"]),  # a path after a bare --ray stays a path
    (["ingest", "data/", "--ray"], ["ingest", "data/", "--ray=auto"]),
    (["ingest", "--ray", "local", "data/"], ["ingest", "--ray", "local", "data/"]),
    (["ingest", "--ray", "10.0.0.5:6379", "data/"], ["ingest", "--ray", "10.0.0.5:6379", "data/"]),
    (["ingest", "--ray", "ray://head:10001", "x"], ["ingest", "--ray", "ray://head:10001", "x"]),
    (["ingest", "--workers", "2", "data/"], ["ingest", "--workers", "2", "data/"]),
])
def test_a_bare_ray_flag_means_auto(argv: list[str], expected: list[str]) -> None:
    assert bare_ray(argv) == expected


def test_a_cluster_needs_postgresql_and_a_chroma_server() -> None:
    pg, chroma = "postgresql+psycopg://jixiao@db/jixiao", "http://index:8000"
    assert "PostgreSQL" in (cluster_problem(Settings(database_url=None, chroma_url=chroma)) or "")
    assert "SQLite" in (cluster_problem(Settings(database_url="sqlite:///x.db", chroma_url=chroma)) or "")
    assert "Chroma" in (cluster_problem(Settings(database_url=pg, chroma_url=None)) or "")
    assert cluster_problem(Settings(database_url=pg, chroma_url=chroma)) is None
