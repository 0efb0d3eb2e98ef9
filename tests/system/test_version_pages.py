"""The review page's pickers read one state (AppTest): after 打开该版本, a 项目 pick and 下一条 they name what is shown;
a restore from the page carries corrections when asked."""

from __future__ import annotations

from pathlib import Path

from extractor.api import extract
from extractor.schema import Extraction
from kernel.settings import Settings
from retrieval.services import Services
from retrieval.store import queries
from tests.conftest import app_pointed_at, page

FORM = ("某区司法局2024年度项目支出绩效目标表\n项目名称\t人民调解\n年度资金总额\t30\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t调解案件数\t{count}\n项目名称\t法律援助\n年度资金总额\t20\n"
        "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t援助案件数\t≥100件\n")
FLAGGED = ("项目绩效目标表\n项目名称\t社区矫正\n年度资金总额\t50\n一级指标\t二级指标\t三级指标\t落实情况要求\n"
           + "".join(f"产出指标\t数量指标\t工作{i}\t按计划推进并落实到位的第{i}阶段工作安排\n" for i in range(3)))


def _read(text: str, source: str) -> Extraction:
    result = extract(text.encode(), name=source)
    assert result.document is not None
    return result


def _services(tmp_path: Path) -> tuple[Services, int, int, int]:
    services = Services(Settings(data_dir=tmp_path / "data"))
    first = services.store.add_extraction(_read(FORM.format(count="≥300件"), "调解-初稿.txt"))
    second = services.store.add_extraction(_read(FORM.format(count="≥350件"), "调解-定稿.txt"))
    flagged = services.store.add_extraction(_read(FLAGGED, "flagged.txt"))
    assert second.superseded_id == first.document_id
    return services, first.document_id, second.document_id, flagged.document_id


def test_pickers_name_the_opened_version_and_the_queued_row(tmp_path: Path) -> None:
    services, first, second, flagged = _services(tmp_path)
    with app_pointed_at(tmp_path / "data"):
        at = page("review").run()
        at.selectbox(key="review_doc").set_value(second).run()
        at.button(key=f"version_open_{first}").click().run()
        assert not at.exception
        assert at.selectbox(key="review_doc").value == first
        aid = next(p["id"] for p in queries.projects(services.store, first) if p["name"] == "法律援助")
        at.selectbox(key="review_project").set_value(aid).run()
        assert not at.exception
        assert at.selectbox(key="review_doc").value == first, "a 项目 pick stays in the opened version"
        assert at.selectbox(key="review_project").value == aid
        at.button(key="queue_next").click().run()
        assert not at.exception
        assert at.selectbox(key="review_doc").value == flagged
        rows = queries.indicators(services.store, at.selectbox(key="review_project").value)
        assert at.selectbox(key="review_row").value == rows[0]["id"]
        at.button(key="queue_next").click().run()
        assert at.selectbox(key="review_row").value == rows[1]["id"] and at.selectbox(key="review_doc").value == flagged


def test_restore_from_the_page_carries_corrections_when_asked(tmp_path: Path) -> None:
    services, first, second, _ = _services(tmp_path)
    project = queries.projects(services.store, second)[0]["id"]
    row = queries.indicators(services.store, project)[0]["id"]
    services.store.correct_indicator(row, {"target": "≥320件"}, who="张三")
    with app_pointed_at(tmp_path / "data"):
        at = page("review").run()
        at.selectbox(key="review_doc").set_value(second).run()
        assert at.checkbox(key="version_carry").value
        at.button(key=f"version_restore_{first}").click().run()
        assert not at.exception
        assert any("沿用了" in s.value and "≥320件" in s.value for s in at.success)
        assert at.selectbox(key="review_doc").value == first
    doc = services.store.document(first)
    assert doc is not None and doc.projects[0].indicators[0].target == "≥320件"
