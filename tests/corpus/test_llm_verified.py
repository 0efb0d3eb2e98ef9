"""The model's reading is judged by the verifier like the rules': one the page contradicts more is not kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus.test_llm_backend import run, settings
from tests.openai_stub import Reply, StubServer, user_text

# The rules read this form right; its money block prints 0.00 beside 上年结转资金 and 其他资金.
FORM = """2025年度项目支出绩效目标表
项目名称\t社区戒毒康复指导经费
项目金额\t年度资金总额：\t1,150.00
\t其中：当年财政拨款\t1,150.00
\t上年结转资金\t0.00
\t其他资金\t0.00
年度目标\t完成全市社区戒毒康复人员帮扶指导工作
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t帮扶指导人次\t≥1200人次
满意度指标\t服务对象满意度指标\t戒毒人员满意度\t≥90%
""".encode()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def _row(asked: str, text: str) -> str:
    """The row id the prompt gave the row that prints `text`."""
    line = next(line for line in asked.splitlines() if text in line)
    return line.split("|")[0].strip()


def test_a_model_reading_the_page_contradicts_more_is_not_kept(stub: StubServer, tmp_path: Path) -> None:
    rules = run(FORM, "f.txt", "rules", settings(stub, tmp_path))
    assert rules.contradictions == [] and not rules.quality.needs_review
    assert rules.document is not None and rules.document.projects[0].budget.total == 1150.0

    def respond(request: dict) -> Reply:  # type: ignore[type-arg]
        asked = user_text(request)
        name, zero = _row(asked, "社区戒毒康复指导经费"), _row(asked, "上年结转资金")
        # A grounded but wrong reading: the total taken from the 0.00 of the carry-over row.
        return Reply({"projects": [{"rows": [name, zero], "name": "社区戒毒康复指导经费", "budget_total": "0.00"}],
                      "indicators": [{"rows": [_row(asked, "帮扶指导人次")], "level1": "产出指标",
                                      "level2": "数量指标", "name": "帮扶指导人次", "target": "≥1200人次"}]})

    stub.push(respond)
    result = run(FORM, "f.txt", "llm", settings(stub, tmp_path, llm_cache=False))
    assert stub.requests, "the model was asked"
    assert result.document is not None
    assert result.document.projects == rules.document.projects  # the rules' reading stands
    assert any("已保留规则结果" in e.message for e in result.errors)
