"""Throwaway servers for the system tests and the scale benchmark, all on 127.0.0.1 and all torn down by pid.

- `postgres_server()`  : a fresh PostgreSQL cluster (Debian's postgresql) -> ``postgresql+psycopg://`` URL
- `chroma_server()`    : a `chroma run` server from the venv's chromadb -> ``http://127.0.0.1:PORT``
- `ray_cluster()`      : a Ray head plus N extra "worker nodes" on this machine -> `RayCluster` (``.address``)
- `kill_a_worker_node(cluster)` : SIGKILL one worker node (raylet, its agents and its task workers) mid-run

Each is a context manager. A missing binary skips the calling test with the reason (outside pytest it raises
`ServiceUnavailable`); with ``JIXIAO_REQUIRE_SERVICES=1`` it fails instead, so a CI that sets it cannot go
green by skipping. Nothing is stopped by process name: every helper remembers the pids (or the process group) it
started and signals only those, so a second cluster or server on the machine is never touched.

Ray on one machine, loopback only: Ray rewrites 127.0.0.1 to the machine's outward address unless
``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``, which in turn makes `ray start --address` refuse to add a node.
So every Ray process here runs with that variable at 0 (the head via the `ray` CLI), and extra nodes are
started through the same CLI entry point with that one check lifted and 127.0.0.1 kept (see `_WORKER_START`).
Drivers must run with ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` too: `ray_cluster` sets it in ``os.environ``
for its block (subprocess drivers inherit it) and `RayCluster.driver_env` lists it. A driver without it hangs
in ``ray.init`` (it looks for a local node at the outward address; >90 s seen with Ray 2.60).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

HOST = "127.0.0.1"


class ServiceUnavailable(RuntimeError):
    """A server's binary is not installed (raised only outside a pytest test)."""


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("JIXIAO_REQUIRE_SERVICES", "") not in ("", "0"):
        pytest.fail(f"{reason} (JIXIAO_REQUIRE_SERVICES is set: not skipping; run scripts/services/install.sh)")
    if os.environ.get("PYTEST_CURRENT_TEST"):
        pytest.skip(reason)
    raise ServiceUnavailable(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (from the kernel's ephemeral range)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def port_open(port: int, host: str = HOST) -> bool:
    """True while something accepts TCP connections on host:port."""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _wait(what: str, ready: Callable[[], bool], timeout: float, alive: Callable[[], bool] = lambda: True,
          log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not alive():
            raise RuntimeError(f"{what} exited before it was ready{_tail(log)}")
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s{_tail(log)}")


def _tail(log: Path | None, lines: int = 30) -> str:
    if log is None or not log.exists():
        return ""
    return "\n--- " + str(log) + " ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, grace: float = 20) -> None:
    """Signal one process we started, wait, then SIGKILL it if it is still there."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _http_ok(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        with opener.open(url, timeout=1) as r:
            return 200 <= r.status < 300
    except OSError:
        return False


def _scratch(prefix: str) -> Path:
    # Short and under the system temp dir: pytest's tmp_path is root-only (0700), which an unprivileged
    # server user cannot enter, and Ray's unix sockets need a short path (107-byte limit).
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp" if Path("/tmp").is_dir() else None))


# ---------------------------------------------------------------------------------------------- PostgreSQL


def postgres_bindir() -> Path | None:
    """Debian's PostgreSQL server bin folder (newest major), else the folder of an `initdb` on PATH, else None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _server_user() -> str | None:
    """initdb and postgres refuse to run as root: as root use Debian's `postgres` user (else `nobody`)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


@contextlib.contextmanager
def postgres_server(tmp_path: Path | None = None, *, database: str = "jixiao",
                    bindir: Path | None = None, port: int | None = None) -> Iterator[str]:
    """A fresh PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off) with one empty database; yields its URL.

    The cluster lives in its own /tmp/jixiao-pg-* dir (unix socket there too), removed on exit; the server log
    is copied to ``tmp_path/postgres.log`` when tmp_path is given.
    """
    bindir = bindir or postgres_bindir()
    if bindir is None or not (bindir / "initdb").exists() or not (bindir / "postgres").exists():
        _unavailable("PostgreSQL server binaries not found (apt-get install postgresql)")
    user = _server_user()
    root = _scratch("jixiao-pg-")
    data, sockets, log = root / "data", root / "run", root / "postgres.log"
    sockets.mkdir()
    if user:
        for p in (root, sockets):
            shutil.chown(p, user)
    port = port or free_port()
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, user=user, cwd=root, timeout=120)
        with open(log, "wb") as out:
            if user:
                shutil.chown(log, user)
            server = subprocess.Popen(
                [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets),
                 "-c", f"listen_addresses={HOST}", "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=200"],
                stdout=out, stderr=subprocess.STDOUT, user=user, cwd=root, start_new_session=True)
        isready = bindir / "pg_isready"

        def ready() -> bool:
            if isready.exists():
                return subprocess.run([str(isready), "-h", HOST, "-p", str(port), "-U", "postgres"],
                                      capture_output=True).returncode == 0
            return port_open(port)

        _wait("postgres", ready, 60, alive=lambda: server is not None and server.poll() is None, log=log)
        subprocess.run([str(bindir / "createdb"), "-h", HOST, "-p", str(port), "-U", "postgres", database],
                       check=True, capture_output=True, timeout=60)
        yield f"postgresql+psycopg://postgres@{HOST}:{port}/{database}"
    finally:
        if server is not None:
            _stop(server, signal.SIGINT, grace=30)  # SIGINT = fast shutdown: ends open sessions too
        if tmp_path is not None and log.exists():
            with contextlib.suppress(OSError):
                shutil.copy(log, Path(tmp_path) / "postgres.log")
        shutil.rmtree(root, ignore_errors=True)


# -------------------------------------------------------------------------------------------------- Chroma


def chroma_exe() -> Path | None:
    """The `chroma` CLI beside this interpreter (the venv's chromadb), else one on PATH."""
    here = Path(sys.executable).parent / "chroma"
    if here.exists():
        return here
    found = shutil.which("chroma")
    return Path(found) if found else None


@contextlib.contextmanager
def chroma_server(tmp_path: Path | None = None, *, exe: Path | None = None, port: int | None = None,
                  timeout: float = 90) -> Iterator[str]:
    """`chroma run` on 127.0.0.1 with its data under tmp_path (else a temp dir); yields ``http://127.0.0.1:PORT``."""
    exe = exe or chroma_exe()
    if exe is None or not Path(exe).exists():
        _unavailable("the chroma CLI was not found (pip install chromadb into the venv)")
    own = tmp_path is None
    root = _scratch("jixiao-chroma-") if own else Path(tmp_path) / "chroma-server"  # type: ignore[arg-type]
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = root / "chroma.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(exe), "run", "--path", str(root / "data"), "--host", HOST, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://{HOST}:{port}"
    try:
        _wait("chroma run", lambda: _http_ok(f"{url}/api/v2/heartbeat") or _http_ok(f"{url}/api/v1/heartbeat"),
              timeout, alive=lambda: proc.poll() is None, log=log)
        yield url
    finally:
        _stop(proc, signal.SIGTERM, grace=20)
        if own:
            shutil.rmtree(root, ignore_errors=True)


# ----------------------------------------------------------------------------------------------------- Ray

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


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, pgid) for every live (non-zombie) process, from /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":  # exited, waiting for its parent to reap it
            continue
        table[int(entry)] = (int(fields[1]), int(fields[2]))
    return table


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


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
        own process group, so they are found as children of the raylet)."""
        table = _proc_table()
        ours = {pid for pid, (_, pgid) in table.items()
                if pgid == self.pgid and (str(self.temp_dir) in _cmdline(pid) or _cmdline(pid).startswith("ray::")
                                           or "/ray/" in _cmdline(pid))}
        frontier = set(ours)
        while frontier:
            frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier and pid not in ours}
            ours |= frontier
        return ours

    def raylet_node_id(self) -> str | None:
        """The node id Ray gave this node (read from its raylet's command line)."""
        for pid in self.pids():
            for arg in _cmdline(pid).split():
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
            pids = {p for p in pids | self.pids() if _alive(p)}
            if not pids:
                return
            time.sleep(0.2)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"  # a zombie is gone for our purposes (its parent reaps it)


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
    exe = ray_exe()
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
        message = f"ray start ({role}) {'hung' if rc is None else f'exited {rc}'}{_tail(log)}"
        shutil.rmtree(temp_dir, ignore_errors=True)
        log.unlink(missing_ok=True)
        raise RuntimeError(message)
    node.node_id = node.raylet_node_id()
    return node


def add_worker_node(cluster: RayCluster, num_cpus: int = 1, object_store_mb: int = 128,
                    env: dict[str, str] | None = None) -> RayNode:
    """Start one more node on this machine and join it to the cluster (returns when its raylet is up)."""
    index = len(cluster.workers) + 1
    temp_dir = _scratch("ray-w-")
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
    if ray_exe() is None:
        _unavailable("ray is not installed in this interpreter's environment (pip install ray)")
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)
    constants = sys.modules.get("ray._private.ray_constants")  # imported before the variable was set?
    saved_flag = getattr(constants, "ENABLE_RAY_CLUSTER", None)
    if constants is not None:
        setattr(constants, "ENABLE_RAY_CLUSTER", False)  # noqa: B010
    node_env = {**os.environ, **RAY_ENV, **(env or {})}
    head_dir = _scratch("ray-h-")
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
        alive = [n for n in ray.nodes() if n.get("Alive")]
        if len(alive) >= count or time.monotonic() > deadline:
            if len(alive) < count:
                raise RuntimeError(f"{len(alive)} of {count} Ray nodes alive after {timeout:.0f} s")
            return alive
        time.sleep(0.2)
