"""Load the search models once per server, in the background at app start, and say so while they load."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import streamlit as st

from retrieval.services import Services
from webui.resources import services

log = logging.getLogger(__name__)
WARMUP_QUERY = "预算绩效目标"


class Warmup:
    """One background load of the embedding model, the keyword index and the vector index."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.seconds: float | None = None
        self.failed = False

    def run(self, svc: Services) -> None:
        """Run one search so every lazily loaded part is ready before a user's first query."""
        started = time.perf_counter()
        try:
            svc.searcher.search(WARMUP_QUERY, top_k=1)
        except Exception:  # a failed warm-up only means the first real search loads instead
            log.exception("search warm-up failed")
            self.failed = True
        finally:
            self.seconds = round(time.perf_counter() - started, 2)
            self.done.set()
            log.info("search models loaded in %s s", self.seconds)


@st.cache_resource(show_spinner=False)
def start() -> Warmup:
    """Start the background load once per server process (every session shares it)."""
    warmup = Warmup()
    threading.Thread(target=warmup.run, args=(services(),), name="jixiao-warmup", daemon=True).start()
    return warmup


def notice() -> Any:
    """On pages that search: a note while the models are still loading, in a slot the page empties once it has
    searched (the search itself waits for the models, so the note is stale by then)."""
    slot = st.empty()
    if not start().done.is_set():
        slot.info("检索模型正在后台加载（首次启动约需 10 秒），加载完成前的第一次检索会稍慢。",
                  icon=":material/hourglass_top:")
    return slot
