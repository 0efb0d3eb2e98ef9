"""A Ray cluster on 127.0.0.1: a head plus N extra "worker nodes" on this machine, torn down by pid.

Ray on one machine, loopback only: Ray rewrites 127.0.0.1 to the machine's outward address unless
``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``, which in turn makes `ray start --address` refuse to add a node.
So every Ray process here runs with that variable at 0 (the head via the `ray` CLI), and extra nodes are
started through the same CLI entry point with that one check lifted and 127.0.0.1 kept (see `_WORKER_START`).
Drivers must run with ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` too: `ray_cluster` sets it in ``os.environ``
for its block (subprocess drivers inherit it) and `RayCluster.driver_env` lists it. A driver without it hangs
in ``ray.init`` (it looks for a local node at the outward address; >90 s seen with Ray 2.60).

(The module is not called ray_cluster.py: the package re-exports the function `ray_cluster`, and a submodule of
the same name would shadow it whenever the submodule is imported by its full name.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.system.servers.common import (
    HOST,
    alive,
    cmdline,
    descendants,
    free_port,
    proc_table,
    scratch,
    tail,
    unavailable,
)

# Extra nodes go through the `ray` CLI's own entry point with two things changed in that one process: the
# "multi-node clusters are not supported" check that RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 triggers is lifted,
# and 127.0.0.1 is kept instead of being rewritten to the machine's outward address. The daemons it starts
# get --node-ip-address=127.0.0.1 and the variable at 0, so they stay on loopback without any patch.
_WORKER_START = (
    "import sys\n"
    "import ray._private.ray_constants as c, ray._private.services as s\n"
    "c.ENABLE_RAY_CLUSTER = True\n"
    "s.resolve_ip_for_localhost = lambda host: host\n"
    "from ray.scripts.scripts import main\n"
    "sys.argv[0] = 'ray'\n"
    "main()\n"
)
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}
# Node death is noticed after period x threshold; Ray's default (3 s x 5 + timeouts) is ~16 s here.
RAY_FAST_FAILURE_DETECTION = {"health_check_period_ms": 1000, "health_check_timeout_ms": 1000,
                              "health_check_failure_threshold": 3}


def ray_exe() -> Path | None:
    """The `ray` CLI beside this interpreter when ray is importable here, else None."""
    import importlib.util

    if importlib.util.find_spec("ray") is None:
        return None
    here = Path(sys.executable).parent / "ray"
    return here if here.exists() else None


def _find_ray_exe() -> Path | None:
    # Looked up through the package, so a test that monkeypatches tests.system.servers.ray_exe is heard here.
    from tests.system import servers

    return servers.ray_exe()


@dataclass
class RayNode:
    """One `ray start` on this machine: its process group (the daemons) and its temp dir."""

    role: str  # "head" or "worker-N"
    pgid: int  # the session `ray start` ran in; its daemons keep it after the CLI exits
    temp_dir: Path
    log: Path
    killed: bool = False
    node_id: str | None = None

    def pids(self) -> set[int]:
        """The node's live processes: its group's Ray daemons plus their descendants (task workers get their
        own process group, so they are found as children of the raylet). Every daemon's command line names ray
        (`-m ray.util.client.server` has neither the temp dir nor a /ray/ path in it, and outlives the head)."""
        table = proc_table()
        ours = {pid for pid, (_, pgid) in table.items()
                if pgid == self.pgid and (str(self.temp_dir) in cmdline(pid) or "ray" in cmdline(pid))}
        return descendants(ours, table)

    def raylet_node_id(self) -> str | None:
        """The node id Ray gave this node (read from its raylet's command line)."""
        for pid in self.pids():
            for arg in cmdline(pid).split():
                if arg.startswith("--node_id="):
                    return arg.split("=", 1)[1]
        return None

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 30) -> None:
        """Signal every process of this node, then wait until they are gone (SIGKILL after the grace)."""
        deadline = time.monotonic() + timeout
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        while time.monotonic() < deadline:
            pids = {p for p in pids | self.pids() if alive(p)}
            if not pids:
                return
            time.sleep(0.2)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@dataclass
class RayCluster:
    """A Ray cluster on 127.0.0.1: `address` for ``ray.init(address=...)`` / ``ray start --address``."""

    address: str
    head: RayNode
    workers: list[RayNode] = field(default_factory=list)
    driver_env: dict[str, str] = field(default_factory=lambda: dict(RAY_ENV))

    def nodes(self) -> list[RayNode]:
        return [self.head, *self.workers]

    def pids(self) -> set[int]:
        return set().union(*(n.pids() for n in self.nodes()))

    def __str__(self) -> str:
        return self.address


