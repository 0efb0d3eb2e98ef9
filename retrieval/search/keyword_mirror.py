"""A tantivy copy of the keyword rows on this machine, checked against the store's journal before every search.

The store stays the system of record: its keyword rows are written in the records' own transaction, and every
insert or delete of one is journalled there too (migration v11). This mirror replays the journal entries it has
not applied (delete the row, add it again if it still exists: replaying twice is harmless), so a crash between a
commit and the mirror loses nothing, and every process on the machine shares one directory. tantivy ranks with
BM25 and block-max WAND: at 100k records a query reads a few hundred postings, not every record of its common
terms (bench/RESULTS.md). A search that finds the mirror behind starts its catch-up in a process of its own and is
answered by the store (keyword.py), so no answer is stale and none waits for tantivy's commit; one process writes
at a time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, text
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)
IDLE_S = 120.0  # a worker asked for nothing this long ends
_HEAP = 32_000_000  # bytes of the writer's buffer: a catch-up writes few rows, a build flushes every ~30k
_STATE = "synced.json"


def _schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("row_id", stored=False, indexed=True, fast=True)  # i64: Python ints convert to it
    sb.add_text_field("rid", stored=True, tokenizer_name="raw")
    sb.add_text_field("kind", stored=False, tokenizer_name="raw")
    sb.add_text_field("tokens", stored=False, tokenizer_name="whitespace")  # jieba's tokens, one term each
    return sb.build()


class KeywordMirror:
    """The keyword rows of one store, as a tantivy index in `path`, and how far into the store's journal it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # one catch-up per process at a time; tantivy's own lock covers processes
        self._index: Any = None
        self._schema: Any = None
        self._synced: tuple[str | None, int] = (None, -1)  # (journal id, last entry applied) as last seen here
        self._worker: subprocess.Popen[bytes] | None = None

    def search(self, conn: Connection, terms: list[str], n: int, kind: str | None) -> list[tuple[str, float]] | None:
        """The n best (rid, BM25 score); None when the mirror does not hold the store as it is now."""
        try:
            if not self.current(conn):
                return None
            import tantivy

            schema = self._schema
            should = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "tokens", t))
                      for t in dict.fromkeys(terms)]
            query = tantivy.Query.boolean_query(should)
            if kind:
                query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must,
                                                     tantivy.Query.term_query(schema, "kind", kind))])
            searcher = self._index.searcher()
            hits = searcher.search(query, n).hits
            return [(searcher.doc(address)["rid"][0], float(score)) for score, address in hits]
        except Exception:  # the store answers whatever happened to the mirror
            log.exception("keyword mirror at %s failed; the store answers", self.path)
            return None

    def current(self, conn: Connection) -> bool:
        """True when the mirror holds the store as it is now; when it does not, its worker is asked to catch up."""
        # A commit of tantivy costs 20-150 ms (it syncs its files): a search never waits for one. When the mirror is
        # behind, a catch-up starts beside it and the store answers until the mirror holds the journal's last entry.
        journal, head = _head(conn)
        if journal is None:
            return False  # a store without the journal (PostgreSQL, or not yet migrated)
        if self._synced == (journal, head):
            return True
        state = self._state()
        if state.get("journal") == journal and state.get("seq") == head:  # another process applied it
            with self._lock:
                self._open()
                self._index.reload()
                self._synced = (journal, head)
            return True
        self._ask(conn)
        return False

    def _ask(self, conn: Connection) -> None:
        # One worker process per mirror object, started on the first need and told by a line on its stdin; it ends
        # when this process does (its stdin closes). A process and not a thread: tantivy holds the GIL while it
        # commits, which stalled this process's searches; a process per catch-up paid Python's start-up each time.
        with self._lock:
            for _ in range(2):
                if self._worker is None or self._worker.poll() is not None:
                    url = conn.engine.url.render_as_string(hide_password=False)
                    root = str(Path(__file__).resolve().parents[2])
                    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
                    self._worker = subprocess.Popen(
                        [sys.executable, "-m", "retrieval.search.keyword_mirror", url, str(self.path)],
                        env={**os.environ, "PYTHONPATH": path}, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
                    # Popen keeps a running child's object alive after it is dropped: close its stdin with us.
                    weakref.finalize(self, _hang_up, self._worker)
                    assert self._worker.stdin is not None
                    os.set_blocking(self._worker.stdin.fileno(), False)  # a search never waits on a full pipe
                try:
                    assert self._worker.stdin is not None
                    self._worker.stdin.write(b"\n")
                    self._worker.stdin.flush()
                    return
                except BlockingIOError:  # the pipe is full of requests it has not read: it is asked already
                    return
                except OSError:  # it died: start another
                    self._worker = None

    def close(self) -> None:
        """End the worker process, if one was started."""
        with self._lock:
            if self._worker is not None:
                _hang_up(self._worker)
                self._worker.wait(30)
            self._worker = None

    def build(self, engine: Engine) -> bool:
        """Catch up here and now (services opening the store, check, reindex); a failure leaves the store answering."""
        try:
            with engine.connect() as conn:
                return self.catch_up(conn)
        except Exception:  # the mirror is a copy: whatever broke it, searches still have the store
            log.exception("keyword mirror at %s could not be built; the store answers", self.path)
            return False

    def catch_up(self, conn: Connection) -> bool:
        """Apply the journal entries the mirror lacks, here and now; True when it then holds them all."""
        journal, head = _head(conn)
        if journal is None:
            return False
        if self._synced == (journal, head):
            return True
        with self._lock:
            self._open()
            state = self._state()
            if state.get("journal") != journal or state.get("seq", 0) > head:
                self._wipe()  # another store's mirror, or one reset by reindex: every entry is replayed
                state = {"journal": journal, "seq": 0}
            done = int(state["seq"])
            if done < head and not self._replay(conn, journal, done, head):
                return False
            self._index.reload()
            self._synced = (journal, head)
            return True

    def count(self) -> int:
        """Records the mirror holds."""
        self._open()
        self._index.reload()
        return int(self._index.searcher().num_docs)

    def reset(self) -> None:
        """Forget what was applied: the next catch-up empties the mirror and replays the whole journal."""
        with self._lock:
            # The files stay: other processes have them open and see the emptied index on their next reload.
            (self.path / _STATE).unlink(missing_ok=True)
            self._synced = (None, -1)

    def _open(self) -> None:
        if self._index is None:
            import tantivy

            self.path.mkdir(parents=True, exist_ok=True)
            self._schema = _schema()
            try:
                self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
            except ValueError:  # unreadable (a crash mid-write, another schema): it is only a copy, made again
                log.warning("keyword mirror at %s unreadable; it is rebuilt from the store", self.path)
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True)
                self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)

    def _state(self) -> dict[str, Any]:
        try:
            return dict(json.loads((self.path / _STATE).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _wipe(self) -> None:
        writer = self._index.writer(_HEAP, 1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        (self.path / _STATE).unlink(missing_ok=True)

    def _replay(self, conn: Connection, journal: str, done: int, head: int) -> bool:
        import tantivy

        try:
            writer = self._index.writer(_HEAP, 1)
        except ValueError:  # another process holds the writer (it is catching up)
            return False
        try:
            changed = [int(r) for (r,) in conn.execute(text(
                "SELECT DISTINCT row_id FROM keyword_journal WHERE seq > :a AND seq <= :b"), {"a": done, "b": head})]
            for row_id in changed:
                writer.delete_documents_by_term("row_id", row_id)
            rows = text("SELECT id, rid, kind, tokens FROM keyword_index WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True))
            for start in range(0, len(changed), 10_000):
                for row_id, rid, kind, tokens in conn.execute(rows, {"ids": changed[start:start + 10_000]}):
                    writer.add_document(tantivy.Document(row_id=int(row_id), rid=rid, kind=kind, tokens=tokens))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        # Written after the commit: a crash between the two replays these entries again, which changes nothing.
        tmp = self.path / f".{_STATE}.{os.getpid()}"
        tmp.write_text(json.dumps({"journal": journal, "seq": head}), encoding="utf-8")
        tmp.replace(self.path / _STATE)
        return True


def _head(conn: Connection) -> tuple[str | None, int]:
    if conn.dialect.name != "sqlite":
        return None, 0
    try:
        journal = conn.execute(text("SELECT value FROM meta WHERE key = 'keyword_journal'")).scalar()
        head = conn.execute(text("SELECT coalesce(max(seq), 0) FROM keyword_journal")).scalar()
    except OperationalError:  # a store not migrated to v11
        return None, 0
    return (str(journal) if journal else None), int(head or 0)


def _hang_up(worker: subprocess.Popen[bytes]) -> None:
    if worker.stdin is not None and not worker.stdin.closed:
        with contextlib.suppress(OSError):  # already gone
            worker.stdin.close()


def main(argv: list[str]) -> int:
    """`python -m retrieval.search.keyword_mirror <store URL> <mirror dir>`: catch up whenever asked on stdin."""
    from sqlalchemy import create_engine

    logging.basicConfig(level=logging.WARNING)
    os.nice(10)  # background work: the searches answered meanwhile by the store come first for the cores
    engine = create_engine(argv[0])
    mirror = KeywordMirror(Path(argv[1]))
    stdin = sys.stdin.fileno()
    try:
        while select.select([stdin], [], [], IDLE_S)[0]:  # idle: the next search that needs one starts another
            if not os.read(stdin, 65536):  # every request waiting is one catch-up; EOF: its process has ended
                break
            mirror.build(engine)  # a failure is logged; the next request tries again
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
