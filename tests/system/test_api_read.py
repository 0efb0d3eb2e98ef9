"""jixiao serve's read side against a live server: tokens, documents, search, ask, extract, audit, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from openpyxl import load_workbook

from tests.corpus.test_bad_input import _encrypted_pdf
from tests.system.api_support import Server, assert_problem, jixiao

BAIYUN = "中共广州市白云区区委政法委员会"


def test_every_request_needs_a_live_token(api: Server) -> None:
    with api.client(None) as anon:
        doc = assert_problem(anon.get("/v1/documents"), 401)
        assert "Bearer" in doc["detail"] and anon.get("/v1/documents").headers["www-authenticate"].startswith("Bearer")
        assert anon.get("/openapi.json").status_code == 200 and anon.get("/docs").status_code == 200
        # the app's password opens the app only; a made-up token opens nothing
        for wrong in ("绩效2026", "jx_" + "a" * 43, "x" * 5000):
            assert_problem(anon.get("/v1/documents", headers={b"Authorization": f"Bearer {wrong}".encode()}), 401)
    with api.client("reader") as reader:
        assert reader.get("/v1/documents").status_code == 200
        assert_problem(reader.get("/v1/no-such-thing"), 404)
        assert_problem(reader.delete("/v1/documents"), 405)
        doc = assert_problem(reader.post("/v1/documents", files={"file": ("a.txt", b"x")}), 403)
        assert "write" in doc["detail"]
    listed = jixiao(api.env, "token", "list")
    assert "reader\tread" in listed.stdout and "审核员甲\twrite" in listed.stdout
    assert all(t not in listed.stdout for t in api.tokens.values())  # the secret is shown once, never listed


def test_a_revoked_token_opens_nothing(api: Server) -> None:
    from tests.system.api_support import new_token

    token = new_token(api.env, "temp", "read")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{api.url}/v1/documents", headers=headers).status_code == 200
    assert jixiao(api.env, "token", "revoke", "temp").returncode == 0
    assert_problem(httpx.get(f"{api.url}/v1/documents", headers=headers), 401)
    assert jixiao(api.env, "token", "revoke", "temp").returncode == 2  # nothing live of that name any more


def test_documents_list_with_filters_and_export(api: Server) -> None:
    with api.client("reader") as c:
        docs = c.get("/v1/documents").json()["documents"]
        assert len(docs) == 3 and {d["source"] for d in docs} == {"000.txt", "002.txt", "004.txt"}
        baiyun = c.get("/v1/documents", params={"department": "白云"}).json()["documents"]
        assert [d["department"] for d in baiyun] == [BAIYUN]
        assert c.get("/v1/documents", params={"year": 1999}).json()["documents"] == []
        flagged = c.get("/v1/documents", params={"needs_review": "true"}).json()["documents"]
        assert all(d["needs_review"] for d in flagged)
        exported = c.get(f"/v1/documents/{baiyun[0]['id']}").json()
        [doc] = exported["documents"]
        assert doc["department"] == BAIYUN and doc["fiscal_year"] == 2024 and "needs_review" in doc["quality"]
        assert len(doc["projects"]) == baiyun[0]["projects"]
        assert_problem(c.get("/v1/documents/999999"), 404)
        assert_problem(c.get("/v1/documents/abc"), 422)
        assert_problem(c.get("/v1/documents", params={"year": "two thousand"}), 422)


def test_search_hits_resolve_to_the_records_they_name(api: Server) -> None:
    with api.client("reader") as c:
        r = c.get("/v1/search", params={"q": "满意度", "department": "白云", "kind": "indicator", "top_k": 5})
        hits = r.json()["hits"]
        assert hits and all(h["department"] == BAIYUN and h["kind"] == "indicator" for h in hits)
        for h in hits:
            record = c.get(f"/v1/indicators/{h['indicator_id']}").json()
            assert record["fields"]["name"] == h["indicator"] and record["document_id"] == h["document_id"]
        assert_problem(c.get("/v1/search", params={"q": "   "}), 422)
        assert "过长" in assert_problem(c.get("/v1/search", params={"q": "满" * 600}), 422)["detail"]
        assert_problem(c.get("/v1/search", params={"q": "x" * 10_001}), 422)  # over the route's own cap
        assert_problem(c.get("/v1/search", params={"q": "x", "budget_min": "nan"}), 422)
        assert_problem(c.get("/v1/search", params={"q": "x", "top_k": 0}), 422)


def test_ask_answers_with_citations_that_resolve(api: Server) -> None:
    with api.client("reader") as c:
        r = c.post("/v1/ask", json={"question": "白云区有哪些满意度指标？", "mode": "offline"})
        body = r.json()
        assert r.status_code == 200 and body["mode"] == "offline" and body["citations"], body
        for cite in body["citations"]:
            assert cite["document_id"] and cite["project_id"]
            project = c.get(f"/v1/projects/{cite['project_id']}").json()
            assert project["fields"]["name"] == cite["project"]
            if cite["indicator"]:
                assert c.get(f"/v1/indicators/{cite['indicator_id']}").json()["fields"]["name"] == cite["indicator"]
        assert_problem(c.post("/v1/ask", json={"question": ""}), 422)
        assert_problem(c.post("/v1/ask", json={"question": "问" * 600}), 422)
        assert_problem(c.post("/v1/ask", json={"question": "x", "temperature": 1}), 422)  # extra fields refused
        assert_problem(c.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"}), 422)


def test_extract_returns_the_export_and_stores_nothing(api: Server, corpus: Path) -> None:
    with api.client("reader") as c:
        before = len(c.get("/v1/documents").json()["documents"])
        data = (corpus / "seeds" / "001.txt").read_bytes()
        r = c.post("/v1/extract", files={"file": ("001.txt", data, "text/plain")})
        assert r.status_code == 200, r.text
        [doc] = r.json()["documents"]
        assert doc["source"] == "001.txt" and doc["projects"] and set(doc["quality"]) >= {"needs_review", "reasons"}
        assert len(c.get("/v1/documents").json()["documents"]) == before


def test_bad_files_are_problems_never_a_500(api: Server, corpus: Path) -> None:
    seed = (corpus / "seeds" / "004.txt").read_bytes()
    with api.client("reader") as c:
        assert_problem(c.post("/v1/extract", files={"file": ("empty.pdf", b"")}), 422)
        assert_problem(c.post("/v1/extract", files={"file": ("tool.exe", b"MZ\x90\x00")}), 415)
        assert_problem(c.post("/v1/extract", files={"file": ("noext", b"abc")}), 415)
        corrupt = assert_problem(c.post("/v1/extract", files={"file": ("broken.pdf", b"%PDF-1.4 nothing")}), 422)
        assert "broken.pdf" in corrupt["detail"]
        locked = assert_problem(c.post("/v1/extract", files={"file": ("locked.pdf", _encrypted_pdf())}), 422)
        assert "加密" in locked["detail"]
        assert_problem(c.post("/v1/extract", data={"file": "not a file"}), 400)
        assert_problem(c.post("/v1/extract", content=b"raw", headers={"content-type": "text/plain"}), 400)
        hostile = "../../etc/\u202eevil\n\x00name" + "长" * 400 + ".txt"
        r = c.post("/v1/extract", files={"file": (hostile, seed)})
        assert r.status_code == 200, r.text
        source = r.json()["documents"][0]["source"]
        assert source.endswith(".txt") and len(source) <= 200
        assert not any(ch in source for ch in "/\\\n\x00\u202e")


def test_audit_of_a_stored_document_in_three_formats(api: Server) -> None:
    with api.client("reader") as c:
        doc_id = c.get("/v1/documents", params={"department": "白云"}).json()["documents"][0]["id"]
        report = c.get(f"/v1/documents/{doc_id}/audit").json()
        assert report and "findings" in str(report)
        xlsx = c.get(f"/v1/documents/{doc_id}/audit", params={"format": "xlsx"})
        assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert load_workbook(io.BytesIO(xlsx.content)).sheetnames
        html = c.get(f"/v1/documents/{doc_id}/audit", params={"format": "html"})
        assert html.headers["content-type"].startswith("text/html") and "审核意见表" in html.text
        assert_problem(c.get(f"/v1/documents/{doc_id}/audit", params={"format": "pdf"}), 422)
        assert_problem(c.get("/v1/documents/999999/audit"), 404)


def test_resource_bombs_are_problems_and_the_server_stays_up(api: Server, tmp_path: Path) -> None:
    from tests.hostile.build import BOMBS, blank_docx

    with api.client("reader") as c:
        for name, make in BOMBS.items():
            if name == "sparse_large":  # 300 MB: the size cap's own test (test_api_limits) covers a body that large
                continue
            path = make(tmp_path)
            r = c.post("/v1/extract", files={"file": (path.name, path.read_bytes())})
            doc = assert_problem(r, r.status_code)
            assert r.status_code in (413, 422) and path.name in doc["detail"], (name, r.status_code, doc)
        blank = blank_docx(tmp_path)
        r = c.post("/v1/extract", files={"file": (blank.name, blank.read_bytes())})
        assert r.status_code in (200, 422), r.text[:300]
        assert c.get("/v1/documents").status_code == 200
