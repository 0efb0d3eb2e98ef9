"""A throwaway PostgreSQL server on 127.0.0.1 for the store tests (Debian's postgresql, set up by scripts/setup.sh)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_binaries() -> Path | None:
    """Debian's PostgreSQL bin folder (newest major), or None when the server is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _as_server_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def running_postgres(port: int) -> Iterator[str]:
    """Start a fresh cluster (trust auth, no fsync) and yield a SQLAlchemy URL to it; stop and delete it after."""
    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (scripts/setup.sh installs Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    server = subprocess.Popen(_as_server_user([str(bindir / "postgres"), "-D", str(data), "-p", str(port),
                                               "-k", str(sockets), "-c", "listen_addresses=127.0.0.1",
                                               "-c", "fsync=off", "-c", "full_page_writes=off"]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(150):
            ready = subprocess.run([str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                                   capture_output=True)
            if ready.returncode == 0:
                break
            if server.poll() is not None:
                raise RuntimeError(f"postgres exited: {server.stderr.read().decode() if server.stderr else ''}")
            time.sleep(0.2)
        else:
            raise RuntimeError("postgres did not become ready")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)
