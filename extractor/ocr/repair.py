"""Repairs of punctuation the recogniser misreads on blurred, noisy photos, where the print proves what it was."""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.ocr.commas import Tag, opens_clause, word_after
from extractor.textnorm import edits_apart, one_character_apart

# "1,989.76" read with dots: one to three digits, 3-digit groups, a final 2-digit decimal group. Nothing else is
# touched: "1.5", "2021.12.31" or "3.1.2" never take this shape with the middle groups all three digits long.
_DOTTED = re.compile(r"(?<![\d.,，])(\d{1,3})((?:\.\d{3})+)\.(\d{2})(?![\d.]|,\d)")
_KEY = r"(实施周期|年度|中期)\s*[指措]\s*标\s*[值信]"  # 措/信 for 指/值 under blur
# a packed cell's item and level-1 code before a level-1 name: "2、1-产出指标；" read as
# "2. 1产出指标：" or "2.1.产出指标："
# The slot after an item number and a level-1 code holds a level-1 name and nothing else, so a name read one
# character off there (严出指标, 数益指标) is the one level-1 name it is that near, though 支出指标 or 数量指标 is as
# near outside the slot (form_words leaves those).
# the dash after a level-1 code, read as a mark, as nothing, or as a mark and a stray digit ("2.1.7产出指标")
_CODE_DASH = r"(?:[-－.．·•・]\s*\d?)?"
_LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标")
_LEVEL1_NEAR = "|".join("".join("[\u3400-\u9fff]" if i == k else ch for i, ch in enumerate(w))
                        for w in _LEVEL1_NAMES for k in range(len(w) - 2))  # 指标 itself is read as printed
_LEVEL1 = re.compile(r"(?:[.,，。]\s*)?(?<![\d%])(\d{1,2})\s*[、.．,，]\s*([1-4])\s*" + _CODE_DASH + r"\s*"
                     r"(" + _LEVEL1_NEAR + r")\s*[：:；;]?")
# a speck read as a mark between the separator and the code (；.22-社会效益) goes with the repair
_LEVEL2 = re.compile(r"(?:(?<=[；;])\s*[.．,，·•・、]\s*)?(?<!\d)([1-4]\d)\s*[-－.．·•・]?\s*"
                     r"(数量指标|质量指标|时效指标|成本指标|(?:经济|社会|生态)效益(?:指标)?|可持续影响(?:指标)?|服务对象满意度(?:指标)?)\s*[：:；;]?")

_OPENS_PACKED = re.compile(r"\s*" + _LEVEL1.pattern + r"\s*" + _LEVEL2.pattern)

# Under heavy noise a packed cell's keys lose two or three characters (实通尚期摄标值, 实施周值, 年度推值:100%).
# Inside a cell its numbered level names prove packed, a run of Chinese that opens like a key and stands where a key
# stands (before its colon or straight before its value) is that key when at most this many characters differ;
# an indicator's name is never so near (实施方案完成率, 年度预算执行率 are four or more apart).
_KEY_EDITS = {"实施周期指标值": 3, "年度指标值": 2, "中期指标值": 2}
_KEY_RUN = re.compile(r"(?<![\u3400-\u9fff])([实年中][\u3400-\u9fff]{2,7})(\s*[：:]|(?=\s*[\d≥≤=<>＝]))")
# The slot after a level-1 name and a two-digit code holds a level-2 name: 31-版务对象满危度 is 服务对象满意度.
_LEVEL2_NAMES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益", "社会效益", "生态效益", "可持续影响",
                 "服务对象满意度", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
                 "服务对象满意度指标")
_LEVEL2_SLOT = re.compile("(" + "|".join(_LEVEL1_NAMES) + r")；\s*([1-4]\d)\s*[-－.．·•・]?\s*([\u3400-\u9fff]{3,10})"
                          r"(?=\s*[：:；;])")


