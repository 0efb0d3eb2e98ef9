"""The seeded layout generator behind `jixiao eval --layouts`: determinism, files that open, expected gold, pools.

Assertion messages never print held-out header names (only counts): the extractor is not tuned on that pool.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from eval.layouts.cells import target_cells
from eval.layouts.generator import generate
from eval.layouts.options import choose_options
from eval.layouts.pool import FIELDS, load_pool, split_pool
from eval.layouts.render import render
from eval.layouts.run import check_layout_floors, run_layout_eval
from eval.layouts.spec import FAMILIES, FORMATS, Family, TableBlock, Variant
from kernel.settings import get_settings

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"


def _gold(doc: str, projects: int | None = None) -> dict[str, Any]:
    gold = json.loads((GOLD / f"{doc}.json").read_text(encoding="utf-8"))
    if projects is not None:
        gold["projects"] = gold["projects"][:projects]
    return gold


@pytest.fixture(scope="module")
def tune() -> dict[str, list[str]]:
    return load_pool("tune")


def _tables(v: Variant) -> list[TableBlock]:
    return [b for s in v.spec.sections for b in s.blocks if isinstance(b, TableBlock)]


@pytest.mark.parametrize("family", FAMILIES)
def test_same_seed_same_spec_and_bytes_and_the_files_open(family: Family, tune: dict[str, list[str]]) -> None:
    gold = _gold("000")  # an overall form, mid-term targets, 绩效标准 and long cells
    a = generate(gold, family, 3, tune, "tune", "000")
    b = generate(gold, family, 3, tune, "tune", "000")
    assert a.spec == b.spec and a.expected == b.expected
    first_name = a.expected["projects"][0]["name"]
    for fmt in FORMATS:
        data = render(a.spec, fmt)
        assert data == render(b.spec, fmt), f"{family}/{fmt} bytes differ between two renders"
        if fmt == "xlsx":
            wb = load_workbook(io.BytesIO(data))
            text = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
        elif fmt == "docx":
            doc = open_docx(io.BytesIO(data))
            text = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        else:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
        assert first_name in text, f"{family}/{fmt}: project name not found in the file's text"
        assert "产出指标" in text


def test_seeds_vary_the_layout(tune: dict[str, list[str]]) -> None:
    gold = _gold("002", 3)
    options = {json.dumps(generate(gold, "form", s, tune, "tune", "002").spec.options, sort_keys=True)
               for s in range(6)}
    assert len(options) == 6
    modes = {choose_options("form", gold, random.Random(s)).money for s in range(40)}
    assert modes == {"wan", "yuan", "qian"}
    merges = {choose_options("wide", gold, random.Random(s)).level_mode for s in range(40)}
    assert merges == {"merge", "repeat"}


def test_flat_family_one_row_per_indicator_money_in_yuan(tune: dict[str, list[str]]) -> None:
    gold = _gold("002")
    v = generate(gold, "flat", 0, tune, "tune", "002")
    n_indicators = sum(len(p["indicators"]) for p in gold["projects"])
    (table,) = _tables(v)
    assert len(table.rows) - 1 == n_indicators  # one header row
    assert v.spec.options["money"] == "yuan" and v.spec.options["target_mode"] == "split3"
    wb = load_workbook(io.BytesIO(render(v.spec, "xlsx")))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header_at = sum(1 for b in v.spec.sections[0].blocks if not isinstance(b, TableBlock))  # title and note lines
    budget_col = int(v.spec.options["seq_column"]) + v.spec.options["project_columns"].index("budget_total")
    assert rows[header_at][budget_col].startswith(tuple(tune["budget_total"]))
    printed = [r[budget_col] for r in rows[header_at + 1:] if r[budget_col] is not None]
    expected = [round(p["budget"]["total"] * 10000, 2) for p in gold["projects"] for _ in p["indicators"]]
    assert printed == expected
    assert [p["budget"]["total"] for p in v.expected["projects"]] == [p["budget"]["total"] for p in gold["projects"]]


def test_split_targets_concatenate_as_the_format_doc_says() -> None:
    ind = {"target": "不少于5条", "operator": ">=", "value": 5, "unit": "条", "qualitative": False}
    cells, expected = target_cells(ind, "split3")
    assert (cells["nature"].text, cells["target"].text, cells["unit"].text, expected) == ("≥", "5", "条", "≥5条")
    cells, expected = target_cells({"target": "高", "qualitative": True}, "split3")
    assert (cells["nature"].text, cells["target"].text, expected) == ("定性", "高", "高")
    cells, expected = target_cells({"target": "1次", "operator": "=", "value": 1, "unit": "次"}, "split2")
    assert (cells["target"].text, cells["unit"].text, expected) == ("1", "次", "1次")
    _, expected = target_cells({"target": "15-20次", "operator": "between", "value": 15, "unit": "次"}, "split3")
    assert expected == "15-20次"  # not a plain comparison: printed whole in the value column


def test_overall_plus_projects_synthesizes_the_overall_form(tune: dict[str, list[str]]) -> None:
    gold = _gold("002", 4)  # no overall form in this gold
    v = generate(gold, "overall_plus_projects", 0, tune, "tune", "002")
    first = v.expected["projects"][0]
    assert first["kind"] == "overall" and first["name"] == gold["department"]
    assert first["indicators"] and first["budget"]["total"] == pytest.approx(
        sum(p["budget"]["total"] for p in gold["projects"]))
    assert [p["name"] for p in v.expected["projects"][1:]] == [p["name"] for p in gold["projects"]]
    (table,) = _tables(v)  # one table: the overall form, then the project forms
    assert any(c.text == gold["department"] for row in table.rows for c in row)
    kept = generate(_gold("000"), "overall_plus_projects", 0, tune, "tune", "000")
    assert [p["name"] for p in kept.expected["projects"]] == [p["name"] for p in _gold("000")["projects"]]


def test_money_axis_keeps_the_expected_budget_in_wan(tune: dict[str, list[str]]) -> None:
    gold = _gold("004", 3)
    totals = [p["budget"]["total"] for p in gold["projects"]]
    for seed in range(8):
        v = generate(gold, "form", seed, tune, "tune", "004")
        assert [p["budget"]["total"] for p in v.expected["projects"]] == totals


def test_pools_are_disjoint_and_cover_every_field() -> None:
    tune, heldout = load_pool("tune"), load_pool("heldout")
    for field in FIELDS:
        assert len(tune[field]) >= 3 and len(heldout[field]) >= 3, f"{field}: too few names"
        both = set(tune[field]) & set(heldout[field])
        assert not both, f"{field}: {len(both)} header name(s) in both pools"
    master = {f: [f"{f}{i}" for i in range(9)] for f in FIELDS}
    a, b = split_pool(master, 7)
    assert (a, b) == split_pool(master, 7)
    for f in FIELDS:
        assert sorted(a[f] + b[f]) == sorted(master[f]) and not set(a[f]) & set(b[f])


def test_run_layout_eval_end_to_end_and_floors(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "t.json").write_text(json.dumps(_gold("002", 2), ensure_ascii=False), encoding="utf-8")
    report = run_layout_eval(gold_dir, tmp_path / "work", "tune", ["xlsx"], get_settings(), "rules", seeds=(0,))
    pool = report["pools"]["tune"]
    assert report["variants"] == len(FAMILIES) and len(pool["files"]) == len(FAMILIES)
    assert set(pool["by_family"]) == set(FAMILIES) and 0.0 <= pool["by_format"]["xlsx"]["field_f1"] <= 1.0
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"layouts": {"rules": {"tune": {"field_f1": {"xlsx": 1.01}}}}}), encoding="utf-8")
    assert check_layout_floors(report, floors) == [f"layouts/tune/xlsx: field F1 "
                                                    f"{pool['by_format']['xlsx']['field_f1']:.4f} < floor 1.0100"]
    floors.write_text(json.dumps({"layouts": {"rules": {"heldout": {"field_f1": {"xlsx": 1.01}}}}}), encoding="utf-8")
    assert check_layout_floors(report, floors) == []  # held-out pool not run: nothing to check


def test_cli_refuses_an_unknown_pool() -> None:
    result = CliRunner().invoke(app, ["eval", "--layouts", "--pool", "nope", "--backend", "rules"])
    assert result.exit_code == 2
