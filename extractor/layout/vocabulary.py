"""Synonym vocabulary: header names, form labels and indicator level names across layouts."""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.textnorm import squash

# Indicator-table columns: field -> printed header names (compared without whitespace).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "指标名称", "绩效指标名称", "三级指标名称"),
    "description": ("绩效指标描述", "指标解释", "指标说明", "指标内容", "指标描述"),
    "target": ("指标值", "年度指标值", "指标目标值", "目标值", "绩效指标值", "年度目标值", "绩效目标值"),
    "midterm_target": ("中期指标值", "实施周期指标值", "中期目标值"),
    "nature": ("指标性质",),
    "unit": ("度量单位", "计量单位", "单位"),
    "weight": ("权重", "分值", "指标分值", "权重(%)", "权重（%）"),
    "direction": ("指标方向性", "指标方向"),
    "basis": ("绩效标准", "指标值确定依据", "评(扣)分标准", "评（扣）分标准", "评分标准", "确定依据", "评扣分标准",
              "指标值说明", "指标值设定依据", "设定依据"),
}
# Columns of a row-per-project (wide) table besides the indicator columns.
WIDE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称", "项目名称(资金使用单位)", "项目名称（资金使用单位）", "项目"),
    "unit_name": ("单位名称", "资金使用单位", "实施单位"),
    "total": ("预算数", "总计", "年度资金总额", "资金总额", "预算金额", "合计", "金额"),
    "fiscal": ("财政拨款", "财政资金", "一般公共预算"),
    "other": ("其他资金",),
    "carryover": ("上年结转", "结转资金"),
    "goal": ("年度目标", "绩效目标", "年度绩效目标", "项目绩效目标"),
    "packed": ("绩效指标",),
    "code": ("项目编码", "项目代码"),
}
# Form labels (label cell -> field). Matched after removing whitespace, colons and 其中.
FORM_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "code": ("项目编码", "项目代码"),
    "unit": ("实施单位", "资金使用单位", "主管部门", "单位名称", "部门(单位)名称", "部门（单位）名称", "部门名称",
             "预算单位", "项目单位", "主管部门及代码"),
    "period": ("项目期", "实施期", "项目周期", "实施周期"),
    "total": ("年度资金总额", "预算数", "年度预算数", "资金总额", "项目总金额", "年度金额"),
    "midterm_total": ("中期资金总额", "中期资金", "实施周期资金总额"),
    "fiscal": ("财政拨款", "财政资金", "一般公共预算拨款"),
    "other": ("其他资金",),
    "carryover": ("上年结转",),
    "goal": ("年度目标", "年度总体目标", "年度绩效目标", "绩效目标", "总体目标", "项目绩效目标", "预期效果"),
    "midterm_goal": ("中期目标", "实施周期目标", "中期绩效目标", "项目总目标"),  # 项目总目标 | 年度总体目标
    "sum_row": ("金额合计", "合计", "总计", "资金合计"),
}
GOAL_PRIORITY = ("年度目标", "年度总体目标", "年度绩效目标", "绩效目标", "项目绩效目标", "总体目标")

LEVEL1 = {"产出指标", "效益指标", "满意度指标", "成本指标", "部门管理", "履职效果", "能力建设", "产出", "效益",
          "满意度", "成本", "管理效率", "运行成本", "社会效应",
          # the 投入-产出-效益 (投入/过程/产出/效果) frameworks of the 财政支出项目 申报表 and evaluation guides
          "投入", "投入指标", "过程", "过程指标", "效果", "效果指标"}
