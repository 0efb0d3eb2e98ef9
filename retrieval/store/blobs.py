"""Original file bytes, content-addressed, for the review view."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class BlobStore:
    """Files under root/ab/abcdef…, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the bytes with this hash live."""
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes; returns their sha256 (a no-op when already there)."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        return sha

    def get(self, sha256: str) -> bytes | None:
        """The bytes, or None when not stored."""
        p = self.path(sha256)
        return p.read_bytes() if p.exists() else None
