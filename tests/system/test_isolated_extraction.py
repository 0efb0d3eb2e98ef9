"""Uploads are extracted in a worker process: stages reach the page, a dying worker fails only its file."""

from __future__ import annotations

import os
from typing import Any

from extractor.schema import Extraction
from kernel.settings import Settings
from usecases.isolated import extract_isolated

TEXT = ("项目绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t调解案件数\t≥300件\n")


def _die(data: bytes, name: str, backend: str, settings: Settings, pages: Any) -> Extraction:
    """A worker killed mid-file (the kernel's OOM killer, a native crash)."""
    os._exit(9)


def test_upload_extraction_runs_apart_and_reports_its_stages(tmp_path: Any) -> None:
    seen: list[tuple[int, int, str]] = []
    result = extract_isolated(TEXT.encode(), "调解.txt", "rules", Settings(data_dir=tmp_path),
                              lambda i, n, stage: seen.append((i, n, stage)))
    assert result.document is not None and result.document.projects[0].name == "人民调解"
    assert any(stage == "mapping" for _, _, stage in seen), seen


def test_a_dying_worker_fails_only_that_upload(tmp_path: Any) -> None:
    result = extract_isolated(TEXT.encode(), "调解.txt", "rules", Settings(data_dir=tmp_path), lambda *a: None,
                              target=_die)
    assert result.document is None and "提取进程意外退出" in result.errors[0].message
    again = extract_isolated(TEXT.encode(), "调解.txt", "rules", Settings(data_dir=tmp_path), lambda *a: None)
    assert again.document is not None  # the app goes on


def test_a_file_without_performance_tables_is_a_warning_not_a_success(tmp_path: Any, corpus: Any) -> None:
    from tests.conftest import app_pointed_at, page

    budget = (corpus / "negatives" / "putuo_justice_2026_unit_budget.pdf").read_bytes()
    with app_pointed_at(tmp_path / "data"):
        at = page("upload").run()
        at.file_uploader[0].set_value([("预算.pdf", budget, "application/pdf")])
        at.run()
        at.button(key="start_upload").click().run()
        assert not at.exception
        assert any("预算.pdf" in w.value and "未找到绩效目标表" in w.value for w in at.warning), [
            w.value for w in at.warning]
        assert not any("预算.pdf" in s.value for s in at.success)
