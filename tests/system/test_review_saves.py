"""Saving in 审核校对: the page shows the stored record afterwards, and a save with no change writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_pointed_at

TEXT = ("项目绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n一级指标\t二级指标\t三级指标\t指标值\t度量单位\n"
        "产出指标\t数量指标\t调解案件数\t300\t件\n产出指标\t时效指标\t调解及时性\t及时\t\n")


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:

    from kernel.settings import Settings
    from retrieval.services import Services
    from usecases.batch import ingest_paths

    source = tmp_path / "调解.txt"
    source.write_text(TEXT, encoding="utf-8")
    data = tmp_path / "data"
    ingest_paths(Services(Settings(data_dir=data)), [source])
    with app_pointed_at(data):
        yield data


def _revisions(data: Path) -> int:
    from kernel.settings import Settings
    from retrieval.services import Services

    store = Services(Settings(data_dir=data)).store
    with store.session() as s:
        from sqlalchemy import func, select

        from retrieval.store.tables import RevisionRow

        return int(s.scalar(select(func.count()).select_from(RevisionRow)) or 0)


def test_form_shows_the_stored_record_after_saving_and_a_second_save_writes_nothing(data_dir: Path) -> None:
    at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=120).run()
    at.selectbox(key="review_row").select(next(o for o in at.selectbox(key="review_row").options
                                               if o is not None)).run()
    ind_id = at.selectbox(key="review_row").value
    row_name = at.text_input(key=f"edit_{ind_id}_name").value
    at.text_input(key=f"edit_{ind_id}_target").set_value("及时")  # a text target: the store drops the unit
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    assert at.text_input(key=f"edit_{ind_id}_name").value == row_name
    assert at.text_input(key=f"edit_{ind_id}_unit").value == "", "the form shows the stored (re-parsed) record"
    saved = _revisions(data_dir)
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert any("没有修改" in i.value for i in at.info)
    assert _revisions(data_dir) == saved, "an unchanged save writes no revision"


def test_grid_edits_are_not_saved_twice(data_dir: Path) -> None:
    at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=120).run()
    at.button_group(key="review_grid_mode").set_value("批量编辑").run()
    at.button(key="save_edits").click().run()
    assert any("没有修改" in i.value for i in at.info)
    assert _revisions(data_dir) == 0


def test_fix_project_fields_add_and_delete_rows_in_the_page(data_dir: Path) -> None:
    at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=120).run()
    pid = next(k for k in (w.key for w in at.text_input) if k and k.startswith("proj_name_")).removeprefix("proj_name_")
    at.text_input(key=f"proj_name_{pid}").set_value("人民调解专项经费")
    at.text_input(key=f"proj_budget_fiscal_{pid}").set_value("25")
    at.text_input(key=f"doc_year_{pid}").set_value("2025")
    at.button(key=f"FormSubmitter:fields_{pid}-保存文档与项目信息").click().run()
    assert not at.exception
    assert any("已保存文档与项目信息" in s.value for s in at.success)
    assert any("人民调解专项经费" in o for o in at.selectbox(key="review_project").options)
    at.text_input(key=f"add_level1_{pid}").set_value("满意度指标")
    at.text_input(key=f"add_name_{pid}").set_value("当事人满意度")
    at.text_input(key=f"add_target_{pid}").set_value("≥95%")
    at.button(key=f"FormSubmitter:add_{pid}-新增指标").click().run()
    assert any("已新增指标" in s.value for s in at.success)
    assert "当事人满意度" in at.selectbox(key="review_row").options
    chosen = at.selectbox(key="review_row").value
    at.checkbox(key=f"delete_sure_{chosen}").check().run()
    at.button(key=f"delete_{chosen}").click().run()
    assert any("已删除所选指标" in s.value for s in at.success)
    assert len(at.selectbox(key="review_row").options) == 2


def test_grid_shows_no_row_ids_and_origins_in_chinese() -> None:
    from retrieval.store.corrections import EDITABLE
    from webui.review import _grid

    rows = [{"id": 7, "confidence": 0.5, "origin": "rules", "reviewed": False, "page": 1, **dict.fromkeys(EDITABLE)}]
    frame = _grid(rows)
    assert "id" not in frame.columns and frame.index.tolist() == [7]
    assert frame["origin"].tolist() == ["规则"]
    assert frame.reset_index().to_dict("records")[0]["id"] == 7  # saving still finds the row


def test_clicking_a_grid_row_points_the_highlight(data_dir: Path) -> None:
    from retrieval.store.corrections import EDITABLE
    from webui.review import _grid, picked_indicator

    rows = [{"id": i, "confidence": c, "origin": "rules", "reviewed": False, "page": 1, **dict.fromkeys(EDITABLE)}
            for i, c in ((7, 0.95), (9, 0.5))]
    frame = _grid(rows)  # low-confidence rows first: the clicked position maps through the shown order
    assert picked_indicator(frame, [0]) == 9 and picked_indicator(frame, [1]) == 7
    assert picked_indicator(frame, []) is None
    at = AppTest.from_string("from webui import review\nreview.render()\n", default_timeout=120).run()
    assert not at.exception and at.dataframe, "the grid is browsable (read-only, rows selectable)"
