"""Table-driven tests for extractor.values; targets are quoted verbatim from corpus/seeds/*.txt."""

from __future__ import annotations

import pytest

from extractor.values import ParsedTarget, parse_split_target, parse_target

Q = "qualitative"
AMBIG = "ambiguous"

# (printed text, operator, value, value_max, unit) for unambiguous numeric targets, confidence 1.0.
NUMERIC = [
    # 000.txt
    ("至少1场", ">=", 1, None, "场"),
    ("1次", "=", 1, None, "次"),
    ("15-20次", "between", 15, 20, "次"),
    ("14%", "=", 14, None, "%"),
    ("300元/年", "=", 300, None, "元/年"),
    ("70元/天", "=", 70, None, "元/天"),
    ("100元/天", "=", 100, None, "元/天"),
    (">90%", ">", 90, None, "%"),
    ("不低于90%", ">=", 90, None, "%"),
    ("≤6人", "<=", 6, None, "人"),
    ("6个", "=", 6, None, "个"),
    ("≤84.6万元/年", "<=", 84.6, None, "万元/年"),
    ("4700元/人.年", "=", 4700, None, "元/人.年"),
    ("≥95%", ">=", 95, None, "%"),
    ("达到95%以上", ">=", 95, None, "%"),
    ("平台系统运行正常, 故障率不高于3次/年。", "<=", 3, None, "次/年"),
    ("接入视频资源不限于公安视频资源, 接入路数不少于10000路。", ">=", 10000, None, "路"),
    # 001.txt (fused cells: number, then the indicator name and the value again in words)
    ("≥3宣传活动开展次数大于等于3次", ">=", 3, None, "次"),
    ("≥90稿件自采自编率大于等于百分之九十", ">=", 90, None, "%"),
    ("≥90工作完成及时率大于等于百分之九十", ">=", 90, None, "%"),
    ("≤20涉稳舆情炒作率小于等于百分之二十", "<=", 20, None, "%"),
    ("社会效益指标100突发事件处置率为百分之百", "=", 100, None, "%"),
    ("≥80治安突出问题解决率大于等于百分之八十", ">=", 80, None, "%"),
    ("≥80服务对象满意度大于等于百分之八十", ">=", 80, None, "%"),
    ("100补助覆盖率为百分之百", "=", 100, None, "%"),
    ("100补助金发放率百分之百", "=", 100, None, "%"),
    ("100人均补助标准100元", "=", 100, None, "元"),
    ("≥95工作完成及时率大于等于百分之九十五", ">=", 95, None, "%"),
    ("≥10投诉减少率大于等于百分之十", ">=", 10, None, "%"),
    ("≥5投诉减少率大于等于百分之五", ">=", 5, None, "%"),
    ("≥50企业问题解决比率大于等于百分之五十", ">=", 50, None, "%"),
    ("≥20批示率大于等于百分之二十", ">=", 20, None, "%"),
    ("≥6次数大于等于6次", ">=", 6, None, "次"),
    ("≥6安全隐患排查次数大于等于6次", ">=", 6, None, "次"),
    ("≥4活动次数大于等于四次", ">=", 4, None, "次"),
    ("≥30督导检查次数大于等于30次", ">=", 30, None, "次"),
    ("≥15大于等于15万条", ">=", 15, None, "万条"),
    ("≤9预算控制数小于等于9万元", "<=", 9, None, "万元"),
    ("≤60成本小于等于60万元", "<=", 60, None, "万元"),
    ("≤300人均补助小于等于300元", "<=", 300, None, "元"),
    ("≤2制作成本小于等于两万元", "<=", 2, None, "万元"),
    ("＜2系统故障率小于百分之二", "<", 2, None, "%"),
    ("＜1系统故障率小于百分之一", "<", 1, None, "%"),
    ("404万元", "=", 404, None, "万元"),
    ("27本年度运维费27万元", "=", 27, None, "万元"),
    ("执行数为75万元", "=", 75, None, "万元"),
    # 004.txt
    ("100%", "=", 100, None, "%"),
    ("≤0%", "<=", 0, None, "%"),
    ("节省率≤0%", "<=", 0, None, "%"),
    ("参考值≤0%", "<=", 0, None, "%"),
    ("≤0%，小于预算数", "<=", 0, None, "%"),
    ("100%完成", "=", 100, None, "%"),
    ("100%达标", "=", 100, None, "%"),
    ("平台建设100%完成使用", "=", 100, None, "%"),
    ("满意度达到85分以上", ">=", 85, None, "分"),
    ("群众安全感达90分以上", ">=", 90, None, "分"),
    ("满意度达92%以上", ">=", 92, None, "%"),
    ("正常使用率达100%", ">=", 100, None, "%"),
    ("医疗保障率达100%", ">=", 100, None, "%"),
    ("提高安全隐患整治率达85%以上", ">=", 85, None, "%"),
    ("提高登记率达98%以上", ">=", 98, None, "%"),
    ("全系统正常运转率达92%以上", ">=", 92, None, "%"),
    ("2个以上", ">=", 2, None, "个"),
    ("1个以上", ">=", 1, None, "个"),
    ("举办活动1个以上", ">=", 1, None, "个"),
    ("2个镇街以上", ">=", 2, None, "个"),
    ("提交报告1份", "=", 1, None, "份"),
    ("大于或等于1份", ">=", 1, None, "份"),
    ("大于或等于15条", ">=", 15, None, "条"),
    ("不少于15条意见", ">=", 15, None, "条"),
    ("48小时内解决", "<=", 48, None, "小时"),
    ("2082支摄像机租凭", "=", 2082, None, "支"),
    ("使用率高于97%", ">", 97, None, "%"),
    ("正常运行率大于97%", ">", 97, None, "%"),
    ("完好率不低于98%", ">=", 98, None, "%"),
    ("=1", "=", 1, None, None),
    ("1", "=", 1, None, None),
    # edge cases
    ("0%", "=", 0, None, "%"),
    ("15～20次", "between", 15, 20, "次"),
    ("15至20次", "between", 15, 20, "次"),
    ("2—20万", "between", 2, 20, "万"),
    ("≥８５％", ">=", 85, None, "%"),
    ("≧95%", ">=", 95, None, "%"),
    ("<=5天", "<=", 5, None, "天"),
    ("＞90%", ">", 90, None, "%"),
    ("＝1套", "=", 1, None, "套"),
    ("３，３４６．９５万元", "=", 3346.95, None, "万元"),
    ("-5%", "=", -5, None, "%"),
    ("≥-5%", ">=", -5, None, "%"),
    ("百分之九十五", "=", 95, None, "%"),
    ("百分之百", "=", 100, None, "%"),
    ("百分百完成", "=", 100, None, "%"),
    ("两次", "=", 2, None, "次"),
    ("二十人", "=", 20, None, "人"),
    ("十天", "=", 10, None, "天"),
    ("一百二十个", "=", 120, None, "个"),
    ("三千元", "=", 3000, None, "元"),
    ("两万元", "=", 2, None, "万元"),
    ("全年至少一次", ">=", 1, None, "次"),
    ("控制在10万元以内", "<=", 10, None, "万元"),
    ("不超过3天", "<=", 3, None, "天"),
    ("低于5%", "<", 5, None, "%"),
    ("少于3次", "<", 3, None, "次"),
    ("5%以下", "<=", 5, None, "%"),
    ("3个及以上", ">=", 3, None, "个"),
    ("1年内", "<=", 1, None, "年"),
    ("≥1台(套)", ">=", 1, None, "台(套)"),
    ("≥2次/年", ">=", 2, None, "次/年"),
    ("0.5", "=", 0.5, None, None),
    (" ≥ 95 % ", ">=", 95, None, "%"),
    ("≥\u300095%", ">=", 95, None, "%"),
]


