"""上传: several files at once, per-file stage and outcome, bad files reported while the rest go on."""

from __future__ import annotations

from functools import partial

import streamlit as st

from extractor.readers.limits import Limits
from kernel.errors import JixiaoError
from kernel.progress import stage_text
from usecases.batch import SUPPORTED
from usecases.ingest import FileOutcome, ingest_one
from usecases.isolated import extract_isolated
from webui import upload_versions
from webui.resources import services, settings
from webui.state import ui_state

TYPES = sorted(suffix.lstrip(".") for suffix in SUPPORTED)  # what ingest accepts, nothing else
# Streamlit prints the uploader's button and limit line in English and has no option for them: CSS hides that text and
# shows Chinese in its place (what CSS cannot reach is listed in the README).
CHROME = """<style>
[data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "选择文件"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] * {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{
  content: "可拖放文件到此处 · 每个文件不超过 {mb} MB"; font-size: 0.875rem; opacity: 0.7; }}
</style>"""


def _ingest_one(name: str, data: bytes, status: st.delta_generator.DeltaGenerator) -> FileOutcome:
    bar = status.progress(0.0, text=f"{name}：读取…")

    def progress(i: int, n: int, stage: str) -> None:
        bar.progress(min(1.0, i / max(n, 1)), text=stage_text(name, i, n, stage))

    try:  # a new version of a stored document is held: the user decides below
        return ingest_one(services(), name, data, who=ui_state().reviewer, progress=progress,
                          extractor=extract_isolated, decide=partial(upload_versions.hold, name, data))
    finally:
        bar.empty()


def render() -> None:
    """The upload page."""
    st.header("上传文件")
    st.caption("支持 PDF（含扫描件）、Word、Excel、图片和文本；可一次选择多个文件。")
    upload_versions.render_pending()
    st.html(CHROME.format(mb=f"{settings().max_file_mb:g}"))
    files = st.file_uploader("选择绩效目标表文件", type=TYPES, accept_multiple_files=True, key="uploader",
                             help=f"可一次选择多个文件，每个不超过 {settings().max_file_mb:g} MB；"
                                  f"支持的格式：{'、'.join(t.upper() for t in TYPES)}")
    if not files or not st.button("开始提取", type="primary", key="start_upload"):
        _show(ui_state().last_upload)
        return
    outcomes = []
    for f in files:
        with st.status(f"处理 {f.name}", expanded=True) as status:
            try:
                Limits.from_settings(settings(), f.name).check_file_size(f.size)  # before the bytes are copied out
                outcome = _ingest_one(f.name, f.getvalue(), status)
            except JixiaoError as exc:
                outcome = FileOutcome(f.name, "failed", str(exc))
            except Exception as exc:  # one bad file must not stop the others
                outcome = FileOutcome(f.name, "failed", f"内部错误：{type(exc).__name__}")
            status.update(label=f"{f.name}：{_label(outcome)}", state="error" if outcome.status == "failed" else
                          "complete", expanded=False)  # open while it runs (stage progress shown), closed when done
        outcomes.append(outcome.__dict__)
    ui_state().last_upload = outcomes
    _show(outcomes)
    upload_versions.render_pending()


def _label(o: FileOutcome) -> str:
    return {"new": "已导入", "superseded": "已导入（替换旧版本）", "duplicate": "重复文件，已跳过",
            "failed": "失败", "pending": "新版本，等待确认", "kept": "已作为新版本保留（非当前版本）",
            "cancelled": "已取消，未导入"}.get(o.status, o.status)


def _show(outcomes: list[dict[str, object]]) -> None:
    if not outcomes:
        return
    st.subheader("结果")
    for o in outcomes:
        status = str(o["status"])
        text = f"**{o['path']}** — {_label(FileOutcome(**o))}"  # type: ignore[arg-type]
        if status == "failed":
            st.error(f"{text}：{o['message']}")
        elif status in ("duplicate", "pending", "kept", "cancelled"):
            st.info(text + (f"：{o['message']}" if status == "pending" else ""))
        elif o.get("review_reasons"):
            st.warning(f"{text}：{o['projects']} 个项目，{o['indicators']} 个指标；需人工审核："
                       + "；".join(map(str, o["review_reasons"])))  # type: ignore[call-overload]
        elif not o["projects"]:
            st.warning(f"{text}：未找到绩效目标表")
        else:
            st.success(f"{text}：{o['projects']} 个项目，{o['indicators']} 个指标"
                       + ("（部分内容需人工审核）" if o["message"] == "partial" else ""))