# The same slot under heavy noise, two characters off (严出排标): taken only inside a cell already proven packed.
_LEVEL1_SLOT = re.compile(r"(?<![\d%])(\d{1,2})\s*[、.．,，]\s*([1-4])\s*" + _CODE_DASH + r"\s*([\u3400-\u9fff]{3,6})"
                          r"(?=\s*[：:；;])")


def _nearest(read: str, names: tuple[str, ...], allowed: int) -> str | None:
    """The one name nearest the reading when it is a misreading (1..allowed characters off), else None."""
    apart = {w: edits_apart(read, w) for w in names}
    best = min(apart.values())
    near = [w for w, d in apart.items() if d == best]
    return near[0] if 0 < best <= allowed and len(near) == 1 else None


def _level1_slot(m: re.Match[str]) -> str:
    name = _nearest(m.group(3), _LEVEL1_NAMES, 2)
    return f"{m.group(1)}、{m.group(2)}-{name}" if name else m.group()


def _loose_key(m: re.Match[str]) -> str:
    read = m.group(1)
    # near in characters, or the long key keeping its opening word and closing 值 (实施网值: 周期指标 lost in a blot)
    near = [k for k, edits in _KEY_EDITS.items() if read[0] == k[0]
            and (edits_apart(read, k) <= edits or (len(k) > 5 and read[:2] == k[:2] and read[-1] == k[-1]))]
    return f"{near[0]}：" if near and read != near[0] else m.group()


def _level2(m: re.Match[str]) -> str:
    """A level-2 slot's reading as the one level-2 name nearest it (a character off, two in a long name)."""
    read = m.group(3)
    name = _nearest(read, _LEVEL2_NAMES, 1 if len(read) <= 5 else 2)
    return f"{m.group(1)}；{m.group(2)}-{name}" if name else m.group()


def _level1(read: str) -> str:
    """The level-1 name a reading in the level-1 slot is (itself, or the only one a character away)."""
    near = [w for w in _LEVEL1_NAMES if w == read or one_character_apart(read, w)]
    return near[0] if len(near) == 1 else read


# A dot between two Chinese characters is a comma the recogniser read small (电视.报纸.网络): Chinese text never
# prints a full stop as "." mid-sentence. A compound unit after a slash (元/人.年) is printed as it reads. Which comma:
# the enumeration comma 、 (between listed words), unless the word after it is a verb or adverb opening a clause
# (宣传.持续维护, 评查.执法公信力), where Chinese prints ，.
_DOT_BETWEEN_WORDS = re.compile(r"(?<=[\u3400-\u9fff])(?<!/[\u3400-\u9fff])[.．](?=[\u3400-\u9fff“‘])")


def enumeration_commas(text: str, tags: Callable[[], Tag] | None = None) -> str:
    """'电视.报纸' as '电视、报纸': a dot between Chinese words, outside a unit, is the comma it was printed as — ，
    when `tags` (loading a dictionary's parts of speech, only when a dot is found) says a clause opens after it."""
    if tags is None or not _DOT_BETWEEN_WORDS.search(text):
        return _DOT_BETWEEN_WORDS.sub("、", text)
    tag = tags()

    def comma(m: re.Match[str]) -> str:
        after = word_after(text, m.end(), tag)
        return "，" if after and opens_clause(tag(after)) else "、"

    return _DOT_BETWEEN_WORDS.sub(comma, text)


def dotted_thousands(text: str) -> str:
    """'1.989.76' as '1,989.76': a number whose grouping proves the dots were thousands separators."""
    return _DOTTED.sub(lambda m: m.group(1) + m.group(2).replace(".", ",") + "." + m.group(3), text)


