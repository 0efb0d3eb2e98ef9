"""The verifier's own words: form labels, the frameworks' level names, what a budget part is called.

Deliberately separate from `extractor.layout.vocabulary`: if a reader's word list is wrong, the verifier's must
not be wrong the same way. Matching is on text without whitespace, numbering or a trailing colon.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as words separated by whitespace."""
    return frozenset(text.split())


# Labels printed on the forms (project, 整体 and Shanghai 填报表 families). A project named one of these is a label.
FORM_LABELS = _words("""
    项目名称 项目编码 项目代码 主管部门 主管部门及代码 实施单位 资金使用单位 单位名称
    部门名称 部门(单位)名称 部门（单位）名称 预算单位 填报单位 申报单位 项目属性
    项目性质 项目类别 项目类型 项目期 实施期 项目周期 计划开始日期 计划完成日期
    项目负责人 联系电话 项目资金 项目金额 资金情况 金额 年度资金总额 中期资金总额
    资金总额 项目资金总额 年度资金申请总额 财政拨款 当年财政拨款 财政资金 其他资金
    上年结转资金 上年结转 预算数 预算金额 总计 合计 金额合计 总体目标 年度目标 中期目标
    项目总目标 年度总体目标 绩效目标 项目绩效目标 年度绩效目标 绩效指标 一级指标 二级指标
    三级指标 指标值 年度指标值 中期指标值 指标名称 任务名称 年度主要任务 主要内容 单位
    备注 其中 序号 项目支出 基本支出 人员经费 公用经费
""")
LEVEL1_NAMES = _words("""
    产出指标 效益指标 满意度指标 成本指标 部门管理 履职效果 能力建设 产出 效益 满意度
    成本 投入 投入指标 过程 过程指标 效果 效果指标
""")
LEVEL2_NAMES = _words("""
    数量指标 质量指标 时效指标 成本指标 经济效益指标 社会效益指标 生态效益指标
    可持续影响指标 服务对象满意度指标 经济成本指标 社会成本指标 生态环境成本指标 满意度指标
    数量 质量 时效 经济效益 社会效益 生态效益 可持续影响 服务对象满意度 经济成本
    社会成本 生态环境成本 资金投入 财务管理 采购管理 人员管理 资产管理 重点工作管理
    部门履职目标 部门效果目标 社会影响 长效管理 人力资源建设 档案管理 信息化建设 预算执行
    预算编制 环境效益 环境效益指标
""")
# 部门整体 framework names that also name tasks and budget lines (信息化建设 | 421.26): a level only beside a 一级.
AMBIGUOUS_LEVEL2 = _words("""
    资金投入 财务管理 采购管理 人员管理 资产管理 重点工作管理 社会影响 长效管理 人力资源建设 档案管理 信息化建设
    预算执行 预算编制
""")
# What a budget part's label says. A total printed beside 其他资金 is a misread, whatever its number.
PART_WORDS: dict[str, tuple[str, ...]] = {
    "midterm": ("中期", "实施周期"),
    "carryover": ("结转", "结余"),
    "other": ("其他资金", "其他收入", "自有资金", "社会资金", "其他"),
    "fiscal": ("财政拨款", "财政资金", "一般公共预算", "财政专户", "当年拨款"),
    "total": ("总额", "合计", "总计", "预算数", "预算金额", "资金总额", "金额", "项目资金", "总金额", "申请总额"),
}
_NUMBERING = re.compile(r"^(?:[(（]?[0-9一二三四五六七八九十]{1,3}[)）]?[-、.．:：]\s*)+")
_DATE = re.compile(r"^\d{4}\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.])(?:\s*\d{1,2}\s*日?)?$|^\d{4}年(?:度)?$")
_TARGET = re.compile(r"^[≥≤><=＝]|^[≥≤<>=]?\s*-?\d+(?:\.\d+)?\s*(?:%|％|分|个|人|次|天|元|万元|件|项|家|户|台|套)?$")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]$")
_TITLE = re.compile(r"(绩效目标|申报|填报|预算)[^，。；]*表(?:[（(].*[）)])?$")
_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def bare(text: str | None) -> str:
    """Text without whitespace, a leading number ("1-", "11-", "一、") or a trailing colon."""
    out = re.sub(r"\s+", "", text or "")
    out = _NUMBERING.sub("", out)
    return out.rstrip(":：")


def is_level_name(text: str | None) -> bool:
    """True for a 一级 or 二级 name of either framework as printed (numbering and 指标 suffix allowed)."""
    b = bare(text)
    # the 投入/产出/效益 申报表 names its kinds of target 数量目标, 时效目标, 服务对象满意度目标
    kind = b[:-2] if b.endswith("目标") and len(b) > 2 else None
    return b in LEVEL1_NAMES or b in LEVEL2_NAMES or (kind is not None and kind in LEVEL2_NAMES - AMBIGUOUS_LEVEL2)


def is_caption(text: str | None) -> bool:
    """A merged caption over an indicator block (绩效指标, 年度绩效指标, 长期绩效目标), not an indicator's text."""
    b = bare(text)
    return len(b) <= 10 and b.endswith(("绩效指标", "绩效目标", "指标值"))


def what_name_is(name: str) -> str | None:
    """Why a project name cannot be one (a label, a target, an amount, a level name, a date), or None."""
    b = bare(name)
    raw = re.sub(r"\s+", "", name or "")
    if not b:
        return "空白"
    unbracketed = _BRACKETED.sub("", b)  # 项目名称（资金使用单位）, 项目资金（元）
    if b in FORM_LABELS or raw.rstrip(":：") in FORM_LABELS or unbracketed in FORM_LABELS or b.startswith("其中"):
        return "表格标签"
    if len(b) <= 8 and b.endswith(("金额", "总额", "预算数")):  # 年度预算金额, 项目资金总额: money labels
        return "表格标签"
    if _TITLE.search(b):
        return "表格标题"
    if is_level_name(name):
        return "指标层级名称"
    if _DATE.match(raw):
        return "日期"
    if _AMOUNT.match(raw):
        return "金额或数字"
    if _TARGET.match(raw):
        return "指标值"
    return None


def part_of_label(label: str) -> str | None:
    """Which budget part a label names (total, fiscal, other, carryover, midterm), or None; parts before totals."""
    b = bare(label)
    if not b or len(b) > 24:
        return None
    for part in ("midterm", "carryover", "fiscal", "other", "total"):
        if any(w in b for w in PART_WORDS[part]):
            return part
    return None
