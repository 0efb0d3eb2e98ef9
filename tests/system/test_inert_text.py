"""Record text is shown as text: a cell with Markdown link or image syntax never becomes a link or an image."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_pointed_at

HOSTILE = "[点此](http://evil.example/x) ![](http://evil.example/track.png)"
TEXT = (f"项目绩效目标表\n项目名称\t社区矫正{HOSTILE}\n年度资金总额\t50\n年度目标\t{HOSTILE}\n"
        f"一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t走访{HOSTILE}\t≥12次\n")


def _live_markdown(values: list[str]) -> list[str]:
    """Markdown sources that would render a link or an image (unescaped `](` or `![`)."""
    return [v for v in values if "](http" in v.replace("\\](", "") or "![" in v.replace("\\!\\[", "")]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:

    from kernel.settings import Settings
    from retrieval.services import Services
    from usecases.batch import ingest_paths

    folder = tmp_path_factory.mktemp("inert")
    (folder / "hostile.txt").write_text(TEXT, encoding="utf-8")
    data = folder / "data"
    ingest_paths(Services(Settings(data_dir=data)), [folder / "hostile.txt"])
    with app_pointed_at(data):
        yield data


def _page(name: str) -> AppTest:
    return AppTest.from_string(f"from webui import {name}\n{name}.render()\n", default_timeout=120)


def test_review_page_shows_record_text_as_text(data_dir: Path) -> None:
    at = _page("review").run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("点此" in v for v in shown)
    assert not _live_markdown(shown)


def test_search_page_shows_record_text_as_text(data_dir: Path) -> None:
    at = _page("search_page").run()
    at.text_input(key="search_query").set_value("社区矫正走访").run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("点此" in v for v in shown)
    assert not _live_markdown(shown)


def test_page_images_are_inline_not_media_urls(data_dir: Path) -> None:
    from webui.safe import inline_image  # noqa: F401  (the review page shows PDF pages through it)

    source = Path(__file__).resolve().parents[2] / "webui" / "review.py"
    assert "st.image(" not in source.read_text(encoding="utf-8")