_LEVEL2_PATTERN = re.compile(
    r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|服务对象满意度|经济成本|社会成本|生态环境成本|"
    r"资金投入|财务管理|采购管理|资产管理|人员管理|制度管理|信息管理|预算执行|重点工作履行情况|履职目标实现|"
    r"社会公众满意度|组织管理|人员建设|信息化建设|预算编制|预算管理|"
    # the 部门整体 framework: 部门管理 / 履职效果 / 能力建设
    r"重点工作管理|部门履职目标|部门效果目标|社会影响|长效管理|人力资源建设|档案管理)(指标|目标)?(情况)?$"
)
_NUMBERING = re.compile(r"^\s*(\d+\s*[-－—.、．]\s*|[（(]?[一二三四五六七八九十]+[)）、.．]\s*)")
_NAME_PREFIX = re.compile(r"^\s*指标\s*\d+\s*[:：.、]\s*")
_CORE_MARK = re.compile(r"^\s*[★☆※]+\s*")  # a core indicator's star marks the row; it is not part of the name
JUNK = re.compile(r"^[\s.。…·,，、\-—_*\"'“”‘’〃]*$")
HEADER_WORDS = {"指标", "总体", "年度"}
_BRACKET_SUFFIX = re.compile(r"[(（].*?[)）]$")


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {squash(s): field for field, names in table.items() for s in names}


_HEADER = _lookup(HEADER_SYNONYMS)
_WIDE = _lookup(WIDE_SYNONYMS)
_FORM = _lookup(FORM_LABELS)


def label_key(text: str) -> str:
    """A cell's text reduced for label matching."""
    key = squash(text).rstrip(":：")
    return re.sub(r"^其中[:：]?", "", key)


def without_suffix(key: str) -> str:
    """A label key without a trailing bracketed note: "预算金额（万元）" -> "预算金额"."""
    return _BRACKET_SUFFIX.sub("", key)


def _find(table: dict[str, str], text: str) -> str | None:
    key = label_key(text)
    return table.get(key) or table.get(without_suffix(key))


def header_field(text: str) -> str | None:
    """Indicator-table field for a header cell, if it is one."""
    return _find(_HEADER, text)


def wide_field(text: str) -> str | None:
    """Row-per-project column for a header cell, if it is one ("预算金额（万元）" is 预算金额)."""
    return _find(_WIDE, text)


# Label shapes beyond the exact list ("年度预算（万元）", "项目资金规模", "申报单位名称"); short cells only.
_FORM_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), f) for p, f in (
    # Sources of money first: 上年结转资金 or 当年财政拨款 name a part of the budget, never its total.
    (r"^(当年|本年度?|年度)?财政(拨款|资金)(资金|收入)?$", "fiscal"),
    (r"^(上年|上年度|以前年度|历年)?结转(结余)?(资金)?$", "carryover"),
    (r"^(其他|自筹)资金$", "other"),
    (r"^(项目|资金|专项|专项资金)(名称|全称)$", "name"),
    (r"^(项目)?(编码|代码|编号|标识码|识别码)$", "code"),
    (r"^(实施|主管|预算|申报|填报|项目|资金使用|责任)(单位|部门)(名称)?$|^(单位|部门)名称$", "unit"),
    (r"^(项目|实施)(期|期限|周期|年限)$", "period"),
    (r"^(年度|本年度?|当年|项目|本级)*(预算|资金|财政)(总额|金额|总计|合计|预算数|安排数|规模|预算|数)?$", "total"),
    (r"^(年度|本年度?|当年|项目)*(预算|资金)?(申请|安排)?(金额|总额|规模)$", "total"),
    (r"^(计划|预计)(开始|起始|开工|完成|结束|竣工)(日期|时间)$|^(开始|起始|结束|截止)日期$", "period"),
    # 长期目标 | 年度目标: the period's goal before the year's, or its 目标 tail would read as the year's goal
    (r"^(中期|实施期|实施周期|长期|中长期|总)(绩效)?目标$", "midterm_goal"),
    (r"^(年度|本年度?|项目|整体|总体|部门)*(绩效)?目标$", "goal"),
))


_SOURCE = re.compile(r"(地方|中央|省级|省|市级|市|州|县级|县|区级|区|上级|下级|自筹|自有|社会|配套|补助|转移支付)$")


# Labels of form fields the schema does not keep: read as labels (never as names or values), mapped to nothing.
OTHER_LABELS = frozenset(squash(t) for t in ("项目性质", "项目类别", "项目属性", "项目类型", "资金性质", "项目级次",
                                              "支出功能分类", "功能分类", "经济分类", "项目负责人", "联系电话",
                                              "填报人", "联系人", "填报日期"))


