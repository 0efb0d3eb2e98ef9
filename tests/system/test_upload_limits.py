"""An upload over the size limit is refused from its declared size, before its bytes are copied out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.runtime.uploaded_file_manager import UploadedFile
from streamlit.testing.v1 import AppTest


def test_oversized_upload_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from kernel.settings import get_settings

    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JIXIAO_MAX_FILE_MB", "0.001")  # about 1 KB
    get_settings.cache_clear()
    st.cache_resource.clear()

    real = UploadedFile.getvalue

    def never(self: UploadedFile) -> bytes:
        # The test harness reads uploads on every run; only the upload page must not.
        if sys._getframe(1).f_globals.get("__name__") == "webui.upload":
            raise AssertionError("the upload was read before its size was checked")
        return real(self)

    monkeypatch.setattr(UploadedFile, "getvalue", never)
    try:
        at = AppTest.from_string("from webui import upload\nupload.render()\n", default_timeout=120).run()
        at.file_uploader[0].set_value([("big.txt", "项目名称\t预算\n".encode() * 500, "text/plain")]).run()
        at.button(key="start_upload").click().run()
        assert not at.exception
        shown = " ".join(str(getattr(e, "value", "")) for e in [*at.markdown, *at.error, *at.dataframe])
        shown += " ".join(str(s.label) for s in at.status)
        assert "big.txt" in shown and "失败" in shown, shown
        assert "JIXIAO_MAX_FILE_MB" in shown, shown
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
