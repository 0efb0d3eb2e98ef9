"""Differences between two versions, field by field: what a person reads in the upload decision and 版本."""

from __future__ import annotations

from extractor.schema import Budget, Document, Indicator, Project
from retrieval.store.version_diff import record_changes


def _ind(name: str, target: str, level2: str = "数量指标") -> Indicator:
    return Indicator(level1="产出指标", level2=level2, name=name, target=target, confidence=0.9, origin="rules")


def _doc(*projects: Project) -> Document:
    return Document(source="a.xlsx", sha256="0" * 64, department="某局", fiscal_year=2024, projects=list(projects))


def _project(name: str, total: float, *indicators: Indicator) -> Project:
    return Project(kind="project", name=name, budget=Budget(total=total), indicators=list(indicators))


def test_changed_fields_per_record_and_records_only_one_side_has() -> None:
    old = _doc(_project("调解", 1150, _ind("案件数", "≥30"), _ind("培训", "≥2次"), _ind("培训", "≥3次")),
               _project("普法", 10, _ind("讲座", "≥5场")))
    new = _doc(_project("调解", 1200, _ind("案件数", "≥35"), _ind("培训", "≥2次"), _ind("培训", "≥4次"),
                        _ind("满意度", "≥95%", "满意度")),
               _project("援助", 20))
    assert [c.line() for c in record_changes(old, new)] == [
        "调解：预算 1,150.00 → 1,200.00",
        "调解 / 案件数：指标值 ≥30 → ≥35",
        "调解 / 培训：指标值 ≥3次 → ≥4次",  # a repeated name pairs in printed order
        "调解 / 满意度：新增",
        "援助：新增",
        "普法：删除",
    ]


def test_the_same_reading_has_no_differences() -> None:
    doc = _doc(_project("调解", 30, _ind("案件数", "≥30")))
    assert record_changes(doc, doc.model_copy(deep=True)) == []
