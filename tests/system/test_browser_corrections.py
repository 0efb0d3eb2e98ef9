"""Corrections in a real browser: two pages on one record (the stale save is a conflict, nothing written), a new target
keeps its unit, and a save with no change writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.system.browser_support import NEEDS_CHROMIUM, WAIT, browser, ingest, open_page, served, settle
from tests.system.test_review_saves import TEXT

pytestmark = NEEDS_CHROMIUM
__all__ = ["browser"]  # the shared fixture


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    source = tmp_path / "调解.txt"
    source.write_text(TEXT.replace("\t300\t件", "\t≥5条\t条"), encoding="utf-8")
    ingest(tmp_path / "data", source)
    return tmp_path / "data"


@pytest.fixture()
def app_url(data: Path) -> Iterator[str]:
    with served(data) as url:
        yield url


def _revisions(data: Path) -> list[tuple[Any, ...]]:
    from retrieval.store.database import Store
    from retrieval.store.tables import IndicatorRow, RevisionRow

    store = Store(f"sqlite:///{data / 'jixiao.db'}")
    with store.session() as s:
        count = int(s.scalar(select(func.count()).select_from(RevisionRow)) or 0)
        rows = s.execute(select(IndicatorRow.name, IndicatorRow.target, IndicatorRow.unit)).all()
    store.engine.dispose()
    return [(count,), *(tuple(r) for r in rows)]


def _open(browser: Any, url: str) -> Any:
    page = open_page(browser, f"{url}/review", "审核校对", height=1600)
    _form(page).wait_for(timeout=WAIT)
    settle(page)
    return page


def _form(page: Any) -> Any:
    return page.locator('[data-testid="stForm"]').filter(has_text="编辑所选指标")


def _field(page: Any, label: str) -> Any:
    return _form(page).get_by_label(label, exact=True)


def _shows(page: Any, label: str, value: str) -> None:
    """The form's field holds this value (waits while Streamlit redraws it)."""
    from playwright.sync_api import expect

    expect(_field(page, label)).to_have_value(value, timeout=30_000)


def _save(page: Any, **fields: str) -> None:
    for label, value in fields.items():
        box = _field(page, label)
        box.fill(value)
        box.press("Tab")
    _form(page).get_by_role("button", name="保存该指标").click()
    settle(page)


def test_the_stale_page_gets_a_conflict_and_nothing_is_written(app_url: str, data: Path, browser: Any) -> None:
    a, b = _open(browser, app_url), _open(browser, app_url)
    for page in (a, b):
        _shows(page, "三级指标", "调解案件数")
        _shows(page, "指标值（原文）", "≥5条")
    _save(a, **{"指标值（原文）": "≥6条"})
    a.get_by_text("已保存").first.wait_for(timeout=WAIT)
    stored = _revisions(data)
    _save(b, **{"指标值（原文）": "≥7条"})
    b.get_by_text("他人已改为“≥6条”").first.wait_for(timeout=WAIT)
    body = b.locator("body").inner_text()
    assert "你的值“≥7条”" in body and "Traceback" not in body, body[-3000:]
    assert "保留我的修改" in body and "采用他人的修改" in body
    assert _revisions(data) == stored, "a conflict writes nothing"
    b.get_by_role("button", name="采用他人的修改").click()
    settle(b)
    _shows(b, "指标值（原文）", "≥6条")
    # now A is the stale one: it keeps its value in one click, and that save is made from B's
    _save(b, **{"指标值（原文）": "≥7条"})
    b.get_by_text("已保存").first.wait_for(timeout=WAIT)
    _save(a, **{"指标值（原文）": "≥8条"})
    a.get_by_text("他人已改为“≥7条”").first.wait_for(timeout=WAIT)
    a.get_by_role("button", name="保留我的修改").click()
    settle(a)
    a.get_by_text("已保存").first.wait_for(timeout=WAIT)
    _shows(a, "指标值（原文）", "≥8条")
    assert ("调解案件数", "≥8条", "条") in _revisions(data)
    a.close()
    b.close()


def test_a_new_target_keeps_the_unit_and_an_unchanged_save_writes_nothing(app_url: str, data: Path,
                                                                         browser: Any) -> None:
    page = _open(browser, app_url)
    _shows(page, "度量单位", "条")
    _save(page, **{"指标值（原文）": "≥6", "修改原因": "原件为6"})
    page.get_by_text("已保存").first.wait_for(timeout=WAIT)
    _shows(page, "度量单位", "条")
    _shows(page, "修改原因", "")
    stored = _revisions(data)
    assert ("调解案件数", "≥6", "条") in stored
    _save(page)
    page.get_by_text("没有修改").first.wait_for(timeout=WAIT)
    assert _revisions(data) == stored, "an unchanged save writes no revision"
    page.close()


def test_the_history_lists_a_budget_correction_and_restores_one_field(app_url: str, data: Path, browser: Any) -> None:
    page = _open(browser, app_url)
    page.get_by_text("修改文档与项目信息").first.click()
    fields = page.locator('[data-testid="stForm"]').filter(has_text="保存文档与项目信息")
    box = fields.get_by_label("预算总额（万元）", exact=True)
    box.fill("31")
    box.press("Tab")
    fields.get_by_role("button", name="保存文档与项目信息").click()
    settle(page)
    page.get_by_text("已保存文档与项目信息").first.wait_for(timeout=WAIT)
    page.get_by_text("修改记录（1）").first.click()
    page.get_by_text("预算 30.00 → 31.00").first.wait_for(timeout=WAIT)
    stored = _revisions(data)
    page.get_by_role("button", name="恢复旧值").first.click()
    settle(page)
    page.get_by_text("已恢复旧值").first.wait_for(timeout=WAIT)
    page.get_by_text("预算 31.00 → 30.00").first.wait_for(timeout=WAIT)
    assert _revisions(data)[0][0] == stored[0][0] + 1, "the restore is one new revision"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, body[-3000:]
    page.close()


def test_deleting_a_row_someone_corrected_is_a_conflict_with_keep_or_take(app_url: str, data: Path,
                                                                         browser: Any) -> None:
    a, b = _open(browser, app_url), _open(browser, app_url)
    from playwright.sync_api import expect

    b.get_by_text("新增或删除指标").first.click()
    settle(b)  # the expander's contents are drawn before the box is clicked (a click under load was lost)
    b.get_by_text("确认删除所选指标").first.click()
    settle(b)
    expect(b.get_by_role("button", name="删除所选指标")).to_be_enabled(timeout=WAIT)
    _save(a, **{"指标值（原文）": "≥6条"})
    a.get_by_text("已保存").first.wait_for(timeout=WAIT)
    stored = _revisions(data)
    b.get_by_role("button", name="删除所选指标").click()
    settle(b)
    b.get_by_text("他人已改为“≥6条”").first.wait_for(timeout=WAIT)
    assert _revisions(data) == stored, "the stale delete writes nothing"
    b.get_by_role("button", name="采用他人的修改").click()
    settle(b)
    _shows(b, "指标值（原文）", "≥6条")
    assert "他人已改为" not in b.locator("body").inner_text()
    assert ("调解案件数", "≥6条", "条") in _revisions(data), "the row stays"
    a.close()
    b.close()
