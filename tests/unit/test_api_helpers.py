"""Pure helpers of jixiao serve: problem documents, the rate limiter, upload names, token hashes, loopback hosts."""

from __future__ import annotations

import pytest

from api.limits import RateLimiter
from api.problems import KINDS, body, kind_of
from kernel import errors


def test_a_problem_document_is_rfc_9457_with_chinese_and_english_titles() -> None:
    doc = body("too-large", "文件超过 50 MB", "/v1/extract", limit=1)
    assert doc == {"type": "https://jixiao.invalid/problems/too-large", "title": "请求或文件过大 / Payload too large",
                   "status": 413, "title_zh": "请求或文件过大", "title_en": "Payload too large",
                   "detail": "文件超过 50 MB", "instance": "/v1/extract", "limit": 1}
    assert body("no-such-kind")["status"] == 500
    assert all(zh and en.isascii() and 400 <= status < 600 for status, zh, en in KINDS.values())


@pytest.mark.parametrize(("error", "kind"), [
    (errors.ConflictError([]), "precondition-failed"),
    (errors.ResourceLimitError("x"), "too-large"),
    (errors.UnsupportedFileError("x"), "unsupported-type"),
    (errors.EncryptedFileError("x"), "unprocessable-file"),
    (errors.CorrectionError("x"), "invalid-input"),
    (errors.QueryError("x"), "invalid-input"),
])
def test_each_error_of_the_tree_has_its_problem(error: Exception, kind: str) -> None:
    assert kind_of(error) == kind


def test_the_rate_limiter_refills_per_token() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("a")
    assert wait == pytest.approx(20.0)  # one request every 20 s at 3 a minute
    assert limiter.take("b") == 0.0  # another token has its own bucket
    now[0] = 20.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0


def test_upload_names_lose_folders_controls_and_length() -> None:
    from api.uploads import safe_name, suffix_of

    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\a\\绩效目标表.PDF") == "绩效目标表.PDF" and suffix_of("绩效目标表.PDF") == ".pdf"
    assert safe_name("a\u202etxt.exe\n\x00.docx") == "atxt.exe.docx"
    assert safe_name("") == safe_name(None) == safe_name("/") == safe_name("...") == "upload"
    long = safe_name("长" * 500 + ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")


def test_tokens_are_kept_as_hashes_and_scopes_nest() -> None:
    from datetime import UTC, datetime

    from usecases.tokens import TokenInfo, token_hash

    assert token_hash("jx_abc") == token_hash("jx_abc") != token_hash("jx_abd") and len(token_hash("x")) == 64
    read = TokenInfo("a", "read", datetime.now(UTC))
    write = TokenInfo("b", "write", datetime.now(UTC))
    assert read.allows("read") and not read.allows("write") and write.allows("read") and write.allows("write")


def test_only_loopback_hosts_are_local() -> None:
    from cli.serve import loopback

    assert all(map(loopback, ("127.0.0.1", "::1", "localhost", "127.0.0.2")))
    assert not any(map(loopback, ("0.0.0.0", "192.168.1.2", "example.org", "::")))


def test_chat_messages_become_a_question_and_its_history() -> None:
    from api.chat import Message, _question_and_history
    from api.problems import Problem

    msgs = [Message(role="system", content="s"), Message(role="user", content="白云有哪些项目？"),
            Message(role="assistant", content="……"),
            Message(role="user", content=[{"type": "text", "text": "那遂宁呢"}])]
    question, history = _question_and_history(msgs)
    assert question == "那遂宁呢" and [(t.question, t.answer) for t in history] == [("白云有哪些项目？", "……")]
    with pytest.raises(Problem):
        _question_and_history([Message(role="assistant", content="x")])


def test_uploads_beyond_the_open_limit_are_busy() -> None:
    import threading
    import time

    from api.jobs import Busy, Job, Jobs
    from usecases.ingest import FileOutcome

    release = threading.Event()

    class Held(Jobs):
        def _run(self, job: Job, data: bytes) -> None:  # stands in for the extraction: holds its slot until released
            job.status = "running"
            release.wait(10)
            self._finish(job, FileOutcome(job.name, "new"))

    jobs = Held(services=None, max_open=2)  # type: ignore[arg-type]
    first, second = jobs.submit("a.txt", b"a", "t"), jobs.submit("b.txt", b"b", "t")
    with pytest.raises(Busy):
        jobs.submit("c.txt", b"c", "t")
    release.set()
    deadline = time.monotonic() + 10
    while {first.status, second.status} != {"done"}:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert jobs.submit("c.txt", b"c", "t").status in ("queued", "running", "done")  # the slots are free again
    jobs.close()
