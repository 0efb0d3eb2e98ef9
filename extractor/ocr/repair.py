"""Repairs of punctuation the recogniser misreads on blurred, noisy photos, where the print proves what it was."""

from __future__ import annotations

import re

# "1,989.76" read with dots: one to three digits, 3-digit groups, a final 2-digit decimal group. Nothing else is
# touched: "1.5", "2021.12.31" or "3.1.2" never take this shape with the middle groups all three digits long.
_DOTTED = re.compile(r"(?<![\d.,，])(\d{1,3})((?:\.\d{3})+)\.(\d{2})(?![\d.]|,\d)")
_KEY = r"(实施周期|年度|中期)\s*[指措]\s*标\s*[值信]"  # 措/信 for 指/值 under blur
# a packed cell's item and level-1 code before a level-1 name: "2、1-产出指标；" read as
# "2. 1产出指标：" or "2.1.产出指标："
_LEVEL1 = re.compile(r"(?:[.,，。]\s*)?(?<![\d%])(\d{1,2})\s*[、.．,，]\s*([1-4])\s*[-－.．]?\s*"
                     r"(产出|效益|满意度|成本)指标\s*[：:；;]?")
_LEVEL2 = re.compile(r"(?<!\d)([1-4]\d)\s*[-－.．]?\s*(数量指标|质量指标|时效指标|成本指标"
                     r"|(?:经济|社会|生态)效益(?:指标)?|可持续影响(?:指标)?|服务对象满意度(?:指标)?)\s*[：:；;]?")


def dotted_thousands(text: str) -> str:
    """'1.989.76' as '1,989.76': a number whose grouping proves the dots were thousands separators."""
    return _DOTTED.sub(lambda m: m.group(1) + m.group(2).replace(".", ",") + "." + m.group(3), text)


def packed_punctuation(text: str) -> str:
    """A cell packing numbered indicators ("1、1-产出指标；11-数量指标；名称；年度指标值：…。2、…") with its
    separators restored where OCR read "；" as "：", "、" or "-" as "." and "。" as "." or ",".

    Only a cell holding two or more keyed targets and a numbered level name is touched: there the layout of the
    text says which mark each must be.
    """
    if len(re.findall(_KEY, text)) < 2 or not _LEVEL1.search(text):
        return text
    text = re.sub(r"\s*[：:；;]?\s*" + _KEY + r"\s*[：:]\s*", lambda m: f"；{m.group(1)}指标值：", text)
    text = _LEVEL1.sub(lambda m: f"{'。' if m.start() else ''}{m.group(1)}、{m.group(2)}-{m.group(3)}指标；", text)
    text = _LEVEL2.sub(lambda m: f"{m.group(1)}-{m.group(2)}；", text)
    text = re.sub(r"；\s*；", "；", text)
    return re.sub(r"(?<=\D)[.,，]\s*$", "。", text)
