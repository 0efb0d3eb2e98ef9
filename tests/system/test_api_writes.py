"""jixiao serve's write side against a live server: upload jobs, new-version decisions, PATCH with If-Match, restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.settings import Settings
from retrieval.store.database import Store
from tests.conftest import CORPUS
from tests.system.api_support import SEEDS, Server, assert_problem, running_api, wait_job


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: its uploads and corrections must not reach the read tests' shared server."""
    with running_api(tmp_path_factory.mktemp("api_writes"), [CORPUS / "seeds" / n for n in SEEDS]) as server:
        yield server


def _newer_004(corpus: Path, budget: str) -> bytes:
    """白云's disclosure re-issued with one project budget changed (same file name: the same disclosure)."""
    text = (corpus / "seeds" / "004.txt").read_text(encoding="utf-8")
    changed = text.replace("公费医疗超支及自付经费\t7.00\t7.00", f"公费医疗超支及自付经费\t{budget}\t{budget}", 1)
    assert changed != text
    return changed.encode("utf-8")


def test_upload_is_a_job_and_the_same_bytes_twice_are_stored_once(api: Server, corpus: Path) -> None:
    data = (corpus / "seeds" / "001.txt").read_bytes()
    with api.client() as c:
        r = c.post("/v1/documents", files={"file": ("001.txt", data)})
        assert r.status_code == 202 and r.headers["location"] == f"/v1/jobs/{r.json()['id']}"
        job = wait_job(c, r.json())
        assert job["status"] == "done" and job["outcome"]["status"] == "new" and job["who"] == "审核员甲", job
        assert job["pages"] >= 1 and job["stage"]  # stage progress was reported from the worker
        doc_id = job["outcome"]["document_id"]
        assert c.get(f"/v1/documents/{doc_id}").json()["documents"][0]["source"] == "001.txt"
        again = wait_job(c, c.post("/v1/documents", files={"file": ("copy.txt", data)}).json())
        assert again["outcome"]["status"] == "duplicate" and again["outcome"]["document_id"] == doc_id
        hits = c.get("/v1/search", params={"q": "项目", "top_k": 50}).json()["hits"]
        assert any(h["document_id"] == doc_id for h in hits)  # indexed: searchable right away
        assert_problem(c.get("/v1/jobs/nope"), 404)
        assert_problem(c.post("/v1/documents", files={"file": ("x.docx", b"")}), 422)


def test_a_new_version_waits_for_a_decision(api: Server, corpus: Path) -> None:
    with api.client() as c:
        current = c.get("/v1/documents", params={"department": "白云"}).json()["documents"][0]
        waiting = wait_job(c, c.post("/v1/documents", files={"file": ("004.txt", _newer_004(corpus, "9.00"))}).json())
        assert waiting["status"] == "waiting" and waiting["decisions"] == ["replace", "keep_both", "cancel"]
        [diff] = waiting["versions"]
        assert diff["document_id"] == current["id"]
        assert any("9" in ch["new"] and "7" in ch["old"] for ch in diff["changes"]), diff["changes"]
        assert_problem(c.post(f"/v1/jobs/{waiting['id']}/decision", json={"decision": "maybe"}), 422)
        kept = c.post(f"/v1/jobs/{waiting['id']}/decision", json={"decision": "keep_both"}).json()
        assert kept["status"] == "done" and kept["outcome"]["status"] == "kept"
        assert_problem(c.post(f"/v1/jobs/{waiting['id']}/decision", json={"decision": "replace"}), 409)
        # the stored version stays current; the new file is one of its versions
        assert c.get("/v1/documents", params={"department": "白云"}).json()["documents"][0]["id"] == current["id"]
        r = c.get(f"/v1/documents/{current['id']}/versions")
        versions = r.json()["versions"]
        assert [v["live"] for v in versions] == [True, False] and r.headers["etag"]
        cancel = wait_job(c, c.post("/v1/documents", files={"file": ("004.txt", _newer_004(corpus, "11.00"))}).json())
        done = c.post(f"/v1/jobs/{cancel['id']}/decision", json={"decision": "cancel"}).json()
        assert done["status"] == "cancelled" and len(c.get(f"/v1/documents/{current['id']}/versions").json()[
            "versions"]) == 2
        swap = wait_job(c, c.post("/v1/documents", files={"file": ("004.txt", _newer_004(corpus, "15.00"))}).json())
        replaced = c.post(f"/v1/jobs/{swap['id']}/decision", json={"decision": "replace"}).json()
        assert replaced["outcome"]["status"] == "superseded" and "替换了旧版本" in replaced["outcome"]["replaced"]
        now = c.get("/v1/documents", params={"department": "白云"}).json()["documents"]
        assert [d["id"] for d in now] == [replaced["outcome"]["document_id"]] != [current["id"]]
        exported = c.get(f"/v1/documents/{now[0]['id']}").json()["documents"][0]
        assert any(p["budget"]["total"] == 15.0 for p in exported["projects"])


