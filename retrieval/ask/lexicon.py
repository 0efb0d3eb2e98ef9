"""The words questions are asked with: comparison operators, intents, grouping, stopwords, Chinese numerals."""

from __future__ import annotations

import re

from retrieval.ask.answers import Op
from retrieval.ask.vocabulary import longest_first

# Longest first: 不低于 must win over 低于, 大于等于 over 大于.
OPS: tuple[tuple[str, Op], ...] = (
    ("大于或等于", ">="), ("小于或等于", "<="), ("大于等于", ">="), ("小于等于", "<="), ("不低于", ">="),
    ("不少于", ">="), ("不小于", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="), ("不多于", "<="),
    ("至少", ">="), ("至多", "<="), ("达到", ">="), ("低于", "<"), ("小于", "<"), ("少于", "<"),
    ("不足", "<"), ("高于", ">"), ("大于", ">"), ("超过", ">"), ("多于", ">"), ("等于", "="), ("≥", ">="),
    (">=", ">="), ("≤", "<="), ("<=", "<="), ("<", "<"), (">", ">"), ("=", "="), ("为", "="), ("是", "="),
)
SUFFIX_OPS: dict[str, Op] = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<="}
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "[零一二两三四五六七八九十百]+"
NUM = rf"(?:百分之(?P<pct>{CN_NUM}|\d+(?:\.\d+)?)|(?P<num>\d+(?:\.\d+)?)|(?P<cn>{CN_NUM}))"
YEAR = re.compile(r"((?:19|20)\d{2})年(?:度)?")
TOP = re.compile(rf"(?:前|排名前|top)(?P<n>\d+|{CN_NUM})(?:个|项|名|条|位)?|"
                  rf"(?P<dir>最高|最大|最多|最贵|最低|最小|最少)的?(?P<m>\d+|{CN_NUM})?(?:个|项|名|条)?", re.I)

COUNT_WORDS = ("多少个", "多少项", "多少条", "多少家", "几个", "几项", "几条", "几家", "个数", "条数", "总数", "数量",
               "项目数", "指标数", "部门数", "数目")
SUM_WORDS = ("合计", "总计", "总共", "一共", "共计", "总额", "总和", "加起来", "汇总", "总预算", "总金额")
AVG_WORDS = ("平均", "均值")
COMPARE_WORDS = ("对比", "比较", "相比", "差异", "区别", "差别")
MISSING_WORDS = ("没有", "缺少", "缺乏", "未设置", "未设", "不含", "不包含", "未包含")
EXISTENCE_WORDS = ("有没有", "是否有", "有无")
DEPT_GROUP_WORDS = ("各部门", "每个部门", "分部门", "按部门", "各个部门", "各单位", "每个单位", "按单位")
YEAR_GROUP_WORDS = ("各年度", "每年", "按年度", "各年", "逐年", "每个年度")
LEVEL_GROUP_WORDS = ("各类指标", "按指标类型", "各一级指标", "按一级指标", "各级指标", "每类指标")
BUDGET_WORDS = ("预算", "资金", "经费", "金额", "多少钱", "万元", "投入", "花了", "花费")
VALUE_WORDS = ("目标值", "指标值", "目标")
INDICATOR_WORDS = ("指标",)
OVERALL_WORDS = ("整体支出", "部门整体", "整体绩效", "部门预算总额")
# Words that carry no topic: question words, the schema's own nouns, department boilerplate.
_STOP_TEXT = """
哪些 哪个 哪几个 什么 多少 怎么样 如何 情况 请问 帮我 列出 列举 看看 一下 告诉 查询 查找 找出 显示 给出 统计 计算
分别 各自 相关 有关 方面 涉及 关于 包括 项目 指标 目标值 指标值 目标 绩效 预算 资金 经费 金额 预算数 万元 部门 单位
政法委员会 政法委 委员会 市委 区委 县委 本级 所有 全部 每个 各个 其中 这些 它们 那么 还有 另外 年度 是否 设置 数据 内容
整体 支出 排名 排序 最高 最低 最大 最小 最多 最少 高于 低于 以上 以下 多于 少于 超过 不足 达到 花了 投入
类 哪 的 有 是 在 和 与 及 各 呢 吗 那 都 个 了 中 里 按 从 对 把 请 共 值 为 多 少 钱
"""
STOPWORDS = tuple(sorted({*_STOP_TEXT.split(), *COUNT_WORDS, *SUM_WORDS, *AVG_WORDS, *COMPARE_WORDS, *MISSING_WORDS,
                          *EXISTENCE_WORDS, *DEPT_GROUP_WORDS, *YEAR_GROUP_WORDS, *LEVEL_GROUP_WORDS, *OVERALL_WORDS},
                         key=longest_first))
FOLLOW_UP = re.compile(r"^(那么?|还有|另外|其中|这些|它们|那个)|呢\??$")


def cn_number(text: str) -> float:
    """A number written in digits or simple Chinese numerals (八十 -> 80, 一百 -> 100, 三 -> 3)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return float(total + current)