@pytest.mark.parametrize(("text", "op", "value", "value_max", "unit"), NUMERIC)
def test_numeric_targets(text: str, op: str, value: float, value_max: float | None, unit: str | None) -> None:
    r = parse_target(text)
    assert (r.operator, r.value, r.value_max, r.unit) == (op, pytest.approx(value), value_max, unit)
    assert r.qualitative is False
    assert r.confidence == 1.0
    assert r.target == "".join(text.split())


WORDS = [
    # 000.txt, 001.txt, 004.txt
    "明显提升", "效果明显", "持续推进", "较高", "明显", "严格按照有关规定执行", "按月发放", "年度之前",
    "年内", "年底前完成", "按标准执行", "在预算范围内", "保障经济稳步发展", "一定程度上带动居民消费",
    "及时", "合规", "按规定支付", "不得高于预算", "不高于预算", "提高", "正常运转", "如期完工", "增加功能",
    "按时发放", "高", "高中低", "优良中低差", "力争全区案件类警情持续下降",
    "实时监理、周期下发整改通知书，验收整改",
    "保障系统运行稳定可靠, 能够支撑雪亮二期各子平台、系统对接服务, 相关建设系统达到规范要求。",
    # Chinese numerals inside ordinary words are not numbers
    "统一部署", "效果十分明显", "一次性发放", "第一次会议", "无",
]


@pytest.mark.parametrize("text", WORDS)
def test_qualitative_targets(text: str) -> None:
    r = parse_target(text)
    assert r == ParsedTarget("".join(text.split()), None, None, None, None, True, 1.0)


AMBIGUOUS = [
    # (text, qualitative, confidence ceiling): dates/deadlines and several different numbers
    ("12月底前完成", True, 0.6),
    ("12月底之前完成", True, 0.6),
    ("2020年12月底前完成", True, 0.6),
    ("2022年12月31日前", True, 0.6),
    ("2022-12-31前", True, 0.6),
    ("2017-2020年", True, 0.6),
    ("次数不限，故障发生24小时内到场，48小时内解决", False, 0.5),
    ("24小时内到场，48小时内解决", False, 0.5),
    ("出租屋登记率达100%，来穗人员登记率达到95%", False, 0.5),
    ("接访率达100%，受理案件达80%以上", False, 0.5),
    ("以奖代补：2400元每人；责任险：100元每人", False, 0.5),
    ("城区40个乡/镇共计370个行政村建设公共安全视频监控系", False, 0.5),
    ("实施周期指标值:满意度达到85分以上；年度指标值:100%完成", False, 0.5),
    ("依据项目合同支付项目款项, 2020年支付完成3266.1万元, 2021年度继续支付一期项目款954.166368万元, 承建单",
     False, 0.5),
]


