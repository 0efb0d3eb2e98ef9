"""Small cell values: numbers, budget amounts in 万元, weights, directions, the stated money unit."""

from __future__ import annotations

import pytest

from extractor.cells import money_unit, parse_amount_wan, parse_direction, parse_number, parse_weight


@pytest.mark.parametrize(("text", "expected"), [
    ("3,346.95", 3346.95), ("８５", 85), ("九十", 90), ("两万", 20000), ("百分之九十", 90),
    ("一百二十", 120), ("0.5", 0.5), ("二", 2), ("十", 10), ("十五", 15), ("一百零五", 105), ("三千", 3000),
    ("一亿二千万", 120_000_000), ("二〇二二", 2022), ("三点五", 3.5), ("百分之百", 100), ("百分之0.5", 0.5),
    ("-5", -5), ("满意度≥95%", 95), ("", None), ("   ", None), ("高", None), ("正向指标", None),
])
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("text", "expected"), [
    ("28.2万元", 28.2), ("84.6万元", 84.6), ("47000元", 4.7), ("3,346.95", 3346.95),
    ("5487.94632", 5487.94632), ("29140", 29140), ("1,989.76", 1989.76), ("0", 0.0),
    ("", None), ("-", None), ("  ", None),
    ("1.2亿元", 12000), ("500千元", 50), ("12,345.67元", 1.234567), (" 7.30 ", 7.3),
])
def test_parse_amount_wan(text: str, expected: float | None) -> None:
    assert parse_amount_wan(text) == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("text", "expected"), [
    ("30", 30.0), ("10分", 10.0), ("30%", 30.0), ("15", 15.0), ("", None), ("正向指标", None), ("  ", None),
])
def test_parse_weight(text: str, expected: float | None) -> None:
    assert parse_weight(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("正向指标", "positive"), ("正向", "positive"), ("反向指标", "negative"), ("反向", "negative"),
    ("逆向指标", "negative"), (" 正向指标 ", "positive"), ("", None), ("30", None),
])
def test_parse_direction(text: str, expected: str | None) -> None:
    assert parse_direction(text) == expected


@pytest.mark.parametrize(("label", "unit"), [
    ("预算金额（元）", "元"), ("预算金额(万元)", "万元"), ("单位：元", "元"), ("金额单位: 万元", "万元"),
    ("年度资金总额", None), ("单位名称", None),
])
def test_money_unit(label: str, unit: str | None) -> None:

    assert money_unit(label) == unit


def test_bare_amounts_take_the_stated_unit() -> None:
    assert parse_amount_wan("1,250,000.00", "元") == 125.0
    assert parse_amount_wan("350", "万元") == 350.0
    assert parse_amount_wan("28.2万元", "元") == 28.2  # a unit printed in the cell wins
    assert parse_amount_wan("47000元") == 4.7
