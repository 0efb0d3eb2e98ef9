"""A throwaway `chroma run` server on 127.0.0.1, from the venv's chromadb."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.system.servers.common import HOST, free_port, http_ok, scratch, stop, unavailable, wait_until


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
        unavailable("the chroma CLI was not found (pip install chromadb into the venv)")
    own = tmp_path is None
    root = scratch("jixiao-chroma-") if own else Path(tmp_path) / "chroma-server"  # type: ignore[arg-type]
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = root / "chroma.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(exe), "run", "--path", str(root / "data"), "--host", HOST, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://{HOST}:{port}"
    try:
        wait_until("chroma run", lambda: http_ok(f"{url}/api/v2/heartbeat") or http_ok(f"{url}/api/v1/heartbeat"),
                   timeout, alive=lambda: proc.poll() is None, log=log)
        yield url
    finally:
        stop(proc, signal.SIGTERM, grace=20)
        if own:
            shutil.rmtree(root, ignore_errors=True)
