"""Read-time text normalisation: compatibility characters, full-width forms, wrapped cell text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# CJK Radicals Supplement characters that PDF fonts emit in place of ordinary ideographs.
# Only radicals that stand for a whole, common character are mapped; the rest have no
# unambiguous reading and are left as they are.
_RADICAL_SUPPLEMENT = {
    "⺠": "民", "⺟": "母", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪", "⺧": "牛", "⺨": "犬",
    "⺩": "王", "⺫": "目", "⺬": "示", "⺭": "示", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "网",
    "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿", "⺻": "聿", "⺼": "肉", "⺽": "臼",
    "⻁": "虎", "⻂": "衣", "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠",
    "⻉": "贝", "⻊": "足", "⻋": "车", "⻏": "邑", "⻐": "钅", "⻑": "長", "⻒": "镸", "⻓": "长",
    "⻔": "门", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯",
    "⻮": "齿", "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
}
# Full-width ASCII that carries meaning in targets (digits, letters, math symbols). CJK
# punctuation such as ，：；（） is ordinary Chinese text and is kept as printed.
_FULLWIDTH_KEEP = set("，：；（）！？")
_TRANSLATE: dict[int, str] = {ord(k): v for k, v in _RADICAL_SUPPLEMENT.items()}
for _cp in range(0x2F00, 0x2FE0):  # Kangxi radicals: NFKC maps each to its ideograph
    _TRANSLATE[_cp] = unicodedata.normalize("NFKC", chr(_cp))
# Control characters (NUL, BEL, ESC…), bidi overrides and zero-width marks are removed once, at read time: they
# carry no meaning in a table, break XLSX exports and can disguise text on screen.
for _cp in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x200B, 0x2010), *range(0x202A, 0x202F),
            *range(0x2066, 0x206A), 0xFEFF]:
    if chr(_cp) not in "\t\n\r":
        _TRANSLATE[_cp] = ""
for _cp in range(0xFF01, 0xFF5F):
    if chr(_cp) not in _FULLWIDTH_KEEP:
        _TRANSLATE[_cp] = chr(_cp - 0xFEE0)
_TRANSLATE[0x3000] = " "  # ideographic space
_TRANSLATE[0x00A0] = " "
for _zw in (0x200B, 0x200C, 0x200D, 0xFEFF):
    _TRANSLATE[_zw] = ""

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_NEWLINE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*|[ \t]*\n[ \t]*(?=[{_CJK}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_WHITESPACE = re.compile(r"\s+")


def normalize_chars(text: str) -> str:
    """Map compatibility radicals and full-width ASCII to ordinary characters."""
    return text.translate(_TRANSLATE)


# A narrow cell wraps inside a dotted run of numbers ("4.25、5.13.7.2\n2等敏感日" is 5.13.7.22): no space there.
_NEWLINE_IN_DOTTED_NUMBER = re.compile(r"(?<=\d\.\d)[ \t]*\n[ \t]*(?=\d)|(?<=\d\.\d\d)[ \t]*\n[ \t]*(?=\d)")


def join_wrapped(text: str) -> str:
    """Join a cell's wrapped lines: no space where Chinese wraps, one space between Latin words."""
    text = _NEWLINE_BETWEEN_CJK.sub("", text)
    text = _NEWLINE_IN_DOTTED_NUMBER.sub("", text)
    text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
    return text.strip()


def clean_cell(text: str | None) -> str:
    """Normalise one cell's text as read from any reader."""
    if not text:
        return ""
    return join_wrapped(normalize_chars(text))


def squash(text: str | None) -> str:
    """Remove all whitespace (for label matching and printed targets)."""
    if text and len(text) <= 256:  # labels and short cells: cached; a long goal text is not kept in memory
        return _squash_short(text)
    return _WHITESPACE.sub("", normalize_chars(text or ""))


@lru_cache(maxsize=8192)  # the layout rules squash the same few hundred short cell texts ~20k times per document
def _squash_short(text: str) -> str:
    return _WHITESPACE.sub("", normalize_chars(text))


def one_character_apart(read: str, word: str) -> bool:
    """Same length, one character different: what one misread character makes of a word."""
    return len(read) == len(word) and sum(a != b for a, b in zip(read, word, strict=True)) == 1


def only_name_one_character_apart(read: str, names: frozenset[str]) -> str | None:
    """The one name a reading is a single misread Chinese character from, or None (none, or several)."""
    near = {name for name in names if one_character_apart(read, name)
            and all(is_cjk(a) and is_cjk(b) for a, b in zip(read, name, strict=True) if a != b)}
    return near.pop() if len(near) == 1 else None


def is_cjk(ch: str) -> bool:
    """Whether a single character is a Chinese character (CJK unified ideographs and extension A)."""
    return len(ch) == 1 and "\u3400" <= ch <= "\u9fff"


def edits_apart(a: str, b: str) -> int:
    """Levenshtein distance: characters misread, dropped or added between a reading and a word."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
