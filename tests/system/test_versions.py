"""Versions of a disclosure: what a new file would replace, every version kept, an old one restored."""

from __future__ import annotations

from pathlib import Path

from extractor.api import extract
from extractor.schema import Extraction
from retrieval.store.database import Store
from retrieval.store.versions import restore, versions, would_replace
from tests.conftest import app_pointed_at, page

FORM = ("某区司法局2024年度项目支出绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t调解案件数\t≥300件\n{extra}")


def _doc(tag: str, source: str, extra: str = "") -> Extraction:
    """The same disclosure in other bytes; `source` says what the file was (a PDF has page images)."""
    result = extract(FORM.format(extra=extra).encode() + tag.encode(), name="x.txt")
    assert result.document is not None
    result.document.source = source
    return result


def test_new_version_preview_keep_beside_replace_and_restore(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    first = store.add_extraction(_doc("#1", "调解.pdf"))
    store.mark_reviewed(first.document_id, who="张三")
    newer = _doc("#2", "调解.txt", "满意度指标\t服务对象满意度指标\t当事人满意度\t≥95%\n")
    assert newer.document is not None
    [diff] = would_replace(store, newer.document)
    assert (diff.document_id, diff.indicators_before, diff.indicators_after) == (first.document_id, 1, 2)
    assert diff.reviewed and diff.reviewed_rows == 1 and diff.loses_page_images
    kept = store.add_extraction(newer, supersede=False)  # 作为新版本保留: a version of the lineage, not current
    assert kept.status == "kept" and len([v for v in versions(store, first.document_id) if v.live]) == 1
    third = store.add_extraction(_doc("#3", "调解.pdf"))  # the CLI's rule: replaces the live ones
    assert third.status == "superseded"
    chain = versions(store, first.document_id)
    assert [v.document_id for v in chain] == [first.document_id, kept.document_id, third.document_id]
    assert [v.live for v in chain] == [False, False, True]
    assert restore(store, first.document_id, who="张三") == third.document_id
    chain = versions(store, first.document_id)
    assert [v.live for v in chain] == [True, False, False]
    assert store.document(first.document_id) is not None


def test_cli_ingest_says_in_chinese_what_it_replaced(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "调解.txt").write_text(FORM.format(extra=""), encoding="utf-8")
    (tmp_path / "v2" / "调解.txt").write_text(FORM.format(extra="产出指标\t质量指标\t调解成功率\t≥90%\n"),
                                            encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "JIXIAO_DATA_DIR": str(tmp_path / "data")}

    def ingest(folder: str) -> str:
        r = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--workers", "1", str(tmp_path / folder)],
                           capture_output=True, text=True, env=env, cwd=root, timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stderr

    assert "替换了旧版本" not in ingest("v1")
    assert "替换了旧版本 调解.txt（文档 1）" in ingest("v2")


def test_review_page_lists_versions_opens_and_restores_one(tmp_path: Path) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services

    data = tmp_path / "data"
    services = Services(Settings(data_dir=data))
    first = services.store.add_extraction(_doc("#1", "调解.pdf"))
    second = services.store.add_extraction(_doc("#2", "调解.txt", "产出指标\t质量指标\t调解成功率\t≥90%\n"))
    assert second.status == "superseded"
    with app_pointed_at(data):
        at = page("review").run()
        assert not at.exception
        assert any("版本（2）" in e.label for e in at.expander)
        at.button(key=f"version_open_{first.document_id}").click().run()
        assert any("这不是当前版本" in i.value for i in at.info)
        at.button(key=f"version_restore_{first.document_id}").click().run()
        assert not at.exception
        assert any("已将文档" in s.value and "恢复为当前版本" in s.value for s in at.success)
        live = [v for v in versions(services.store, first.document_id) if v.live]
        assert [v.document_id for v in live] == [first.document_id]


def test_upload_of_a_new_version_waits_for_the_users_decision(tmp_path: Path) -> None:
    from kernel.settings import Settings
    from retrieval.services import Services

    data = tmp_path / "data"
    services = Services(Settings(data_dir=data))
    first = services.store.add_extraction(_doc("#1", "调解.pdf"))
    newer = FORM.format(extra="产出指标\t质量指标\t调解成功率\t≥90%\n").encode()
    with app_pointed_at(data):
        at = page("upload").run()
        at.file_uploader[0].set_value([("调解.txt", newer, "text/plain")])
        at.run()
        at.button(key="start_upload").click().run()
        assert not at.exception
        assert any("新版本，等待确认" in i.value for i in at.info)
        assert any("没有页面图像" in w.value for w in at.warning)
        [choice] = [r for r in at.radio if r.key.startswith("version_choice_")]
        assert choice.value == "keep", "a PDF version is not replaced by default by a file without page images"
        assert [v.live for v in versions(services.store, first.document_id)] == [True]  # nothing stored yet
        choice.set_value("replace")
        at.button(key=choice.key.replace("version_choice_", "version_ok_")).click().run()
        assert not at.exception, at.exception
        assert any("已替换旧版本" in s.value for s in at.success)
        chain = versions(services.store, first.document_id)
        assert [v.live for v in chain] == [False, True]
