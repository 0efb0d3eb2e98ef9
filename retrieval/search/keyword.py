"""Keyword search: BM25 over jieba tokens (local Chroma has no BM25, so we keep our own)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from retrieval.search.records import IndexRecord

log = logging.getLogger(__name__)
_PUNCT = re.compile(r"^[\s\W_]+$")


def tokenize(text: str) -> list[str]:
    """Search-engine style jieba tokens (long words and their parts), punctuation dropped."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    # Single Chinese characters (的, 对, 率…) match nearly everything and drown real matches.
    return [t.lower() for t in jieba.lcut_for_search(text)
            if t.strip() and not _PUNCT.match(t) and not (len(t) == 1 and "\u4e00" <= t <= "\u9fff")]


class KeywordIndex:
    """An in-memory BM25 index over records, with their metadata kept for filtering and display."""

    def __init__(self, records: list[IndexRecord]) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
        self.ids = [r.id for r in records]
        self.kinds = np.array([r.kind for r in records])
        self.metadata: dict[str, dict[str, Any]] = {r.id: r.metadata for r in records}
        self.texts: dict[str, str] = {r.id: r.text for r in records}
        self._bm25 = bm25s.BM25()
        corpus = [tokenize(r.text) or ["∅"] for r in records]
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict) if corpus else set()

    def search(self, query: str, n: int, kind: str | None = None,
               keep: Callable[[dict[str, Any]], bool] | None = None) -> list[tuple[str, float]]:
        """Top records by BM25 score (only those that share a token with the query)."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens or not self.ids:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float64)
        if kind:
            scores = np.where(self.kinds == kind, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        # Partial selection instead of sorting every record: at 100k records a full argsort dominates.
        want = min(positive, n if keep is None else max(4 * n, 200))
        while True:
            top = np.argpartition(-scores, want - 1)[:want] if 0 < want < len(scores) else np.arange(len(scores))
            order = top[np.argsort(-scores[top])]
            out: list[tuple[str, float]] = []
            for idx in order:
                if scores[idx] <= 0 or len(out) >= n:
                    break
                rid = self.ids[idx]
                if keep is None or keep(self.metadata[rid]):
                    out.append((rid, float(scores[idx])))
            if len(out) >= n or want >= positive:
                return out
            want = min(positive, want * 4)  # the filter dropped too many: look further down
