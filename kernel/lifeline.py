"""Child processes that die with their parent, and a memory cap for worker processes."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, *, signal_on_exit: bool = True, poll_s: float = 0.5) -> None:
    """End this process when `parent_pid` is gone: after `kill -9` of the parent no worker is left running.

    signal_on_exit asks Linux for SIGKILL when the parent *thread* that started us exits (PR_SET_PDEATHSIG); use it
    only when that thread outlives this process (a pool owned by one call). The watchdog thread covers the rest.
    """
    if signal_on_exit and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError) as exc:  # no prctl: the watchdog alone
            log.debug("prctl unavailable: %s", exc)
    if os.getppid() != parent_pid:  # the parent died before the request above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        os._exit(1)  # reparented: the parent is gone, and nobody will read what we produce

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def cap_memory(max_mb: int) -> None:
    """Cap this process's address space so one file cannot take the machine (MemoryError instead)."""
    if max_mb <= 0:
        return
    try:
        import resource

        limit = max_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError) as exc:  # not on this platform: the pool still isolates crashes
        log.warning("could not cap worker memory: %s", exc)


def init_worker(parent_pid: int, max_mb: int) -> None:
    """Initializer of an extraction worker process: die with the parent, cap memory."""
    die_with_parent(parent_pid)
    cap_memory(max_mb)
