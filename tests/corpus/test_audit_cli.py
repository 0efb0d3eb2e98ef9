"""`jixiao audit` on files and stored documents: findings printed, exit codes, rule files, exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from audit import load_rules
from tests.corpus.test_audit import write_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()


# ---- jixiao audit ----

@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    """The app in-process, with settings re-read from this test's environment."""
    from kernel.settings import get_settings

    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("JIXIAO_AUDIT_RULES", raising=False)
    monkeypatch.delenv("JIXIAO_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    from cli.main import app

    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_audit_a_sample_file_prints_findings(cli: CliRunner, corpus: Path) -> None:
    code, out, err = invoke(cli, "audit", str(corpus / "seeds" / "004.txt"))
    assert code == 0, err
    assert "中共广州市白云区区委政法委员会" in out and "COMP-NO-OUTCOME" in out and "建议：" in out
    assert "审核完成" in err
    code, out, _ = invoke(cli, "audit", str(corpus / "seeds" / "002.txt"), "--format", "json")
    (report,) = json.loads(out)["reports"]
    assert code == 0 and {f["rule"] for f in report["findings"]} >= {"MEAS-PLACEHOLDER", "CONS-WEIGHT-SUM"}


def test_audit_exit_codes(cli: CliRunner, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kernel.settings import get_settings

    code, out, err = invoke(cli, "audit", str(tmp_path / "absent.pdf"), str(corpus / "seeds" / "000.txt"))
    assert code == 1 and "失败" in err and "宿州" in out  # the readable file is still reviewed
    assert invoke(cli, "audit")[0] == 2
    assert invoke(cli, "audit", str(corpus / "seeds" / "000.txt"), "--format", "xlsx")[0] == 2  # needs --out
    monkeypatch.setenv("JIXIAO_AUDIT_RULES", str(write_rules(tmp_path, "[rules.NOPE]\n")))
    get_settings.cache_clear()
    code, _, err = invoke(cli, "audit", str(corpus / "seeds" / "000.txt"))
    assert code == 2 and "NOPE" in err


def test_audit_env_rule_file_switches_a_rule_off(cli: CliRunner, corpus: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kernel.settings import get_settings

    seed = str(corpus / "seeds" / "002.txt")
    assert "MEAS-PLACEHOLDER" in invoke(cli, "audit", seed)[1]
    monkeypatch.setenv("JIXIAO_AUDIT_RULES", str(write_rules(tmp_path, "[rules.MEAS-PLACEHOLDER]\nenabled = false\n")))
    get_settings.cache_clear()
    code, out, _ = invoke(cli, "audit", seed)
    assert code == 0 and "MEAS-PLACEHOLDER" not in out


def test_audit_stored_document_and_exports(cli: CliRunner, corpus: Path, tmp_path: Path) -> None:
    from extractor.api import extract
    from kernel.settings import get_settings
    from retrieval.store.database import Store

    settings = get_settings()
    store = Store.from_settings(settings)
    outcome = store.add_extraction(extract(corpus / "seeds" / "001.txt", backend="rules", settings=settings))
    xlsx, page = tmp_path / "意见.xlsx", tmp_path / "意见.html"
    code, _, err = invoke(cli, "audit", "--document", str(outcome.document_id), "-f", "xlsx", "-o", str(xlsx))
    assert code == 0, err
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[1].startswith("中共遵化市委政法委")
    body = [[c.value for c in row] for row in wb.worksheets[1].iter_rows(min_row=5)]
    assert any(r[3] == "COPY-INDICATORS" for r in body)
    assert invoke(cli, "audit", "--document", str(outcome.document_id), "-f", "html", "-o", str(page))[0] == 0
    assert "绩效目标审核意见表" in page.read_text(encoding="utf-8")
    assert invoke(cli, "audit", "--document", "999")[0] == 1
