"""绩效目标审核: every rule fires on a project that breaks it and stays quiet on one that does not; the rule file
switches rules and thresholds; `jixiao audit` and the 审核意见表 exports."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit import Finding, audit_document, load_rules
from audit.html import to_html
from audit.model import AuditReport, RuleSet
from audit.report import to_json, to_table, to_xlsx
from eval.audit_eval import check_audit_floors, run_audit_eval
from extractor.schema import Budget, Document, Indicator, Project
from extractor.values import parse_target
from kernel.errors import RulesError

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()


def ind(level1: str, level2: str | None, name: str, target: str, **kw: object) -> Indicator:
    """An indicator row with its target read the way extraction reads it."""
    p = parse_target(target)
    fields = {"operator": p.operator, "value": p.value, "value_max": p.value_max, "unit": p.unit,
              "qualitative": p.qualitative}
    return Indicator(level1=level1, level2=level2, name=name, target=target, confidence=1.0,
                     **{**fields, **kw})


def clean_project(name: str = "政法干部业务培训经费") -> Project:
    """A project a careful reviewer signs off: every family and dimension, numbers, a satisfaction row."""
    return Project(kind="project", name=name, budget=Budget(total=10.0, fiscal=10.0),
                   goal="组织全市政法干部业务培训，提升执法办案能力。",
                   indicators=[ind("产出指标", "数量指标", "培训人数", "≥100人"),
                               ind("产出指标", "质量指标", "培训合格率", "≥95%"),
                               ind("产出指标", "时效指标", "培训完成时间", "12月底前完成"),
                               ind("产出指标", "成本指标", "人均培训成本", "≤500元/人"),
                               ind("效益指标", "社会效益指标", "执法办案能力", "明显"),
                               ind("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%")])


def doc(*projects: Project) -> Document:
    return Document(source="t.pdf", sha256="0" * 64, department="某某市委政法委", fiscal_year=2024,
                    projects=list(projects))


def rules_of(report: AuditReport) -> set[str]:
    return {f.rule for f in report.findings}


def edit(project: Project, n: int, **changes: object) -> Project:
    """The project with indicator n replaced (targets re-read), or removed when changes is empty."""
    rows = list(project.indicators)
    if not changes:
        rows.pop(n)
    else:
        old = rows[n]
        target = str(changes.pop("target", old.target))
        rows[n] = ind(str(changes.pop("level1", old.level1)), changes.pop("level2", old.level2),  # type: ignore[arg-type]
                      str(changes.pop("name", old.name)), target, **changes)
    return project.model_copy(update={"indicators": rows})


def test_clean_project_has_no_findings() -> None:
    assert audit_document(doc(clean_project()), RULES).findings == []


BREAKS: dict[str, Callable[[Project], Project]] = {
    "COMP-NO-OUTPUT": lambda p: p.model_copy(update={"indicators": p.indicators[4:]}),
    "COMP-NO-OUTCOME": lambda p: edit(p, 4),
    "COMP-OUTPUT-DIMENSIONS": lambda p: edit(p, 2),
    "COMP-NO-SATISFACTION": lambda p: edit(p, 5),
    "COMP-NO-TARGET": lambda p: edit(p, 1, target=""),
    "COMP-NO-NAME": lambda p: edit(p, 0, name=""),
    "MEAS-LOW-QUANT-SHARE": lambda p: edit(edit(edit(p, 0, target="较多"), 1, target="较好"), 5, target="满意"),
    "MEAS-PLACEHOLDER": lambda p: edit(p, 4, target="高中低"),
    "MEAS-COST-NO-AMOUNT": lambda p: edit(p, 3, target="按标准执行"),
    "MEAS-QUANTITY-QUALITATIVE": lambda p: edit(p, 0, target="按实际需要"),
    "CONS-TIME-NO-TIME": lambda p: edit(p, 2, name="培训工作", target="=100%"),
    "MEAS-VAGUE-TARGET": lambda p: edit(p, 4, target="明显提升"),
    "CONS-DIRECTION": lambda p: edit(p, 1, direction="negative"),
    "CONS-RATE-OVER-100": lambda p: edit(p, 1, target="=120%"),
    "CONS-SATISFACTION-RANGE": lambda p: edit(p, 5, target="=100%"),
    "CONS-DUPLICATE": lambda p: p.model_copy(update={"indicators": [*p.indicators, p.indicators[0]]}),
    "MONEY-COST-OVER-BUDGET": lambda p: edit(p, 3, name="培训总成本", target="≤12万元"),
    "MONEY-BUDGET-PARTS": lambda p: p.model_copy(update={"budget": Budget(total=10.0, fiscal=8.0, other=1.0)}),
}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_each_project_rule_fires_on_a_breaking_project_only(rule: str) -> None:
    broken = BREAKS[rule](clean_project())
    assert rule in rules_of(audit_document(doc(broken), RULES))
    assert rule not in rules_of(audit_document(doc(clean_project()), RULES))


def distinct(p: Project, tag: str) -> Project:
    """The same project with its own goal and indicator names (so copy-paste rules stay quiet)."""
    rows = [i.model_copy(update={"name": f"{i.name}（{tag}）"}) for i in p.indicators]
    return p.model_copy(update={"goal": f"{tag}：{p.goal}", "indicators": rows})


def test_finding_cites_the_project_and_indicator_with_chinese_text() -> None:
    report = audit_document(doc(clean_project("甲"), distinct(edit(clean_project("乙"), 4, target="持续推进"), "乙")),
                            RULES)
    (f,) = report.findings
    assert (f.rule, f.severity, f.project_index, f.project) == ("MEAS-VAGUE-TARGET", "警告", 1, "乙")
    assert f.indicators == [4] and f.indicator_names == ["执法办案能力（乙）"]
    assert "持续推进" in f.explanation and f.explanation.endswith("。") and f.suggestion
    with pytest.raises(ValueError):
        Finding.model_validate({**f.model_dump(), "extra": 1})  # extra="forbid"


def test_weights_follow_the_total_the_document_agrees_on() -> None:
    def weighted(name: str, weights: Sequence[float]) -> Project:
        p = clean_project(name)
        rows = [i.model_copy(update={"weight": w}) for i, w in zip(p.indicators, weights, strict=True)]
        return p.model_copy(update={"indicators": rows})

    ninety = [20, 20, 10, 10, 20, 10]
    projects = [distinct(weighted("甲", ninety), "甲"), distinct(weighted("乙", ninety), "乙"),
                distinct(weighted("丙", [20, 20, 10, 10, 10, 10]), "丙")]
    report = audit_document(doc(*projects), RULES)
    assert [(f.rule, f.project) for f in report.findings] == [("CONS-WEIGHT-SUM", "丙")]
    assert "本表其他项目的合计90" in report.findings[0].explanation
    # alone, 90 (10 kept for 预算执行率) and 100 both pass; 95 does not
    assert not audit_document(doc(weighted("甲", ninety)), RULES).findings
    assert rules_of(audit_document(doc(weighted("甲", [25, 20, 10, 10, 20, 10])), RULES)) == {"CONS-WEIGHT-SUM"}
    missing = weighted("甲", ninety)
    missing = missing.model_copy(update={"indicators": [missing.indicators[0].model_copy(update={"weight": None}),
                                                        *missing.indicators[1:]]})
    (f,) = audit_document(doc(missing), RULES).findings
    assert f.rule == "CONS-WEIGHT-SUM" and f.indicators == [0]


def test_document_rules_projects_over_overall_and_copy_paste() -> None:
    overall = Project(kind="overall", name="某某市委政法委", budget=Budget(total=5.0),
                      indicators=clean_project().indicators)
    report = audit_document(doc(overall, clean_project()), RULES)
    assert [(f.rule, f.project_index) for f in report.findings] == [("MONEY-PROJECTS-OVER-OVERALL", 0)]
    assert not audit_document(doc(overall.model_copy(update={"budget": Budget(total=12.0)}), clean_project()),
                              RULES).findings
    twins = audit_document(doc(clean_project("甲"), clean_project("乙")), RULES)
    assert {(f.rule, f.project) for f in twins.findings} == {("COPY-INDICATORS", "甲"), ("COPY-INDICATORS", "乙"),
                                                             ("COPY-GOAL", "甲"), ("COPY-GOAL", "乙")}
    assert not audit_document(doc(clean_project("甲"), distinct(clean_project("乙"), "乙")), RULES).findings


@pytest.mark.parametrize(("change", "quiet"), [
    # level names vary: 社会效益指标 as a level 1 is 效益; 成本指标 as a level 1 is a cost row
    (lambda p: edit(p, 4, level1="社会效益指标"), True),
    (lambda p: edit(p, 3, level1="成本指标", level2="经济成本指标"), True),
    (lambda p: edit(p, 4, target="良好"), True),  # a grade, not an option list
    (lambda p: edit(p, 4, target="严格按照有关规定执行"), True),
    (lambda p: edit(p, 4, target="不发生重大安全事故"), True),
    (lambda p: edit(p, 2, name="培训频次", target="≥4次/年"), True),  # a frequency is a time
    (lambda p: edit(p, 3, target="≤5000元/人"), True),  # a unit cost is not the project total
    (lambda p: edit(p, 3, name="培训总成本", target="≤9000元"), True),  # 0.9 万元 ≤ 10
    (lambda p: edit(p, 1, name="培训人数增长率", target="≥150%"), True),  # growth may pass 100
    (lambda p: edit(p, 5, target="≥95%"), True),
    (lambda p: edit(p, 3, name="月均培训费", target="≤9000元/月"), False),  # ×12 = 10.8 万元 > 10
])
def test_precision_cases(change: Callable[[Project], Project], quiet: bool) -> None:
    findings = audit_document(doc(change(clean_project())), RULES).findings
    assert (findings == []) is quiet, findings


def test_one_weak_target_is_one_finding() -> None:
    p = edit(clean_project(), 0, target="明显提升")  # a 数量 row with a vague target
    assert [f.rule for f in audit_document(doc(p), RULES).findings] == ["MEAS-QUANTITY-QUALITATIVE"]


def write_rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "own.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rule_file_switches_a_rule_off_and_changes_a_threshold(tmp_path: Path) -> None:
    vague = doc(edit(clean_project(), 4, target="明显提升"))
    assert "MEAS-VAGUE-TARGET" in rules_of(audit_document(vague, RULES))
    own = load_rules(write_rules(tmp_path, """
