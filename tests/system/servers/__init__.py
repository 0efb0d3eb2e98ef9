"""Throwaway servers for the tests and the scale benchmark, all on 127.0.0.1 and all torn down by pid.

- `postgres_server()`  : a fresh PostgreSQL cluster (Debian's postgresql) -> ``postgresql+psycopg://`` URL
  (`running_postgres(port)` / `server_binaries()`: the same server under the names tests/conftest.py uses)
- `chroma_server()`    : a `chroma run` server from the venv's chromadb -> ``http://127.0.0.1:PORT``
- `ray_cluster()`      : a Ray head plus N extra "worker nodes" on this machine -> `RayCluster` (``.address``)
- `kill_a_worker_node(cluster)` : SIGKILL one worker node (raylet, its agents and its task workers) mid-run

Each is a context manager. A missing binary skips the calling test with the reason (outside pytest it raises
`ServiceUnavailable`); with ``JIXIAO_REQUIRE_SERVICES=1`` it fails instead, so a CI that sets it cannot go
green by skipping. Nothing is stopped by process name: every helper remembers the pids (or the process group) it
started and signals only those, so a second cluster or server on the machine is never touched.

Modules: `common` (ports, waiting, stopping, /proc), `postgres`, `chroma`, `ray_nodes` (see its docstring for
why a driver needs ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` on one machine).
"""

from tests.system.servers.chroma import chroma_exe, chroma_server
from tests.system.servers.common import (
    HOST,
    ServiceUnavailable,
    alive,
    cmdline,
    descendants,
    free_port,
    port_open,
    proc_table,
    rss_mib,
)
from tests.system.servers.postgres import postgres_bindir, postgres_server, running_postgres, server_binaries
from tests.system.servers.ray_nodes import (
    RAY_ENV,
    RAY_FAST_FAILURE_DETECTION,
    RayCluster,
    RayNode,
    add_worker_node,
    kill_a_worker_node,
    ray_cluster,
    ray_exe,
    wait_for_ray_nodes,
)

__all__ = [
    "HOST", "RAY_ENV", "RAY_FAST_FAILURE_DETECTION", "RayCluster", "RayNode", "ServiceUnavailable",
    "add_worker_node", "alive", "chroma_exe", "chroma_server", "cmdline", "descendants", "free_port",
    "kill_a_worker_node", "port_open", "postgres_bindir", "postgres_server", "proc_table", "ray_cluster", "ray_exe",
    "rss_mib", "running_postgres", "server_binaries", "wait_for_ray_nodes",
]