def is_other_label(text: str) -> bool:
    """A label of a field the schema does not keep (项目性质, 项目类别): its value is none of ours."""
    key = label_key(text)
    return key in OTHER_LABELS or without_suffix(key) in OTHER_LABELS


def is_label(text: str) -> bool:
    """A cell printing a label as such: listed, shaped like one from its first character, or ending in a colon."""
    key = label_key(text)
    if squash(text).endswith((":", "：")) or is_other_label(text):
        return bool(key) and len(key) <= 14
    if _find(_FORM, text) or header_field(text) or wide_field(text):
        return True
    return any(p.match(k) for k in {key, without_suffix(key)} for p, _ in _FORM_SHAPES)


@lru_cache(maxsize=65536)  # a pure function of the text, asked for every cell of every form
def form_field(text: str) -> str | None:
    """Form label for a cell, if it is one (e.g. 项目名称, 年度资金总额:, 年度预算（万元）)."""
    if is_level1(text) or is_level2(text):
        return None  # 部门履职目标 is a 二级指标 printed in an indicator row, not a goal label
    if found := _find(_FORM, text):
        return found
    raw = label_key(text)
    # 项目（政策）名称 -> 项目名称; 政策（项目）名称 -> 政策项目名称
    for key in (re.sub(r"[(（][^)）]*[)）]", "", raw), re.sub(r"[(（]([^)）]*)[)）]", r"\1", raw)):
        if 2 <= len(key) <= 12:
            for pattern, f in _FORM_SHAPES:
                # A short qualifier may stand before the label: 支出项目名称, 项目实施单位, 本年度预算金额.
                cuts = [cut for cut in range(0, min(4, len(key) - 2) + 1) if pattern.match(key[cut:])]
                # 地方资金, 中央补助资金: a share by source or level of government is a part, never the total
                if cuts and not (f == "total" and cuts[0] and _SOURCE.search(key[:cuts[0]])):
                    return f
    return None


def strip_numbering(text: str) -> str:
    """"1-产出指标" -> "产出指标", "（一）产出指标" -> "产出指标"."""
    return _NUMBERING.sub("", text).strip()


def strip_name_prefix(text: str) -> str:
    """"指标1: 劳务派遣人员数量" -> "劳务派遣人员数量", "★农村低保发放人数" -> "农村低保发放人数"."""
    return _NAME_PREFIX.sub("", _CORE_MARK.sub("", text)).strip()


def is_level1(text: str) -> bool:
    """A known 一级指标 name."""
    return squash(strip_numbering(text)) in LEVEL1


def is_level2(text: str) -> bool:
    """A known 二级指标 name (or one of the common framework's shapes)."""
    return bool(_LEVEL2_PATTERN.match(squash(strip_numbering(text))))


def is_junk(text: str) -> bool:
    """Cells with no content: dots, dashes, stray header words."""
    return bool(JUNK.match(text)) or squash(text) in HEADER_WORDS


def marked_name(text: str) -> bool:
    """A cell that starts "指标N:" is a 三级指标 name wherever it was printed."""
    return bool(_NAME_PREFIX.match(text))


_FAMILY = (("产出指标", ("数量", "质量", "时效", "成本")),
           ("效益指标", ("经济效益", "社会效益", "生态效益", "可持续影响")),
           ("满意度指标", ("满意度",)))


def level1_parent(level2: str) -> str | None:
    """The framework's 一级指标 for a 二级指标 name (数量指标 -> 产出指标)."""
    key = squash(strip_numbering(level2))
    for parent, prefixes in _FAMILY:
        if key.startswith(prefixes) or (parent == "满意度指标" and "满意度" in key):
            return parent
    return None


def belongs_to(level1: str, level2: str) -> bool:
    """False only when the framework says level2 sits under another 一级指标."""
    parent = level1_parent(level2)
    key = squash(strip_numbering(level1))
    return parent is None or key not in {p for p, _ in _FAMILY} or key == parent
