"""Rows a page break put under the wrong project go back only when the weights prove it."""

from __future__ import annotations

from extractor.layout.forms import ProjectDraft
from extractor.layout.rebalance import common_total, rebalance_page_breaks
from extractor.schema import Indicator


def _ind(name: str, weight: float | None, page: int | None = None) -> Indicator:
    return Indicator(level1="产出指标", name=name, target="≥1", weight=weight, page=page, confidence=0.95)


def _draft(name: str, weights: list[float | None], page: int | None = None) -> ProjectDraft:
    return ProjectDraft(name=name, goal=f"{name}目标", indicators=[_ind(f"{name}{i}", w, page)
                                                                   for i, w in enumerate(weights)])


def _fixture() -> list[ProjectDraft]:
    return [_draft("甲", [30, 30, 30]), _draft("乙", [20, 20, 50]), _draft("丙", [30, 30, 30, 20]),
            _draft("丁", [30, 40]), _draft("戊", [45, 45])]


def test_common_total_needs_a_clear_majority() -> None:
    assert common_total(_fixture()) == 90
    assert common_total([_draft("甲", [30, 60]), _draft("乙", [50, 50])]) is None
    assert common_total([_draft("甲", [30, None])]) is None


def test_trailing_rows_move_when_both_sides_then_reach_the_total() -> None:
    drafts = _fixture()
    drafts[2].goal_parts.append((3, "丁的目标开头"))
    drafts[2].goal = "丙目标丁的目标开头"
    assert rebalance_page_breaks(drafts) == 1
    assert [i.name for i in drafts[3].indicators] == ["丙3", "丁0", "丁1"]
    assert drafts[3].indicators[0].confidence < 0.95  # flagged for review
    assert drafts[2].goal == "丙目标" and drafts[3].goal == "丁的目标开头丁目标"


def test_no_move_without_exact_evidence() -> None:
    drafts = _fixture()
    drafts[3].indicators[0] = _ind("丁0", 35)  # 丁 = 75: moving 20 would give 95, not 90
    assert rebalance_page_breaks(drafts) == 0
    drafts = _fixture()
    drafts[3].indicators[1] = _ind("丁1", None)  # an unprinted weight proves nothing
    assert rebalance_page_breaks(drafts) == 0
