"""Versions in a real browser (Debian's Chromium via Playwright): keep-both leaves 总览 unchanged, a restore carries
the current corrections, and the review pickers name what the page shows after 打开该版本 and 下一条."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from retrieval.store import queries
from retrieval.store.database import Store
from retrieval.store.versions import versions
from tests.system.browser_support import NEEDS_CHROMIUM, WAIT, browser, ingest, open_page, served, settle

pytestmark = [pytest.mark.system, NEEDS_CHROMIUM]
__all__ = ["browser"]  # the shared fixture

HEAD = "某区司法局2024年度项目支出绩效目标表\n"
MEDIATION = ("项目名称\t人民调解\n年度资金总额\t{budget}\n一级指标\t二级指标\t三级指标\t指标值\n"
             "产出指标\t数量指标\t调解案件数\t{count}\n产出指标\t质量指标\t调解成功率\t≥90%\n")
AID = ("项目名称\t法律援助\n年度资金总额\t20\n一级指标\t二级指标\t三级指标\t指标值\n"
       "产出指标\t数量指标\t援助案件数\t≥100件\n满意度指标\t服务对象满意度指标\t受援人满意度\t≥95%\n")
# Nothing in its value column is a target the rules know: every row of it is in the review queue.
FLAGGED = ("项目绩效目标表\n项目名称\t社区矫正\n年度资金总额\t50\n一级指标\t二级指标\t三级指标\t落实情况要求\n"
           + "".join(f"产出指标\t数量指标\t工作{i}\t按计划推进并落实到位的第{i}阶段工作安排\n" for i in range(3)))


def _form(budget: str = "1150", count: str = "≥300件") -> str:
    return HEAD + MEDIATION.format(budget=budget, count=count) + AID


@contextmanager
def _app(tmp_path: Path, files: dict[str, str], correct: dict[str, str] | None = None) -> Iterator[tuple[str, Store]]:
    """The app over a data dir where each file was ingested in order by the CLI (a later version supersedes);
    `correct` then sets targets of the current rows by name, as a person would."""
    data, folder = tmp_path / "data", tmp_path / "files"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        ingest(data, folder / name, timeout=300)
    store = Store(f"sqlite:///{data / 'jixiao.db'}")
    for name, target in (correct or {}).items():
        doc = queries.documents(store)[0]
        rows = [r for p in queries.projects(store, doc["id"]) for r in queries.indicators(store, p["id"])]
        store.correct_indicator(next(r["id"] for r in rows if r["name"] == name), {"target": target}, who="张三")
    with served(data) as url:
        yield url, store


def _page(browser: Any, url: str, title: str) -> Any:
    page = open_page(browser, url, title)
    _settle(page)
    return page


def _settle(page: Any) -> None:
    settle(page, before=800, after=1500)


def _shown(page: Any, label: str) -> str:
    """What a picker shows (its current choice)."""
    return str(page.get_by_role("combobox", name=label, exact=True).input_value())


def _choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option").filter(has_text=option).first.click()
    _settle(page)


def _metrics(page: Any) -> list[str]:
    return [str(m) for m in page.locator('[data-testid="stMetricValue"]').all_inner_texts()]


def test_keep_both_leaves_overview_totals_unchanged(tmp_path: Path, browser: Any) -> None:
    with _app(tmp_path, {"调解.txt": _form()}) as (url, store):
        page = _page(browser, f"{url}/overview", "总览")
        before = _metrics(page)
        assert before[1:] == ["2", "1,170.00"], before
        page.goto(f"{url}/upload")
        page.get_by_role("heading", name="上传文件", exact=True).wait_for(timeout=WAIT)
        changed = tmp_path / "调解.txt"
        changed.write_text(_form(budget="1200", count="≥350件"), encoding="utf-8")
        page.locator('input[type="file"]').set_input_files(str(changed))
        _settle(page)
        page.get_by_role("button", name="开始提取").click()
        page.get_by_text("是已导入文件的新版本").first.wait_for(timeout=WAIT)
        _settle(page)
        body = page.locator("body").inner_text()
        assert "人民调解：预算 1,150.00 → 1,200.00" in body, body
        assert "人民调解 / 调解案件数：指标值 ≥300件 → ≥350件" in body
        page.get_by_text("作为新版本保留", exact=True).click()
        page.get_by_role("button", name="确定").click()
        page.get_by_text("已作为新版本保留").first.wait_for(timeout=WAIT)
        _settle(page)
        assert "等待确认" not in page.locator("body").inner_text()
        page.goto(f"{url}/overview")
        page.get_by_role("heading", name="总览", exact=True).wait_for(timeout=WAIT)
        _settle(page)
        assert _metrics(page) == before, "the kept version is not a second current document"
        [doc] = queries.documents(store)
        assert [v.live for v in versions(store, doc["id"])] == [True, False]
        page.close()


def test_restore_carries_the_current_corrections(tmp_path: Path, browser: Any) -> None:
    files = {"调解-初稿.txt": _form(), "调解-定稿.txt": _form(budget="1200")}
    with _app(tmp_path, files, correct={"调解案件数": "≥320件"}) as (url, store):
        page = _page(browser, f"{url}/review", "审核校对")
        assert _shown(page, "文档").startswith("调解-定稿.txt")
        page.get_by_text("版本（2）").click()
        _settle(page)
        assert "人民调解：预算 1,200.00 → 1,150.00" in page.locator("body").inner_text()
        assert page.get_by_label("恢复时沿用当前版本的人工校正（逐字段，仅限该版本中仍有的项目和指标）").is_checked()
        page.get_by_role("button", name="恢复为当前版本").click()
        page.get_by_text("恢复为当前版本。").first.wait_for(timeout=WAIT)
        _settle(page)
        body = page.locator("body").inner_text()
        assert "人民调解 / 调解案件数：指标值 ≥300件 → ≥320件" in body, body
        assert _shown(page, "文档").startswith("调解-初稿.txt")
        [doc] = queries.documents(store)
        assert doc["source"] == "调解-初稿.txt"
        restored = store.document(doc["id"])
        assert restored is not None and restored.projects[0].indicators[0].target == "≥320件"
        assert restored.projects[0].budget.total == 1150  # not a correction: the restored version's own value
        page.close()


def test_pickers_follow_an_opened_version_and_the_queue(tmp_path: Path, browser: Any) -> None:
    files = {"调解-初稿.txt": _form(), "调解-定稿.txt": _form(count="≥350件"), "flagged.txt": FLAGGED}
    with _app(tmp_path, files) as (url, _store):
        page = _page(browser, f"{url}/review", "审核校对")
        _choose(page, "文档", "调解-定稿.txt")
        page.get_by_text("版本（2）").click()
        _settle(page)
        page.get_by_role("button", name="打开该版本").click()
        _settle(page)
        assert _shown(page, "文档").startswith("调解-初稿.txt") and "旧版本" in _shown(page, "文档")
        assert "这不是当前版本" in page.locator("body").inner_text()
        _choose(page, "项目", "法律援助")
        assert _shown(page, "文档").startswith("调解-初稿.txt"), "choosing a project stays in the opened version"
        assert _shown(page, "项目").startswith("法律援助")
        _choose(page, "定位指标（在原文中高亮）", "受援人满意度")
        assert _shown(page, "文档").startswith("调解-初稿.txt")
        assert _shown(page, "定位指标（在原文中高亮）") == "受援人满意度"
        assert page.locator('[data-testid="stException"]').count() == 0  # the edit form's StopIteration
        page.get_by_role("button", name="下一条").click()
        _settle(page)
        assert _shown(page, "文档").startswith("flagged.txt")
        assert _shown(page, "项目").startswith("社区矫正")
        assert _shown(page, "定位指标（在原文中高亮）") == "工作0"
        assert re.search(r"共 3 条（第 1 条）", page.locator("body").inner_text())
        page.get_by_role("button", name="下一条").click()
        _settle(page)
        assert _shown(page, "定位指标（在原文中高亮）") == "工作1"
        assert _shown(page, "文档").startswith("flagged.txt")
        page.close()
