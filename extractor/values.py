"""Read printed performance targets (指标值) into operator, value, range and unit; the number scanner they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

Operator = Literal[">=", "<=", "=", ">", "<", "between"]


@dataclass(frozen=True)
class ParsedTarget:
    """A printed target read into (operator, value, value_max, unit)."""

    target: str
    operator: Operator | None
    value: float | None
    value_max: float | None
    unit: str | None
    qualitative: bool
    confidence: float


# Full-width ASCII (８５, ％, ＞, ．, ～, ，) is common in these tables; folding it lets one set of patterns
# serve both widths. Only the parsing copy is folded: `target` stays as printed.
_FOLD: dict[int, int | str | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({ord("≧"): "≥", ord("≦"): "≤", ord("〜"): "~"})

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖", [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9,
                                                                    1, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_D = "".join(_CN_DIGITS)
_CN_ALL = _CN_D + "十拾百佰千仟万亿"
_A = r"\d+(?:,\d{3})*(?:\.\d+)?"
_NUM_RE = re.compile(
    rf"百分(?:之(?:(?P<pa>{_A})|(?P<pc>[{_CN_ALL}点]+))|(?P<pb>百))"
    rf"|(?P<a>{_A})"
    rf"|(?P<c>[{_CN_D}十拾][{_CN_ALL}]*(?:点[{_CN_D}]+)?)"
)

# A unit is a short run of known measure words, optionally per-something ("元/人.年", "次/年", "万元每人").
# A whitelist rather than "any CJK" because fused cells glue the indicator name to the number
# ("≥90稿件自采自编率…") and that name must not become the unit.
_W = ("个工作日|工作日|个季度|季度|个月|批次|件次|人日|万元|亿元|千元|人次|场次|户次|车次|课时|学时|小时|分钟|平方米|"
      "立方米|平米|公里|千米|千瓦时|千瓦|公顷|元|次|个|人|天|日|年|月|周|场|件|条|份|名|台|套|支|项|家|所|户|辆|部|篇|批|"
      "处|座|间|册|本|张|路|班|种|类|倍|块|组|只|亩|米|吨|度|秒|分|期|起|例|宗|位|轮|届|节|门|栋|床|枚|棵|株|艘|架|"
      "万|亿|[A-Za-z]{1,5}")
UNIT_RE = re.compile(rf"%|‰|[万亿千]?(?:{_W})(?:\([^()]{{1,3}}\))?(?:[/每.·][万亿千]?(?:{_W}))*")
# every character a unit is printed with, for reading a cell known to hold one (a column of units)
UNIT_CHARACTERS = "".join(sorted(set(re.sub(r"[^\u4e00-\u9fff]", "", _W)))) + "%‰/"
# Words after a unit that still close it cleanly ("48小时内解决", "100%完成"), as opposed to a name glued on.
_BRACKET_UNIT = re.compile(r"\(([^()]{1,6})\)")  # folded text: full-width brackets are ASCII here
_CLOSERS = ("以上", "以内", "以下", "之内", "内", "及以上", "完成", "达标", "左右")

_SYMBOLS: dict[str, Operator] = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "="}
_SYMBOL_RE = re.compile("[≥≤<>=]")
_WORDS: dict[str, Operator] = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=",
    "达到": ">=", "达": ">=", "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=",
    "不大于": "<=", "不多于": "<=", "控制在": "<=", "高于": ">", "大于": ">", "超过": ">", "低于": "<",
    "小于": "<", "少于": "<",
}
# Longest first so "不低于" is not read as "低于" and "大于等于" not as "大于".
_WORD_RE = re.compile("|".join(sorted(_WORDS, key=len, reverse=True)))
_SUFFIX_RE = re.compile(r"[\u4e00-\u9fff]{0,3}?(以上|以内|以下|之内)")
_RANGE_SEPS = {"-", "~", "至", "到", "—", "–", "－"}
# Only these may sit right before a Chinese numeral, else "统一部署" would read as 1 部, "第一次" as 1 次.
_CN_LEAD = "为达共计约年月周每"

_N = rf"(?:\d{{1,2}}|[{_CN_D}十]{{1,3}})"
_DATE_RE = re.compile(
    rf"(?:\d{{4}}|[{_CN_D}]{{4}})年(?:度|底|末|内|前|初|{_N}月)?"
    rf"|{_N}月(?:底|末|份|初|前|中旬|上旬|下旬|{_N}[日号])"
    rf"|{_N}[日号](?:前|之前|以前|止)"
    rf"|(?:19|20)\d\d[-~至—](?:19|20)\d\d年"  # "2017-2020年"
    # Numeric dates need a 19xx/20xx year and a day (or "-"/"/" month) so "3266.1万元" is not a date.
    rf"|(?:19|20)\d\d(?:[-/.]\d{{1,2}}[-/.]\d{{1,2}}|[-/]\d{{1,2}})(?!\d)"
)


@dataclass
class _Num:
    start: int
    end: int  # after the unit when there is one
    value: float
    unit: str | None
    rank: int  # 2: unit closed cleanly, 1: unit glued to more text, 0: no unit


def squash(text: str | None) -> str:
    """Text without any whitespace."""
    return "".join((text or "").split())  # str.split() also splits on U+3000 and NBSP


def fold(s: str) -> str:
    """Full-width ASCII folded to ASCII, ≧/≦ to ≥/≤ (only the parsing copy: the target stays as printed)."""
    return s.translate(_FOLD).replace(">=", "≥").replace("<=", "≤")


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _cn_int(s: str) -> int:
    if len(s) > 1 and all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))  # digit by digit: "二〇二二"
    total = section = digit = 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[c]  # "十五", "百分之百": a bare 十/百 means one of it
            digit = 0
        elif c == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:  # 万
            total += (section + digit) * 10_000
            section = digit = 0
    return total + section + digit


def _cn(s: str) -> float | None:
    whole, _, frac = s.partition("点")
    if not whole or any(c not in _CN_DIGITS for c in frac):
        return None
    value = float(_cn_int(whole))
    return value + float("0." + "".join(str(_CN_DIGITS[c]) for c in frac)) if frac else value


def _arabic(s: str) -> float:
    return float(s.replace(",", ""))


def _minus(s: str, start: int) -> bool:
    # "-" is a sign only at the start or after an operator ("≥-5%"); between numbers it is a range (15-20).
    return start > 0 and s[start - 1] == "-" and (start == 1 or s[start - 2] in _SYMBOLS)


def first_number(s: str) -> tuple[float, int] | None:
    """The first number in folded, squashed text and where it ends, or None."""
    for m in _NUM_RE.finditer(s):
        if m["pb"]:
            return 100.0, m.end()
        if m["pa"] or m["a"]:
            value = _arabic(m["pa"] or m["a"])
            return (-value if m["a"] and _minus(s, m.start()) else value), m.end()
        value_cn = _cn(m["pc"] or m["c"])
        if value_cn is not None:
            return value_cn, m.end()
    return None


def _scan(s: str) -> list[_Num]:
    out: list[_Num] = []
    for m in _NUM_RE.finditer(s):
        start = m.start()
        if m["pa"] or m["pc"] or m["pb"]:
            pct = _arabic(m["pa"]) if m["pa"] else (100.0 if m["pb"] else _cn(m["pc"]))
            if pct is not None:
                out.append(_Num(start, m.end(), pct, "%", 2))
            continue
        if m["a"]:
            value: float | None = _arabic(m["a"])
            num_end = m.end()
            if _minus(s, start):
                start, value = start - 1, -_arabic(m["a"])
        else:
            cn = m["c"]
            lead_ok = (start == 0 or not _is_cjk(s[start - 1]) or s[start - 1] in _CN_LEAD
                       or any(s.endswith(w, 0, start) for w in _WORDS))
            if not lead_ok or s.startswith("十分", start):  # "十分明显" is "very", not 10 分
                continue
            if len(cn) > 1 and cn[-1] in "万亿":
                cn = cn[:-1]  # "两万元" -> 2 万元, like "84.6万元" -> 84.6 万元
            value, num_end = _cn(cn), start + len(cn)
        u = UNIT_RE.match(s, num_end)
        if value is None or (m["c"] and (not u or s.startswith("性", u.end()))):
            continue  # a Chinese numeral needs a unit ("四次"); "一次性" is an adverb
        if u is None and (b := _BRACKET_UNIT.match(s, num_end)) and UNIT_RE.fullmatch(b.group(1)):
            out.append(_Num(start, b.end(), value, b.group(1), 2))  # "≥13459.00(平方米)": the unit in brackets
            continue
        if u is None:
            out.append(_Num(start, num_end, value, None, 0))
            continue
        end = u.end()
        clean = u.group() in ("%", "‰") or end == len(s) or not _is_cjk(s[end]) or s.startswith(_CLOSERS, end)
        out.append(_Num(start, end, value, u.group(), 2 if clean else 1))
    return out


def _operator(s: str, nums: list[_Num]) -> Operator:
    sym = _SYMBOL_RE.search(s)
    if sym:
        return _SYMBOLS[sym.group()]
    for n in nums:
        words = list(_WORD_RE.finditer(s, 0, n.start))
        # The word must govern this number: adjacent, or across a colon ("不少于:10").
        if words and s[words[-1].end():n.start] in ("", ":"):
            return _WORDS[words[-1].group()]
    for n in nums:
        m = _SUFFIX_RE.match(s, n.end)
        if m:
            return ">=" if m.group(1) == "以上" else "<="
        if n.unit and s.startswith("内", n.end):  # "48小时内"; "内" after a unitless number is too loose
            return "<="
    return "="


def _result(target: str, op: Operator | None = None, value: float | None = None, unit: str | None = None,
            qualitative: bool = False, confidence: float = 1.0,
            value_max: float | None = None) -> ParsedTarget:
    return ParsedTarget(target, op, value, value_max, unit, qualitative, confidence)


def parse_target(text: str) -> ParsedTarget:
    """Read one printed target ("≥90%", "15-20次", "及时", fused "≥3…大于等于3次") into a ParsedTarget."""
    target = squash(text)
    s = fold(target)
    nums = _scan(s)
    if not nums:
        if not any(c.isalnum() for c in s):
            return _result(target, confidence=0.5)  # "", "-", "/": a blank cell, not a qualitative target
        return _result(target, qualitative=True)
    spans = [m.span() for m in _DATE_RE.finditer(s)]
    real = [n for n in nums if not any(a <= n.start < b for a, b in spans)]
    conf = 0.6 if len(real) < len(nums) else 1.0  # a date/deadline is present
    if not real:
        return _result(target, qualitative=True, confidence=0.6)
    values = list(dict.fromkeys(n.value for n in real))
    if len(values) == 2:
        for a, b in pairwise(real):
            if a.value != b.value and s[a.end:b.start] in _RANGE_SEPS:
                return _result(target, "between", min(a.value, b.value), b.unit or a.unit, confidence=conf,
                               value_max=max(a.value, b.value))
        first = real[0]
        prefix = s[:first.start]
        fused = (first.unit is None and first.end < len(s) and _is_cjk(s[first.end])
                 and re.fullmatch(r"(?:\D*指标)?[≥≤<>=]?", prefix) is not None)
        if fused:  # "≥100补助标准大于等于1万元每人": the leading number and the repeated text disagree
            return _result(target, _operator(s, real), first.value, confidence=0.5)
    if len(values) > 1:
        return _result(target, confidence=0.5)
    best = max(real, key=lambda n: n.rank)  # in a fused cell the repeated text carries the real unit
    return _result(target, _operator(s, real), best.value, best.unit, confidence=conf)


def _nature_op(nature: str) -> Operator | None:
    n = fold(nature)
    return _SYMBOLS.get(n) or _WORDS.get(n)


def parse_split_target(nature: str | None, value: str | None, unit: str | None) -> ParsedTarget:
    """Read split 指标性质/指标值/度量单位 columns: ("≥","5","条") -> "≥5条"; ("定性","高",None) -> "高"."""
    n, v, u = squash(nature), squash(value), squash(unit)
    conf = 1.0
    if u and not any(c.isalpha() or c in "%‰" for c in fold(u)):
        u, conf = "", 0.6  # digits in the unit column are a shifted 权重, not a unit
    shown = "" if n in ("定性", "定量") else n
    if u and v.endswith(u):
        u = ""  # the value column already prints its unit ("6人" beside 人)
    if shown and v.startswith(shown):
        shown = ""  # or its symbol ("≥1" beside ≥)
    target = shown + v + u
    plain = re.fullmatch(rf"(-?{_A})(%?)", fold(v))
    if plain is None:
        parsed = parse_target(target)
        return replace(parsed, confidence=min(parsed.confidence, conf))
    if n == "定性":
        conf = min(conf, 0.6)  # says qualitative yet prints a number
    unit_out = fold(u) or plain.group(2) or None
    return _result(target, _nature_op(shown) or "=", _arabic(plain.group(1)), unit_out, confidence=conf)
