"""A throwaway PostgreSQL cluster on 127.0.0.1 (Debian's postgresql): the suite's one PostgreSQL helper.

`postgres_server()` is what the system tests and the scale benchmark use (skips when the server is not installed);
`running_postgres(port)` / `server_binaries()` are the older names the suite's `postgres_url` fixture uses.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.system.servers.common import HOST, free_port, port_open, scratch, stop, unavailable, wait_until


def server_binaries() -> Path | None:
    """Debian's PostgreSQL server bin folder (newest major), or None when the server is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def postgres_bindir() -> Path | None:
    """Debian's PostgreSQL server bin folder, else the folder of an `initdb` on PATH, else None."""
    debian = server_binaries()
    if debian is not None:
        return debian
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

    ``database="postgres"`` yields the cluster's default database instead of creating one. The cluster lives in
    its own /tmp/jixiao-pg-* dir (unix socket there too), removed on exit; the server log is copied to
    ``tmp_path/postgres.log`` when tmp_path is given. A missing server skips the calling test (see `unavailable`).
    """
    bindir = bindir or postgres_bindir()
    if bindir is None or not (bindir / "initdb").exists() or not (bindir / "postgres").exists():
        unavailable("PostgreSQL server binaries not found (apt-get install postgresql)")
    user = _server_user()
    root = scratch("jixiao-pg-")
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

        wait_until("postgres", ready, 60, alive=lambda: server is not None and server.poll() is None, log=log)
        if database != "postgres":
            subprocess.run([str(bindir / "createdb"), "-h", HOST, "-p", str(port), "-U", "postgres", database],
                           check=True, capture_output=True, timeout=60)
        yield f"postgresql+psycopg://postgres@{HOST}:{port}/{database}"
    finally:
        if server is not None:
            stop(server, signal.SIGINT, grace=30)  # SIGINT = fast shutdown: ends open sessions too
        if tmp_path is not None and log.exists():
            with contextlib.suppress(OSError):
                shutil.copy(log, Path(tmp_path) / "postgres.log")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def running_postgres(port: int) -> Iterator[str]:
    """A fresh cluster on this port; yields the URL of its ``postgres`` database; stopped and deleted after.

    Raises RuntimeError (never skips) when Debian's server binaries are missing: the caller decides whether that
    is a skip (tests/conftest.py's `postgres_url` checks `server_binaries()` first).
    """
    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (scripts/setup.sh installs Debian's postgresql)")
    with postgres_server(database="postgres", bindir=bindir, port=port) as url:
        yield url
