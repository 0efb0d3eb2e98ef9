"""The 审核意见 panel in 审核校对 and the audit section of 总览, driven with AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_with_ingested


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Path]:
    """A store with 000.pdf ingested, and the app's caches pointed at it."""
    with app_with_ingested(tmp_path_factory.mktemp("auditapp"), [corpus / "pdf" / "000.pdf"]) as data:
        yield data


def _page(name: str) -> AppTest:
    script = f"from webui import {name}, sidebar\nsidebar.render()\n{name}.render()\n"
    return AppTest.from_string(script, default_timeout=120)


def _panel_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_review_panel_shows_the_projects_findings_and_follows_a_correction(data_dir: Path) -> None:
    at = _page("review").run()
    assert not at.exception
    box = at.selectbox(key="review_project")
    box.select(next(o for o in box.options if "劳务派遣" in o)).run()
    text = _panel_text(at)
    assert "审核意见" in text and "成本金额超过项目预算" in text and "84.6万元" in text
    assert "MEAS-VAGUE-TARGET" not in text  # the overall form's findings stay with the overall form
    # the finding points the row picker at the indicator it cites
    goto = next(b for b in at.button if b.label.startswith("定位：项目总成本"))
    goto.click().run()
    row_box = at.selectbox(key="review_row")
    assert row_box.format_func(row_box.value) == "项目总成本"
    # correcting the target to the annual amount clears the finding on the same run
    ind_id = row_box.value
    at.text_input(key=f"edit_{ind_id}_target").set_value("≤28.2万元/年")
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    assert "成本金额超过项目预算" not in _panel_text(at)
    assert "定量指标占比偏低" in _panel_text(at)


def test_review_panel_offers_the_departments_opinion_sheet(data_dir: Path) -> None:
    at = _page("review").run()
    labels = [d.proto.label for d in at.get("download_button")]
    assert "下载审核意见表 XLSX" in labels and "下载审核意见表 HTML" in labels


def test_overview_charts_findings_and_lists_projects_with_errors(data_dir: Path) -> None:
    at = _page("overview").run()
    assert not at.exception
    assert any(h.value == "审核意见" for h in at.subheader)
    errors = next(df for df in at.dataframe if "审核意见" in df.value.columns)
    assert "中共宿州市委政法委员会" in set(errors.value["项目"])  # the overall form: projects exceed its total
    assert len(at.get("vega_lite_chart")) == 5  # budgets, the two indicator-mix charts, then the two audit charts