def packed_punctuation(text: str) -> str:
    """A cell packing numbered indicators ("1、1-产出指标；11-数量指标；名称；年度指标值：…。2、…") with its
    separators restored where OCR read "；" as "：", "、" or "-" as "." and "。" as "." or ",".

    Only a cell holding two or more keyed targets and a numbered level name is touched, or one that opens with an
    item's level-1 and level-2 names (its first piece, cut off by a page break before its targets): there the
    layout of the text says which mark each must be.
    """
    loose = _LEVEL1_SLOT.sub(_level1_slot, _KEY_RUN.sub(_loose_key, text))
    keyed = len(re.findall(_KEY, loose)) >= 2 and _LEVEL1.search(loose)
    if not keyed and not _OPENS_PACKED.match(text):
        return text
    # a key's colon read as "." or lost (年度指标值100%): in a packed cell the key is followed by its target
    text = re.sub(r"\s*[：:；;]?\s*" + _KEY + r"\s*[：:.．,，]?\s*", lambda m: f"；{m.group(1)}指标值：", loose)
    text = _LEVEL1.sub(lambda m: f"{'。' if m.start() else ''}{m.group(1)}、{m.group(2)}-{_level1(m.group(3))}；", text)
    text = _LEVEL2_SLOT.sub(_level2, text)
    text = _LEVEL2.sub(lambda m: f"{m.group(1)}-{m.group(2)}；", text)
    text = re.sub(r"；\s*；", "；", text)
    return re.sub(r"(?<=\D)[.,，]\s*$", "。", text)


# The form's own words, which OCR misreads one character at a time under blur and noise (实地周期 for 实施周期,
# 满范度 for 满意度, 措标 for 指标). Kept here rather than taken from layout's vocabulary: OCR and layout are
# sibling stages that may not import each other.
_FORM_WORDS = ("实施周期指标值", "年度指标值", "中期指标值", "服务对象满意度指标", "服务对象满意度",
               "可持续影响指标", "可持续影响", "经济效益指标", "社会效益指标", "生态效益指标", "经济效益", "社会效益",
               "生态效益", "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
               "正向指标", "反向指标")
# Printed words one character away from a form word (headers, other frameworks' level names): never "repaired".
_OTHER_WORDS = frozenset(("绩效指标", "实效指标", "成效指标", "效率指标", "效果指标", "支出指标", "投入指标",
                          "过程指标", "社会效应", "环境效益", "管理效率", "服务对象满意率", "双向指标"))
# and any piece of a longer form word: a cell or page break cuts 实施周期指标值 into 实施 | 周期指标值, which is
# one character from 中期指标值 but was printed as it reads
_PIECES = frozenset(w[i:j] for w in _FORM_WORDS for i in range(len(w)) for j in range(i + 1, len(w) + 1))
_CJK = "\u3400-\u9fff"
_LONG = 7  # a form word this long is recognised inside a run of Chinese; a shorter one must stand alone


def _near(word: str) -> str:
    """A pattern for the word with one of its characters read as any other Chinese character."""
    alts = ["".join(f"[{_CJK}]" if i == k else re.escape(ch) for i, ch in enumerate(word)) for k in range(len(word))]
    body = "(?:" + "|".join(alts) + ")"
    return body if len(word) >= _LONG else f"(?<![{_CJK}]){body}(?![{_CJK}])"


_NEAR = re.compile("|".join(_near(w) for w in sorted(_FORM_WORDS, key=len, reverse=True)))


def _form_word(m: re.Match[str]) -> str:
    read = m.group()
    if read in _PIECES or read in _OTHER_WORDS:
        return read
    # 目标 for 指标 is another printed word (年度目标值), not a misreading; a reading as near a printed word that is
    # no form word (纺效指标: 绩效指标 or 时效指标) cannot be told either
    near = {w for w in (*_FORM_WORDS, *_OTHER_WORDS) if one_character_apart(read, w) and "目标" not in read}
    word = near.pop() if len(near) == 1 else read
    return word if word in _FORM_WORDS else read


def form_words(text: str) -> str:
    """The form's fixed words (level names, keyed labels, headers) where OCR misread a character of them.

    Only a reading no printed word spells, one character from exactly one form word, is changed; a short form word
    must stand alone (not inside a longer run of Chinese) to be recognised at all.
    """
    return _NEAR.sub(_form_word, text)