@pytest.mark.parametrize(("text", "qualitative", "ceiling"), AMBIGUOUS)
def test_ambiguous_targets(text: str, qualitative: bool, ceiling: float) -> None:
    r = parse_target(text)
    assert (r.operator, r.value, r.value_max, r.unit, r.qualitative) == (None, None, None, None, qualitative)
    assert r.confidence <= ceiling
    assert r.target == "".join(text.split())


def test_self_contradictory_fused_value() -> None:
    r = parse_target("≥100补助标准大于等于1万元每人")  # 001.txt: leading 100 vs repeated 1万元
    assert (r.target, r.operator, r.value, r.unit, r.qualitative) == (
        "≥100补助标准大于等于1万元每人", ">=", 100, None, False)
    assert r.confidence <= 0.6


def test_deadline_next_to_a_number_keeps_number_with_lower_confidence() -> None:
    r = parse_target("2022年底前完成100%")
    assert (r.operator, r.value, r.unit, r.qualitative) == ("=", 100, "%", False)
    assert r.confidence == 0.6


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "-", "—", "/", "≥"])
def test_blank_cells(text: str) -> None:
    r = parse_target(text)
    assert (r.operator, r.value, r.unit, r.qualitative) == (None, None, None, False)
    assert r.target == "".join(text.split())
    assert r.confidence <= 0.5


SPLIT = [
    # 002.txt: (指标性质, 指标值, 度量单位) -> (target, operator, value, unit, qualitative)
    (("≥", "5", "条"), ("≥5条", ">=", 5, "条", False)),
    (("≤", "2", "天"), ("≤2天", "<=", 2, "天", False)),
    (("≥", "80", "%"), ("≥80%", ">=", 80, "%", False)),
    (("≤", "2", "次/年"), ("≤2次/年", "<=", 2, "次/年", False)),
    (("=", "1", "年"), ("=1年", "=", 1, "年", False)),
    (("≥", "80", "万次"), ("≥80万次", ">=", 80, "万次", False)),
    (("=", "24", "小时"), ("=24小时", "=", 24, "小时", False)),
    (("≥", "1", "人/次"), ("≥1人/次", ">=", 1, "人/次", False)),
    (("≤", "0.1", "立方米"), ("≤0.1立方米", "<=", 0.1, "立方米", False)),
    (("≥", "1", "台(套)"), ("≥1台(套)", ">=", 1, "台(套)", False)),
    (("≤", "164", "万元"), ("≤164万元", "<=", 164, "万元", False)),
    (("≤", "8000", "元/月"), ("≤8000元/月", "<=", 8000, "元/月", False)),
    (("≤", "10", "名"), ("≤10名", "<=", 10, "名", False)),
    (("定性", "高", None), ("高", None, None, None, True)),
    (("定性", "高中低", ""), ("高中低", None, None, None, True)),
    (("定性", "优良中低差", "项"), ("优良中低差项", None, None, None, True)),
    # edge cases
    (("定量", "5", "个"), ("5个", "=", 5, "个", False)),
    ((None, "≥5", "条"), ("≥5条", ">=", 5, "条", False)),
    (("大于等于", "90", "%"), ("大于等于90%", ">=", 90, "%", False)),
    (("＜", "５", "％"), ("＜５％", "<", 5, "%", False)),
    ((None, "100%", None), ("100%", "=", 100, "%", False)),
    ((None, None, None), ("", None, None, None, False)),
]


@pytest.mark.parametrize(("cols", "expected"), SPLIT)
def test_split_targets(cols: tuple[str | None, str | None, str | None],
                       expected: tuple[str, str | None, float | None, str | None, bool]) -> None:
    r = parse_split_target(*cols)
    assert (r.target, r.operator, r.value, r.unit, r.qualitative) == expected


def test_split_target_with_weight_in_unit_column_is_flagged() -> None:
    r = parse_split_target("定性", "高中低", "30")  # 002.txt: a row whose columns shifted left
    assert (r.target, r.qualitative) == ("高中低", True)
    assert r.confidence <= 0.6


@pytest.mark.parametrize(("text", "op", "value", "unit"), [
    ("≤3个工作日", "<=", 3, "个工作日"), ("3个工作日内", "<=", 3, "个工作日"), ("4期", "=", 4, "期"),
    ("发生案件0起", "=", 0, "起"), ("≥2个季度", ">=", 2, "个季度"), ("培训500人日", "=", 500, "人日"),
])
def test_units_other_departments_print(text: str, op: str, value: float, unit: str) -> None:
    r = parse_target(text)
    assert (r.operator, r.value, r.unit) == (op, value, unit)
