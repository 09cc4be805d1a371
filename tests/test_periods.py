import datetime as dt

import pytest

from metrics import periods
from metrics.periods import PeriodError, parse_period


@pytest.mark.parametrize(("text", "code"), [
    ("2021Q3", "2021Q3"), ("2021q3", "2021Q3"), ("2021年第三季度", "2021Q3"), ("2021年三季度", "2021Q3"),
    ("2021年前三季度", "2021Q3"), ("2021年1-9月", "2021Q3"), ("2021年1—9月", "2021Q3"), ("２０２１年１－９月", "2021Q3"),
    ("2021年1-6月", "2021Q2"), ("2021年上半年", "2021Q2"), ("2021年1-12月", "2021Q4"), ("2021年全年", "2021Q4"),
    ("2021年1-8月", "2021-08"), ("2021年9月", "2021-09"), ("2021-09", "2021-09"), ("2021年9月中旬", "2021-09-D2"),
    ("2021年9月上旬", "2021-09-D1"), ("2021年9月下旬", "2021-09-D3"), ("2021-09-D1", "2021-09-D1"),
    ("2021年第37周", "2021-W37"), ("2021-W37", "2021-W37"), ("2021年9月末", "2021-09"), ("2021年1月", "2021-01"),
    (" 2021年 1-9月 ", "2021Q3"),
])
def test_every_written_form_parses(text, code):
    assert parse_period(text) == code


def test_excel_dates_mean_the_month():
    assert parse_period(dt.datetime(2022, 6, 30)) == "2022-06"
    assert parse_period(dt.date(2022, 6, 1)) == "2022-06"
    assert periods.end_date("2022-06") == periods.end_date("2022Q2")


def test_year_from_context():
    assert parse_period("1-8月", default_year=2025) == "2025-08"
    assert parse_period("9月末", default_year=2025) == "2025-09"
    with pytest.raises(PeriodError, match="no year"):
        parse_period("1-8月")


@pytest.mark.parametrize("text", ["7-9月", "2021年7-9月", "2021年下半年", "2021年13月", "2021-W54", "上周", ""])
def test_refused(text):
    with pytest.raises(PeriodError) as err:
        parse_period(text, default_year=2021)
    assert err.value.reason_zh and err.value.reason_en


def test_not_year_to_date_says_so():
    with pytest.raises(PeriodError) as err:
        parse_period("2021年7-9月")
    assert "年初至今" in err.value.reason_zh


def test_end_dates_and_same_moment():
    assert periods.end_date("2021Q3") == periods.end_date("2021-09") == periods.end_date("2021-09-D3") == dt.date(2021, 9, 30)
    assert periods.end_date("2021-02-D3") == dt.date(2021, 2, 28)
    assert periods.end_date("2021-09-D2") == dt.date(2021, 9, 20)
    assert periods.end_date("2021-W37") == dt.date(2021, 9, 19)
    # ISO week 53 of 2020 ends on 2021-01-03, which counts as 31 December 2020
    assert periods.end_date("2020-W53") == dt.date(2020, 12, 31)


def test_expected_progress():
    assert periods.expected_progress(dt.date(2021, 9, 30)) == 0.75
    assert periods.expected_progress(dt.date(2021, 9, 20)) == 263 / 365
    assert periods.expected_progress(dt.date(2020, 9, 20)) == 264 / 366
    assert periods.expected_progress(periods.end_date("2021-W37")) == 262 / 365


def test_previous():
    assert periods.previous("2021Q1") == "2020Q4"
    assert periods.previous("2021-01") == "2020-12"
    assert periods.previous("2021-09-D1") == "2021-08-D3"
    assert periods.previous("2021-01-D1") == "2020-12-D3"
    assert periods.previous("2021-W01") == "2020-W53"


def test_reporting_dates():
    assert periods.is_reporting_date("quarter", dt.date(2021, 9, 30))
    assert not periods.is_reporting_date("quarter", dt.date(2021, 8, 31))
    assert periods.is_reporting_date("month", dt.date(2021, 8, 31))
    assert periods.is_reporting_date("dekad", dt.date(2021, 8, 20))
    assert not periods.is_reporting_date("month", dt.date(2021, 8, 20))
    assert periods.is_reporting_date("week", dt.date(2021, 9, 19))


def test_labels():
    assert periods.label("2021Q3") == "2021年第三季度"
    assert periods.label("2021-09-D2") == "2021年9月中旬"
    assert periods.label("2021Q3", "en") == "2021 Q3"
