"""Record text on a page stays text: Markdown escaped, page images inline (no /media URL outliving a session)."""

from __future__ import annotations

import base64
import re

import streamlit as st

# Characters Markdown reads as links, images, HTML, emphasis, code, tables or math anywhere in a line; a
# backslash shows each as itself. Block markers (#, -, +, 1.) matter only at a line's start.
_MARKDOWN = re.compile(r"([\\`*_\[\]()!<>~|$:])")
_LINE_START = re.compile(r"^(\s*)([#+\-=])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md(text: object) -> str:
    """Text read from a file, escaped so Markdown shows it as printed (no links, images or emphasis)."""
    escaped = _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", escaped))


def dotted(*parts: object) -> str:
    """Parts joined by " · ", the empty ones left out (no "部门 · · 有待审核" when the year was not read)."""
    return " · ".join(str(p) for p in parts if p is not None and p == p and str(p).strip())  # p == p: not NaN


_LINKS = re.compile(r"([\[\]()!<>:\\])")


def md_links(text: str) -> str:
    """Composed text (an answer) keeps its emphasis and lists, but no record text in it becomes a link or image."""
    return _LINKS.sub(r"\\\1", text)


def inline_image(png: bytes, caption: str, zoom: int = 100) -> None:
    """A PNG shown as inline data: it is part of the page the gate protects, not a URL anyone can fetch later.

    `zoom` (percent of the column's width) enlarges it inside a frame that scrolls both ways.
    """
    data = base64.b64encode(png).decode("ascii")
    frame = "overflow:auto;max-height:85vh" if zoom > 100 else ""
    st.html(f'<figure style="margin:0"><div style="{frame}"><img src="data:image/png;base64,{data}" '
            f'style="width:{int(zoom)}%;max-width:none" alt="{_html(caption)}"/></div>'
            f'<figcaption style="color:#808495;font-size:0.85rem">{_html(caption)}</figcaption></figure>')


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
