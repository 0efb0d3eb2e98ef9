"""A document the extractor could not read well is flagged everywhere users meet it: CLI, ingest, app."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_pointed_at

ROOT = Path(__file__).resolve().parents[2]
# The value column's header and cells are nothing the rules know: every target comes out empty.
FLAGGED = ("项目绩效目标表\n项目名称\t社区矫正\n年度资金总额\t50\n一级指标\t二级指标\t三级指标\t落实情况要求\n"
           + "".join(f"产出指标\t数量指标\t工作{i}\t按计划推进并落实到位的第{i}阶段工作安排\n" for i in range(5)))
GOOD = ("项目绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t调解案件数\t≥300件\n满意度指标\t服务对象满意度指标\t当事人满意度\t≥95%\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("flagged")
    (folder / "flagged.txt").write_text(FLAGGED, encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIXIAO_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def test_extract_prints_one_warning_line_per_flagged_file(files: Path, tmp_path: Path) -> None:
    r = _cli("extract", str(files / "flagged.txt"), str(files / "good.txt"), data=tmp_path)
    assert r.returncode == 0, r.stderr
    warnings = [ln for ln in r.stderr.splitlines() if "需人工审核" in ln]
    assert len(warnings) == 1 and "flagged.txt" in warnings[0] and "指标值" in warnings[0]


@pytest.fixture(scope="module")
def data_dir(files: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:


    data = tmp_path_factory.mktemp("flagged-data")
    r = _cli("ingest", "--workers", "1", str(files / "good.txt"), str(files / "flagged.txt"), data=data)
    assert r.returncode == 0, r.stderr
    assert any("flagged.txt" in ln and "需人工审核" in ln for ln in r.stderr.splitlines()), r.stderr
    assert not any("good.txt" in ln and "需人工审核" in ln for ln in r.stderr.splitlines())
    with app_pointed_at(data):
        yield data


def _page(name: str) -> AppTest:
    return AppTest.from_string(f"from webui import {name}\n{name}.render()\n", default_timeout=120)


def test_review_lists_flagged_documents_first_with_the_reason(data_dir: Path) -> None:
    at = _page("review").run()
    assert not at.exception
    options = at.selectbox(key="review_doc").options
    assert "flagged.txt" in options[0] and "需人工审核" in options[0]
    assert any("需人工审核" in w.value and "指标值" in w.value for w in at.warning)


def test_overview_marks_flagged_documents(data_dir: Path) -> None:
    at = _page("overview").run()
    assert not at.exception
    assert any("flagged.txt" in w.value for w in at.warning)


def test_review_queue_steps_through_queued_rows_across_documents(data_dir: Path) -> None:
    at = _page("review").run()
    assert any("待审核队列：共 5 条" in c.value for c in at.caption), [c.value for c in at.caption]
    at.button(key="queue_next").click().run()
    assert not at.exception
    first = at.selectbox(key="review_row").value
    assert any("第 1 条" in c.value for c in at.caption)
    at.button(key="queue_next").click().run()
    assert at.selectbox(key="review_row").value != first and any("第 2 条" in c.value for c in at.caption)
    at.button(key="queue_prev").click().run()
    assert at.selectbox(key="review_row").value == first
