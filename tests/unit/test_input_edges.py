"""Input edges are validated where they come in: numbers, top-k, query length, escaped file names (issue 15)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cli.main import app
from kernel.errors import AskError, QueryError
from kernel.settings import Settings, get_settings
from retrieval.ask.api import answer
from retrieval.search.searcher import Filters, Searcher


def _cli(*args: str, tmp_path: Path) -> Any:
    # Settings are read once per process: one cached by an earlier test would send this run to its data dir (the
    # repo's own data/ was migrated that way), not to tmp_path.
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env={"JIXIAO_DATA_DIR": str(tmp_path)})
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("args", "says"), [
    (["search", "扫黑除恶", "--budget-min", "nan"], "有限的数字"),
    (["search", "扫黑除恶", "--budget-max", "inf"], "有限的数字"),
    (["search", ""], "查询内容为空"),
    (["search", "   "], "查询内容为空"),
    (["search", "扫黑除恶", "--top-k", "-5"], "--top-k 必须至少为 1"),
    (["search", "查" * 100_000], "JIXIAO_MAX_QUERY_CHARS"),
    (["ask", "问" * 100_000], "JIXIAO_MAX_QUERY_CHARS"),
    (["ask", " "], "问题为空"),
], ids=["nan", "inf", "empty", "blank", "negative_top_k", "long_query", "long_question", "empty_question"])
def test_cli_refuses_bad_search_input_with_a_message(tmp_path: Path, args: list[str], says: str) -> None:
    result = _cli(*args, tmp_path=tmp_path)
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output


def test_searcher_validates_what_the_app_passes() -> None:
    searcher = Searcher(index=None, embedder=None, keyword=None,  # type: ignore[arg-type]
                        max_query_chars=50)
    assert searcher.search("   ") == []
    with pytest.raises(QueryError, match="至少为 1"):
        searcher.search("扫黑除恶", top_k=0)
    with pytest.raises(QueryError, match="JIXIAO_MAX_QUERY_CHARS"):
        searcher.search("查" * 51)
    for bound in ("budget_min", "budget_max"):
        for value in (float("nan"), float("inf"), float("-inf")):
            with pytest.raises(ValidationError):
                Filters(**{bound: value})


def test_ask_refuses_empty_and_long_questions() -> None:
    services: Any = SimpleNamespace(settings=Settings(max_query_chars=20))
    with pytest.raises(AskError):
        answer("  ", services)
    with pytest.raises(QueryError):
        answer("问" * 21, services)


def test_a_newline_in_a_file_name_cannot_forge_an_output_line(tmp_path: Path) -> None:
    forged = tmp_path / "a\n完成：99 个文件成功，0 个失败.txt"
    forged.write_text("", encoding="utf-8")  # empty: fails, and the failure line names the file
    result = _cli("extract", str(forged), tmp_path=tmp_path)
    lines = result.output.splitlines()
    assert not any(line.startswith("完成：99") for line in lines), result.output
    assert any("a\\n完成：99" in line for line in lines), result.output
