"""Every sample file extracts the projects and indicators a careful reader would list."""

from pathlib import Path

import pytest

from extractor.api import extract
from extractor.schema import Export
from tests.conftest import gold

FILES = [
    ("000", "seeds/000.txt"), ("000", "pdf/000.pdf"), ("000", "docx/000.docx"),
    ("001", "seeds/001.txt"), ("001", "pdf/001.pdf"), ("001", "docx/001.docx"),
    ("002", "seeds/002.txt"), ("002", "pdf/002.pdf"), ("002", "xlsx/002.xlsx"),
    ("004", "seeds/004.txt"), ("004", "pdf/004.pdf"),
]


@pytest.mark.parametrize(("doc_id", "rel"), FILES)
def test_projects_and_indicators_match_gold_counts(corpus: Path, doc_id: str, rel: str) -> None:
    result = extract(corpus / rel)
    assert result.document is not None, result.errors
    doc = result.document
    want = gold(doc_id)
    assert doc.department == want["department"]
    got_names = [p.name for p in doc.projects]
    want_names = [p["name"] for p in want["projects"]]
    assert got_names == want_names
    got = sum(len(p.indicators) for p in doc.projects)
    want_n = sum(len(p["indicators"]) for p in want["projects"])
    assert abs(got - want_n) <= max(1, want_n // 50), (got, want_n)
    for p in doc.projects:
        for i in p.indicators:
            assert 0 < i.confidence <= 1 and i.origin == "rules"


def test_pdf_rows_carry_page_and_box(corpus: Path) -> None:
    doc = extract(corpus / "pdf" / "002.pdf").document
    assert doc is not None
    inds = [i for p in doc.projects for i in p.indicators]
    assert all(i.page is not None and i.bbox is not None and len(i.bbox) == 4 for i in inds)
    assert max(i.page for i in inds if i.page) > 10


def test_overall_form_and_side_by_side_targets(corpus: Path) -> None:
    doc = extract(corpus / "pdf" / "000.pdf").document
    assert doc is not None and doc.fiscal_year == 2022
    overall, labour, _ = doc.projects
    assert overall.kind == "overall" and overall.budget.total == pytest.approx(4353.02)
    assert labour.kind == "project" and labour.budget.total == pytest.approx(28.2)
    first = labour.indicators[0]
    assert (first.name, first.target, first.operator, first.value, first.unit, first.midterm_target) == (
        "劳务派遣人员数量", "≤6人", "<=", 6, "人", "≤6人")
    cost = next(i for i in overall.indicators if i.name == "赴省差旅费标准")  # printed two columns left
    assert (cost.level1, cost.level2, cost.target, cost.basis) == ("产出指标", "成本指标", "100元/天", "按标准执行")


def test_fused_values_and_split_columns(corpus: Path) -> None:
    doc = extract(corpus / "docx" / "001.docx").document
    assert doc is not None
    fused = next(i for p in doc.projects for i in p.indicators if i.name == "稿件自采自编率")
    assert (fused.operator, fused.value, fused.unit) == (">=", 90, "%")
    doc = extract(corpus / "seeds" / "002.txt").document
    assert doc is not None
    first = doc.projects[0].indicators[1]
    assert (first.name, first.target, first.operator, first.value, first.unit, first.weight, first.direction) == (
        "推广至省级媒体", "≥5条", ">=", 5, "条", 10, "positive")


def test_exports_validate_against_the_json_schema(corpus: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = Export.model_json_schema()
    docs = [r.document for rel in ("pdf/000.pdf", "seeds/004.txt") if (r := extract(corpus / rel)).document]
    payload = Export(documents=docs).model_dump(mode="json")
    jsonschema.validate(payload, schema)
    fields = set(payload["documents"][0]) | set(payload["documents"][0]["projects"][0])
    assert {"source", "sha256", "department", "fiscal_year", "projects", "kind", "budget", "midterm_goal"} <= fields


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).resolve().parents[3] / "shared" / "corpus"
                                                          / "negatives").glob("*.pdf")) or ["none"])
def test_negatives_yield_no_indicators(corpus: Path, name: str) -> None:
    if name == "none":
        pytest.skip("no negatives in this corpus")
    result = extract(corpus / "negatives" / name)
    assert result.document is not None, result.errors
    assert sum(len(p.indicators) for p in result.document.projects) == 0
