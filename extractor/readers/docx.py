"""Word documents: body paragraphs and tables in order, merged cells collapsed to one anchored cell."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from extractor.grid import Block, Cell, DocumentGrid, Table, TextLine
from extractor.readers.limits import Limits
from extractor.textnorm import clean_cell
from kernel.errors import CorruptFileError, EncryptedFileError

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _text(el: etree._Element) -> str:
    paras = []
    for p in el.iter(f"{{{_W}}}p"):
        parts = [t.text or "" for t in p.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br")
                 if t.tag == f"{{{_W}}}t"]
        paras.append("".join(parts))
    return "\n".join(paras)


def _span(pr: etree._Element) -> int:
    gs = pr.find("w:gridSpan", _NS)
    value = gs.get(f"{{{_W}}}val", "1") if gs is not None else "1"
    try:
        return max(1, int(value))
    except ValueError:
        return 1  # a malformed span is no span


def _table(tbl: etree._Element, index: int, limits: Limits) -> Table:
    # Word repeats nothing in XML: a horizontal merge is one w:tc with gridSpan, a vertical
    # merge is a w:tc with vMerge="continue" under the anchor. Rebuild anchors with spans.
    cells: list[Cell] = []
    open_vertical: dict[int, Cell] = {}
    n_cols = 0
    rows = tbl.findall("w:tr", _NS)
    limits.check_table(len(rows), 1)
    for r, tr in enumerate(rows):
        col = 0
        for tc in tr.findall("w:tc", _NS):
            pr = tc.find("w:tcPr", _NS)
            span = 1
            vmerge = None
            if pr is not None:
                span = _span(pr)
                vm = pr.find("w:vMerge", _NS)
                if vm is not None:
                    vmerge = vm.get(f"{{{_W}}}val", "continue")
            if vmerge == "continue" and col in open_vertical:
                open_vertical[col].rowspan = r - open_vertical[col].row + 1
            else:
                cell = Cell(row=r, col=col, text=clean_cell(_text(tc)), colspan=span)
                cells.append(cell)
                if vmerge == "restart":
                    open_vertical[col] = cell
                else:
                    open_vertical.pop(col, None)
            col += span
            # Spans are checked as they are read: a gridSpan of 2e9 must not become a 2e9-column grid downstream.
            limits.check_table(len(rows), col)
        n_cols = max(n_cols, col)
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, source=f"table {index}",
                 row_pages=[None] * len(rows))


def _blocks(parent: Any) -> Iterator[Any]:
    """Body-level tables and paragraphs in order, including those inside content controls (w:sdt) and custom XML."""
    for el in parent:
        if el.tag in (f"{{{_W}}}tbl", f"{{{_W}}}p"):
            yield el
        elif el.tag == f"{{{_W}}}sdt":
            content = el.find("w:sdtContent", _NS)
            if content is not None:
                yield from _blocks(content)
        elif el.tag == f"{{{_W}}}customXml":
            yield from _blocks(el)


def read_docx(data: bytes, limits: Limits | None = None) -> DocumentGrid:
    """Read a .docx file (within `limits`: zip contents before unpacking, table sizes and spans as read)."""
    limits = limits or Limits()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedFileError("Word 文件已加密或为旧版 .doc 格式，无法读取")
    try:
        with limits.check_zip(data) as zf:
            xml = zf.read("word/document.xml")
    except zipfile.BadZipFile as exc:
        raise CorruptFileError("Word 文件已损坏，无法打开") from exc
    except KeyError as exc:
        raise CorruptFileError("不是有效的 Word 文件（缺少 document.xml）") from exc
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError("Word 文件内容已损坏") from exc
    body = root.find("w:body", _NS)
    blocks: list[Block] = []
    if body is None:
        return DocumentGrid(blocks=blocks)
    n_tables = 0
    for el in _blocks(body):
        if el.tag == f"{{{_W}}}tbl":
            n_tables += 1
            blocks.append(_table(el, n_tables, limits))
        elif el.tag == f"{{{_W}}}p":
            text = clean_cell(_text(el))
            if text:
                blocks.append(TextLine(text))
    return DocumentGrid(blocks=blocks, n_pages=1)