version = "bureau-1"
[rules.MEAS-VAGUE-TARGET]
enabled = false
[rules.MEAS-LOW-QUANT-SHARE.params]
threshold = 0.9
[rules.COMP-NO-COST]
enabled = true
"""))
    assert own.version == "bureau-1" and own.origin[-1].endswith("own.toml")
    found = rules_of(audit_document(vague, own))
    assert "MEAS-VAGUE-TARGET" not in found
    assert "MEAS-LOW-QUANT-SHARE" in found  # 5 of 6 quantitative < 0.9
    assert "MEAS-LOW-QUANT-SHARE" not in rules_of(audit_document(vague, RULES))
    assert "COMP-NO-COST" in rules_of(audit_document(doc(edit(clean_project(), 3)), own))
    assert own.rules["MEAS-LOW-QUANT-SHARE"].params["min_indicators"] == 3  # untouched params are kept


def test_disabled_rule_in_a_group_lets_the_next_one_report(tmp_path: Path) -> None:
    own = load_rules(write_rules(tmp_path, "[rules.MEAS-PLACEHOLDER]\nenabled = false\n"))
    placeholder = doc(edit(clean_project(), 4, target="高中低"))
    assert rules_of(audit_document(placeholder, RULES)) == {"MEAS-PLACEHOLDER"}
    assert rules_of(audit_document(placeholder, own)) == {"MEAS-VAGUE-TARGET"}


@pytest.mark.parametrize("text", [
    "[rules.NO-SUCH-RULE]\nenabled = false\n",
    "[rules.MEAS-LOW-QUANT-SHARE.params]\nthreshold = \"half\"\n",
    "[rules.MEAS-LOW-QUANT-SHARE.params]\nthreshhold = 0.4\n",
    "[rules.MEAS-VAGUE-TARGET]\nseverity = \"严重\"\n",
    "this is = = not toml",
])
def test_bad_rule_files_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(RulesError):
        load_rules(write_rules(tmp_path, text))


def test_missing_rule_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError):
        load_rules(tmp_path / "absent.toml")


def test_shipped_rules_are_package_data() -> None:
    assert isinstance(RULES, RuleSet) and RULES.version and len(RULES.rules) >= 20
    assert not RULES.rules["COMP-NO-COST"].enabled


# ---- the 审核意见表 ----

HOSTILE = ["=SUM(1,2)", "+8613800000000", "<script>alert(1)</script>", "@cmd", "-1+2"]


def hostile_report() -> AuditReport:
    f = Finding(rule="MEAS-VAGUE-TARGET", title="指标值模糊、不可衡量", category="可衡量性", severity="警告",
                project_index=0, project=HOSTILE[0], indicators=[0], indicator_names=[HOSTILE[1]],
                explanation=HOSTILE[2], suggestion=HOSTILE[3], source=HOSTILE[4], department="某某市委政法委")
    return AuditReport(source="x.pdf", department="某某市委政法委", fiscal_year=2024, rules_version="t",
                       projects=1, findings=[f])


def test_xlsx_cells_are_strings_and_formula_text_stays_text() -> None:
    wb = load_workbook(io.BytesIO(to_xlsx([hostile_report()], "t")))
    ws = wb["某某市委政法委"]
    assert ws["A1"].value == "某某市委政法委 绩效目标审核意见表"
    header = [c.value for c in ws[4]]
    assert header[:3] == ["序号", "项目", "审核要点"]
    row = list(ws[5])
    assert [c.value for c in row][1] == "=SUM(1,2)"
    assert all(c.data_type == "s" for c in row)  # never "f": text beginning with = + - @ stays text
    assert set(HOSTILE) <= {c.value for c in row}
    summary = [[c.value for c in r] for r in wb["汇总"].iter_rows()]
    assert summary[1][:2] == ["某某市委政法委", 2024] and summary[1][3:7] == [1, 0, 1, 0], "numbers are numbers"
    assert all(c.data_type == "s" for r in wb["汇总"].iter_rows() for c in r if isinstance(c.value, str))


def test_html_is_escaped_chinese_and_printable() -> None:
    page = to_html([hostile_report()], "t")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'lang="zh-CN"' in page and "审核意见" in page and "@media print" in page and "修改建议" in page


def test_table_and_json_outputs() -> None:
    report = hostile_report()
    assert "MEAS-VAGUE-TARGET" in to_table([report]) and "x.pdf" in to_table([report])
    assert json.loads(to_json([report]))["reports"][0]["findings"][0]["project"] == "=SUM(1,2)"


# ---- eval ----

def test_audit_eval_meets_its_floor_and_reports_failures() -> None:
    report = run_audit_eval(ROOT / "eval" / "gold", ROOT / "eval" / "audit" / "labels", RULES)
    assert check_audit_floors(report, ROOT / "eval" / "floors.json") == []
    assert report["gold"]["overall"]["tp"] >= 100
    worse = {"gold": {"overall": {"precision": 0.5, "recall": 0.99}}}
    assert check_audit_floors(worse, ROOT / "eval" / "floors.json") == ["audit gold precision: 0.5 < floor 0.95"]
