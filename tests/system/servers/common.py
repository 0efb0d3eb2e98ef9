"""What every server helper shares: loopback ports, waiting for readiness, stopping by pid, /proc reading."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

HOST = "127.0.0.1"


class ServiceUnavailable(RuntimeError):
    """A server's binary is not installed (raised only outside a pytest test)."""


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test (fail it when JIXIAO_REQUIRE_SERVICES is set); outside pytest raise ServiceUnavailable."""
    if os.environ.get("JIXIAO_REQUIRE_SERVICES", "") not in ("", "0"):
        pytest.fail(f"{reason} (JIXIAO_REQUIRE_SERVICES is set: not skipping; scripts/setup.sh installs it)")
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


def wait_until(what: str, ready: Callable[[], bool], timeout: float, alive: Callable[[], bool] = lambda: True,
               log: Path | None = None) -> None:
    """Poll ready() until it holds; raise (with the log's tail) on timeout or when alive() says the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not alive():
            raise RuntimeError(f"{what} exited before it was ready{tail(log)}")
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s{tail(log)}")


def tail(log: Path | None, lines: int = 30) -> str:
    """The last lines of a server log, for an error message ("" when there is none)."""
    if log is None or not log.exists():
        return ""
    return "\n--- " + str(log) + " ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, grace: float = 20) -> None:
    """Signal one process we started, wait, then SIGKILL it if it is still there."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def http_ok(url: str) -> bool:
    """True when a GET of url answers 2xx within a second."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        with opener.open(url, timeout=1) as r:
            return 200 <= r.status < 300
    except OSError:
        return False


def scratch(prefix: str) -> Path:
    """A fresh temp dir, short and under /tmp."""
    # pytest's tmp_path is root-only (0700), which an unprivileged server user cannot enter, and Ray's unix
    # sockets need a short path (107-byte limit).
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp" if Path("/tmp").is_dir() else None))


def proc_table() -> dict[int, tuple[int, int]]:
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


def descendants(roots: set[int], table: dict[int, tuple[int, int]] | None = None) -> set[int]:
    """The roots that are alive plus every live process below them."""
    table = proc_table() if table is None else table
    found = {pid for pid in roots if pid in table}
    frontier = set(found)
    while frontier:
        frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier and pid not in found}
        found |= frontier
    return found


def cmdline(pid: int) -> str:
    """A process's command line, arguments joined by spaces ("" when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def rss_mib(pid: int) -> float:
    """Resident memory of one process in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a zombie is gone for our purposes: its parent reaps it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"
