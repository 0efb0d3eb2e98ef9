"""The Streamlit app driven with AppTest: overview, upload, review (edit + save + history), search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_with_ingested

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Path]:
    """A store with two PDFs ingested, and the app's caches pointed at it."""
    files = [corpus / "pdf" / "004.pdf", corpus / "pdf" / "000.pdf"]
    with app_with_ingested(tmp_path_factory.mktemp("appdata"), files) as data:
        yield data


def _page(name: str) -> AppTest:
    script = f"from webui import {name}, sidebar\nsidebar.render()\n{name}.render()\n"
    return AppTest.from_string(script, default_timeout=120)


def test_full_app_starts_on_overview(data_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["部门", "项目", "预算合计（万元）"]
    assert any("中共广州市白云区区委政法委员会" in str(df.value) for df in at.dataframe)


def test_upload_new_duplicate_and_bad_files(data_dir: Path, corpus: Path) -> None:
    at = _page("upload").run()
    good = (corpus / "seeds" / "002.txt").read_bytes()
    at.file_uploader[0].set_value([("002.txt", good, "text/plain"), ("broken.pdf", b"%PDF-1.4 junk", "application/pdf"),
                                   ("004.pdf", (corpus / "pdf" / "004.pdf").read_bytes(), "application/pdf")])
    at.run()
    at.button(key="start_upload").click().run()
    assert not at.exception
    assert any("002.txt" in s.value and "22 个项目" in s.value for s in at.success)
    assert any("broken.pdf" in e.value for e in at.error)
    assert any("004.pdf" in i.value and "重复" in i.value for i in at.info)


def test_review_edit_save_and_history(data_dir: Path) -> None:
    at = _page("review").run()
    assert not at.exception
    doc_box = at.selectbox(key="review_doc")
    doc_box.select(next(o for o in doc_box.options if "000.pdf" in o)).run()
    assert any("data:image/png;base64," in h.value for h in at.html), "the source page image is shown inline"
    at.select_slider(key="review_zoom").set_value(200).run()
    assert any("width:200%" in h.value for h in at.html), "the page can be zoomed"
    project_box = at.selectbox(key="review_project")
    project_box.select(next(o for o in project_box.options if "劳务派遣" in o)).run()
    row_box = at.selectbox(key="review_row")
    row_box.select(next(o for o in row_box.options if o == "服务科室数量")).run()
    ind_id = at.selectbox(key="review_row").value
    at.text_input(key=f"edit_{ind_id}_target").set_value("7个")
    at.text_input(key=f"edit_{ind_id}_why").set_value("与原件核对")
    at.button(key=f"FormSubmitter:edit_{ind_id}-保存该指标").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    assert any("6个" in m.value and "7个" in m.value for m in at.markdown), "history shows old → new"


def test_search_page(data_dir: Path) -> None:
    at = _page("search_page").run()
    at.text_input(key="search_query").set_value("监控探头月租").run()
    assert not at.exception
    assert any("白云区2082支高清摄像机租赁项目" in m.value for m in at.markdown)


def test_ask_page_answers_with_citations_and_follow_up(data_dir: Path) -> None:
    at = _page("ask_page").run()
    at.chat_input[0].set_value("各部门信息化项目预算合计").run()
    assert not at.exception
    assert any("白云" in m.value or "宿州" in m.value for m in at.markdown)
    at.chat_input[0].set_value("那宿州的呢？").run()
    assert not at.exception
    assert len(at.chat_message) == 4
    cite = next(b for b in at.button if b.key.startswith("cite_1_"))
    assert cite.label == "审核页打开"


def test_password_gate_when_configured(data_dir: Path, app_password: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception and not at.metric  # nothing but the login form
    at.text_input(key="login_password").input("wrong").run()
    at.button(key="login_button").click().run()
    assert any("密码不正确" in e.value for e in at.error) and not at.metric
    at.text_input(key="login_password").input("绩效2026").run()
    at.button(key="login_button").click().run()
    assert not at.exception and [m.label for m in at.metric] == ["部门", "项目", "预算合计（万元）"]


def test_oidc_login_page_when_auth_is_configured(data_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s",
                          "client_id": "jixiao", "client_secret": "x",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.run()
    assert not at.exception and not at.metric
    assert [b.label for b in at.button] == ["使用单位账号登录"]