def _ray_start(args: list[str], role: str, temp_dir: Path, env: dict[str, str], worker: bool) -> RayNode:
    exe = _find_ray_exe()
    assert exe is not None
    cmd = [sys.executable, "-c", _WORKER_START, "start", *args] if worker else [str(exe), "start", *args]
    log = temp_dir.with_name(temp_dir.name + ".log")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    node = RayNode(role=role, pgid=proc.pid, temp_dir=temp_dir, log=log)
    try:
        rc: int | None = proc.wait(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = None
    if rc != 0:
        node.kill()
        message = f"ray start ({role}) {'hung' if rc is None else f'exited {rc}'}{tail(log)}"
        shutil.rmtree(temp_dir, ignore_errors=True)
        log.unlink(missing_ok=True)
        raise RuntimeError(message)
    node.node_id = node.raylet_node_id()
    return node


def add_worker_node(cluster: RayCluster, num_cpus: int = 1, object_store_mb: int = 128,
                    env: dict[str, str] | None = None) -> RayNode:
    """Start one more node on this machine and join it to the cluster (returns when its raylet is up)."""
    index = len(cluster.workers) + 1
    temp_dir = scratch("ray-w-")
    node_env = {**os.environ, **RAY_ENV, **(env or {})}
    node = _ray_start([f"--address={cluster.address}", f"--node-ip-address={HOST}", f"--num-cpus={num_cpus}",
                       "--disable-usage-stats", f"--temp-dir={temp_dir}",
                       f"--object-store-memory={object_store_mb * 1024 * 1024}",
                       f"--dashboard-agent-listen-port={free_port()}"],
                      f"worker-{index}", temp_dir, node_env, worker=True)
    cluster.workers.append(node)
    return node


def kill_a_worker_node(cluster: RayCluster, index: int = 0) -> RayNode:
    """SIGKILL a worker node's raylet, agents and task workers at once, as a machine dying would.

    Tasks running there fail with a node-died error and are retried on the remaining nodes if they have
    retries left, once the head notices the node is gone (~5 s with `RAY_FAST_FAILURE_DETECTION`, ~16 s without).
    Returns the node (its ``node_id`` tells which one ``ray.nodes()`` will show as dead).
    """
    live = [n for n in cluster.workers if not n.killed]
    if not live:
        raise RuntimeError("no live worker node to kill")
    node = live[index]
    node.kill(signal.SIGKILL)
    node.killed = True
    return node


@contextlib.contextmanager
def ray_cluster(num_worker_nodes: int = 1, *, head_cpus: int = 2, worker_cpus: int = 1,
                object_store_mb: int = 200, fast_failure_detection: bool = True,
                env: dict[str, str] | None = None) -> Iterator[RayCluster]:
    """A Ray head (head_cpus) plus num_worker_nodes extra nodes (worker_cpus each) on 127.0.0.1.

    ``env`` is added to every node's environment (Ray task workers inherit it, e.g. JIXIAO_DATABASE_URL).
    While the block runs, this process has ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` so ``ray.init(address=...)``
    stays on loopback. On exit every process of every node is SIGKILLed by pid (what `ray stop --force`
    does, but only to this cluster) and the temp dirs are removed. Call ``ray.shutdown()`` in the block.
    """
    if _find_ray_exe() is None:
        unavailable("ray is not installed in this interpreter's environment (pip install ray)")
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)
    constants = sys.modules.get("ray._private.ray_constants")  # imported before the variable was set?
    saved_flag = getattr(constants, "ENABLE_RAY_CLUSTER", None)
    if constants is not None:
        setattr(constants, "ENABLE_RAY_CLUSTER", False)  # noqa: B010
    node_env = {**os.environ, **RAY_ENV, **(env or {})}
    head_dir = scratch("ray-h-")
    port = free_port()
    args = [f"--node-ip-address={HOST}", f"--port={port}", f"--num-cpus={head_cpus}", "--include-dashboard=false",
            "--disable-usage-stats", f"--temp-dir={head_dir}", f"--object-store-memory={object_store_mb * 1024 * 1024}",
            f"--ray-client-server-port={free_port()}", f"--dashboard-agent-listen-port={free_port()}"]
    if fast_failure_detection:
        args.append(f"--system-config={json.dumps(RAY_FAST_FAILURE_DETECTION)}")
    cluster: RayCluster | None = None
    try:
        head = _ray_start(["--head", *args], "head", head_dir, node_env, worker=False)
        cluster = RayCluster(address=f"{HOST}:{port}", head=head)
        for _ in range(num_worker_nodes):
            add_worker_node(cluster, num_cpus=worker_cpus, object_store_mb=max(80, object_store_mb // 2), env=env)
        yield cluster
    finally:
        nodes = cluster.nodes() if cluster is not None else []
        for node in reversed(nodes):
            node.kill(signal.SIGKILL)
        for node in nodes:
            shutil.rmtree(node.temp_dir, ignore_errors=True)
            node.log.unlink(missing_ok=True)
        shutil.rmtree(head_dir, ignore_errors=True)
        head_dir.with_name(head_dir.name + ".log").unlink(missing_ok=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if constants is not None:
            setattr(constants, "ENABLE_RAY_CLUSTER", saved_flag)  # noqa: B010


def wait_for_ray_nodes(count: int, timeout: float = 60) -> list[dict[str, Any]]:
    """In a connected driver: wait until `count` nodes are alive; returns ``ray.nodes()``'s live entries."""
    import ray

    deadline = time.monotonic() + timeout
    while True:
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        if len(nodes) >= count or time.monotonic() > deadline:
            if len(nodes) < count:
                raise RuntimeError(f"{len(nodes)} of {count} Ray nodes alive after {timeout:.0f} s")
            return nodes
        time.sleep(0.2)
