"""审核意见 in the app: the selected project's findings beside the review grid, and findings across departments."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from audit import AuditReport, RuleSet, audit_document, load_rules
from audit.html import to_html
from audit.report import to_xlsx
from kernel.errors import RulesError
from retrieval.store import queries
from retrieval.store.database import Store
from webui.resources import services, settings
from webui.safe import md
from webui.state import ui_state

BADGE = {"错误": ":red-badge[错误]", "警告": ":orange-badge[警告]", "提示": ":blue-badge[提示]"}


def _rules() -> RuleSet | None:
    """The active rule set (shipped, or JIXIAO_AUDIT_RULES merged over it); None with an error shown."""
    try:
        return load_rules(settings().audit_rules)
    except RulesError as exc:
        st.error(f"审核规则文件无效：{exc}")
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def _reports(generation: int, rules_json: str) -> list[dict[str, Any]]:
    """Every current document audited; recomputed when the store changes (generation) or the rules do."""
    return [{"id": doc_id, **r.model_dump()}
            for doc_id, r in _audited(services().store, RuleSet.model_validate_json(rules_json))]


def _audited(store: Store, rules: RuleSet) -> list[tuple[int, AuditReport]]:
    """Every current document's audit report, by document id."""
    found = ((d["id"], store.document(d["id"])) for d in queries.documents(store))
    return [(doc_id, audit_document(document, rules)) for doc_id, document in found if document is not None]


def current_reports(store: Store, rules: RuleSet) -> dict[int, AuditReport]:
    """Audit reports of the current documents by document id (cached per store generation)."""
    return {r["id"]: AuditReport.model_validate({k: v for k, v in r.items() if k != "id"})
            for r in _reports(store.generation(), rules.model_dump_json())}


@st.cache_data(show_spinner=False, max_entries=32)
def _report(document_id: int, generation: int, rules_json: str) -> dict[str, Any] | None:
    """One document audited: the panel after a save re-audits the document it shows, not every current one."""
    document = services().store.document(document_id)
    return None if document is None else audit_document(document, RuleSet.model_validate_json(rules_json)).model_dump()


def _goto(indicator_id: int) -> None:
    """Point the review page's row picker (and the source highlight) at a cited indicator."""
    ui_state().indicator_id = indicator_id
    st.session_state["review_row"] = indicator_id  # a callback may set a widget's value before it is drawn


def render(doc_id: int, project: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The panel for one project: its findings, each able to point the review at the rows it cites."""
    rules = _rules()
    store = services().store
    if rules is None:
        return
    found = _report(doc_id, store.generation(), rules.model_dump_json())
    report = None if found is None else AuditReport.model_validate(found)
    index = next((n for n, p in enumerate(queries.projects(store, doc_id)) if p["id"] == project["id"]), None)
    if report is None or index is None:
        return
    findings = [f for f in report.findings if f.project_index == index]
    counts = {s: sum(f.severity == s for f in findings) for s in BADGE}
    with st.container(border=True, key="audit_panel"):
        st.markdown(f"**审核意见**（{len(findings)}）· " + " · ".join(f"{s} {n}" for s, n in counts.items()))
        if not findings:
            st.success("该项目未发现问题。", icon=":material/task_alt:")
        for n, f in enumerate(findings):
            st.markdown(f"{BADGE[f.severity]} **{md(f.title)}**  \n{md(f.explanation)}  \n"
                        f":gray[建议：{md(f.suggestion)}]")
            if f.indicators and f.indicators[0] < len(rows):
                st.button(f"定位：{md('、'.join(f.indicator_names)[:30])}", key=f"audit_goto_{n}", type="tertiary",
                          on_click=_goto, args=(rows[f.indicators[0]]["id"],))
        _downloads(store, rules, report.department)


def _downloads(store: Store, rules: RuleSet, department: str | None) -> None:
    """The department's 审核意见表 (every current document of that department) as XLSX and HTML.

    Both are made when clicked (every current document audited then), not on each run: a save's rerun paid ~0.15 s.
    """
    def reports() -> list[AuditReport]:
        return [r for _, r in _audited(store, rules) if r.department == department]
    name = department or "未识别部门"
    left, right = st.columns(2)
    left.download_button("下载审核意见表 XLSX", lambda: to_xlsx(reports(), rules.version),
                         file_name=f"{name}审核意见表.xlsx", key="audit_dl_xlsx", on_click="ignore",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("下载审核意见表 HTML", lambda: to_html(reports(), rules.version).encode("utf-8"),
                          file_name=f"{name}审核意见表.html", mime="text/html", key="audit_dl_html", on_click="ignore")


def overview(store: Store, departments: list[str]) -> None:
    """总览 section: findings per department and per rule (charts) and the projects with errors."""
    rules = _rules()
    if rules is None:
        return
    findings = [f for r in current_reports(store, rules).values() for f in r.findings
                if f.department in departments or f.department is None]
    st.subheader("审核意见")
    if not findings:
        st.info("所选部门未发现审核问题。")
        return
    frame = pd.DataFrame([{"部门": f.department or "未识别部门", "规则": f.title, "严重程度": f.severity,
                           "项目": f.project, "文件": f.source, "审核意见": f.explanation} for f in findings])
    left, right = st.columns(2)
    with left:
        st.caption("各部门审核意见（按严重程度）")
        # horizontal: department names are long and read best on their own line
        st.bar_chart(frame.pivot_table(index="部门", columns="严重程度", values="规则", aggfunc="count", fill_value=0),
                     horizontal=True)
    with right:
        st.caption("各规则审核意见数")
        st.bar_chart(frame.groupby("规则").size().sort_values(ascending=False), horizontal=True)
    errors = frame[frame["严重程度"] == "错误"]
    st.caption(f"有“错误”级意见的项目（{errors['项目'].nunique()} 个）")
    st.dataframe(errors[["部门", "项目", "规则", "审核意见", "文件"]], hide_index=True, width="stretch",
                 key="audit_errors")