def test_restore_a_version_with_if_match(api: Server, corpus: Path) -> None:
    with api.client() as c:
        current = c.get("/v1/documents", params={"department": "白云"}).json()["documents"][0]
        job = wait_job(c, c.post("/v1/documents", files={"file": ("004.txt", _newer_004(corpus, "13.00"))}).json())
        if job["status"] == "waiting":
            job = c.post(f"/v1/jobs/{job['id']}/decision", json={"decision": "keep_both"}).json()
        kept = job["outcome"]["document_id"]
        etag = c.get(f"/v1/documents/{kept}/versions").headers["etag"]
        r = c.post(f"/v1/documents/{kept}/restore", json={"carry": False}, headers={"If-Match": etag})
        assert r.status_code == 200 and r.json()["replaced"] == current["id"], r.text
        baiyun = c.get("/v1/documents", params={"department": "白云"}).json()["documents"]
        assert [d["id"] for d in baiyun] == [kept]
        exported = c.get(f"/v1/documents/{kept}").json()["documents"][0]
        assert any(p["budget"]["total"] == 13.0 for p in exported["projects"])
        # the restore was a change to the disclosure: a restore made from the ETag read before it is refused
        assert_problem(c.post(f"/v1/documents/{current['id']}/restore", headers={"If-Match": etag}), 412)
        assert [d["id"] for d in c.get("/v1/documents", params={"department": "白云"}).json()["documents"]] == [kept]
        fresh = c.get(f"/v1/documents/{current['id']}/versions").headers["etag"]
        assert fresh != etag
        back = c.post(f"/v1/documents/{current['id']}/restore", headers={"If-Match": fresh})
        assert back.status_code == 200 and back.json()["replaced"] == kept
        with api.client("reader") as reader:
            assert_problem(reader.post(f"/v1/documents/{current['id']}/restore"), 403)


def test_patch_a_field_with_if_match(api: Server) -> None:
    with api.client() as c:
        doc_id = c.get("/v1/documents", params={"department": "遂宁"}).json()["documents"][0]["id"]
        project_id = c.get(f"/v1/documents/{doc_id}/projects").json()["projects"][0]["id"]
        r = c.get(f"/v1/projects/{project_id}")
        etag = r.headers["etag"]
        change = {"field": "goal", "value": "经核对原件修正的年度目标", "reason": "核对原件"}
        assert_problem(c.patch(f"/v1/projects/{project_id}", json=change), 428)
        done = c.patch(f"/v1/projects/{project_id}", json=change, headers={"If-Match": etag})
        assert done.status_code == 200 and done.json()["changed"] and done.headers["etag"] != etag
        assert c.get(f"/v1/projects/{project_id}").json()["fields"]["goal"] == "经核对原件修正的年度目标"
        stale = assert_problem(c.patch(f"/v1/projects/{project_id}", json={**change, "value": "再改"},
                                       headers={"If-Match": etag}), 412)
        assert stale["etag"] == done.headers["etag"]
        fresh = {"If-Match": done.headers["etag"]}
        assert_problem(c.patch(f"/v1/projects/{project_id}", json={**change, "field": "sha256"}, headers=fresh), 422)
        assert_problem(c.patch(f"/v1/projects/{project_id}", json={"field": "goal", "value": "x"}, headers=fresh),
                       422)  # a reason is required
        assert_problem(c.patch(f"/v1/projects/{project_id}", json={**change, "field": "budget_total",
                                                                    "value": "很多"}, headers=fresh), 422)
        assert_problem(c.patch("/v1/projects/999999", json=change, headers=fresh), 404)
        indicator_id = c.get(f"/v1/projects/{project_id}").json()["indicators"][0]["id"]
        tag = c.get(f"/v1/indicators/{indicator_id}").headers["etag"]
        r = c.patch(f"/v1/indicators/{indicator_id}", json={"field": "target", "value": "≥98%", "reason": "原件"},
                    headers={"If-Match": tag})
        fields = r.json()["fields"]
        assert fields["target"] == "≥98%" and fields["value"] == 98 and fields["operator"] == ">="
        assert fields["origin"] == "human"
    store = Store.from_settings(_settings(api))
    assert store.revisions("project", project_id)[-1].who == "审核员甲"
    [rev] = store.revisions("indicator", indicator_id)
    assert rev.who == "审核员甲" and rev.why == "原件"


def _settings(api: Server) -> Settings:
    return Settings(data_dir=api.data)
