import pytest

from metrics.measures import conversion_exponent, scale_exact, split_measure
from metrics.text import ValueParseError, match_key, parse_number


@pytest.mark.parametrize(("cell", "number", "percent"), [
    ("85.3%", 85.3, True), ("1,234.5", 1234.5, False), ("１２３４．５", 1234.5, False), ("８５．３％", 85.3, True),
    ("—", None, False), ("-", None, False), ("", None, False), (None, None, False), (" 12 ", 12.0, False),
    (7.5, 7.5, False), (3, 3.0, False), ("-2.5", -2.5, False), ("1,234,567", 1234567.0, False),
])
def test_values(cell, number, percent):
    assert parse_number(cell) == (number, percent)


@pytest.mark.parametrize("cell", ["abc", "12a", "1.2.3", True])
def test_bad_values(cell):
    with pytest.raises(ValueParseError):
        parse_number(cell)


def test_labels_normalise():
    assert match_key("衡阳县 ") == match_key("衡阳县") == match_key("衡　阳　县")
    assert match_key("ＧＤＰ") == match_key("gdp")


def test_measures():
    assert split_measure("固定资产投资额（亿元）") == ("固定资产投资额", "亿元")
    assert split_measure("绝对额(万元)") == ("绝对额", "万元")
    assert split_measure("增速（%）") == ("增速", "%")
    assert split_measure("地区生产总值") == ("地区生产总值", None)
    assert conversion_exponent("万元", "亿元") == -4
    assert conversion_exponent("万美元", "亿美元") == -4
    assert conversion_exponent("人", "万人") == -4
    assert conversion_exponent(None, "亿元") == 0
    assert conversion_exponent("万美元", "亿元") is None
    assert conversion_exponent("%", "亿元") is None
    assert scale_exact(12345.6, -4) == 1.23456
    assert scale_exact(0.07, 2) == 7.0
