"""Period codes and the many ways sheets write them.

Codes: ``2021Q3`` (quarter), ``2021-09`` (month), ``2021-09-D1|D2|D3`` (旬: 1–10, 11–20, 21–end)
and ``2021-W37`` (ISO week). Figures are year-to-date at a period's *end date*, so codes that end on
the same day (2021Q3, 2021-09, 2021-09-D3) are the same moment; they differ only in which period is
"previous".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from metrics.text import normalize_label

KINDS = ("quarter", "month", "dekad", "week")
FREQUENCIES = {"季度": "quarter", "月度": "month", "月": "month", "旬": "dekad", "周": "week",
               "quarter": "quarter", "month": "month", "dekad": "dekad", "week": "week"}


class PeriodError(ValueError):
    """A period that cannot be read, or that is not year-to-date; carries both languages."""

    def __init__(self, value: object, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{value}: {reason_en}")
        self.value = value
        self.reason_zh = reason_zh
        self.reason_en = reason_en


_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10, "十一": 11, "十二": 12}

_RE_QUARTER = re.compile(r"^(\d{4})[-\s]?Q([1-4])$", re.I)
_RE_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_RE_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")
_RE_DEKAD = re.compile(r"^(\d{4})-(\d{1,2})-D([1-3])$", re.I)
_RE_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I)
_RE_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")

_NUM = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九十])"
_RE_CN_YEAR = re.compile(r"^(?:(\d{4})年)?(.*)$")
_RE_CN_QUARTER = re.compile(rf"^第?{_NUM}季度?$")
_RE_CN_FIRST_QUARTERS = re.compile(rf"^前{_NUM}(?:个)?季度$")
_RE_CN_RANGE = re.compile(rf"^{_NUM}[-—–~～至到]{_NUM}月(?:份)?(?:累计)?$")
_RE_CN_MONTH = re.compile(rf"^{_NUM}月(?:份)?(末|底)?(?:累计)?$")
_RE_CN_DEKAD = re.compile(rf"^{_NUM}月(上|中|下)旬$")
_RE_CN_WEEK = re.compile(rf"^第{_NUM}周$|^第(\d{{1,2}})周$")


#: the years a period may name: a store holds dates of this range; outside it a period is a typo
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: years before this, or more than WARN_AHEAD_YEARS after today, are accepted with a warning
WARN_BEFORE_YEAR, WARN_AHEAD_YEARS = 1990, 2


def _check_year(value: object, year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(value, f"年份 {year} 超出可接受的范围（{FIRST_YEAR}–{LAST_YEAR}）",
                          f"year {year} is outside the accepted range ({FIRST_YEAR}–{LAST_YEAR})")
    return year


def year_warning(code: str, today: dt.date | None = None) -> tuple[str, str] | None:
    """Why a period's year looks wrong though it is accepted (before 1990, or over 2 years ahead)."""
    year = year_of(code)
    today = today or dt.date.today()
    if year < WARN_BEFORE_YEAR:
        return (f"期间 {code} 早于 {WARN_BEFORE_YEAR} 年，请确认年份", f"period {code} is before {WARN_BEFORE_YEAR}: check the year")
    if year > today.year + WARN_AHEAD_YEARS:
        return (f"期间 {code} 晚于今年 {WARN_AHEAD_YEARS} 年以上，请确认年份",
                f"period {code} is more than {WARN_AHEAD_YEARS} years ahead: check the year")
    return None


def _num(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUM[text]


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def month_code(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _month_or_quarter_end(year: int, month: int) -> str:
    """A cumulative range from January ending on a quarter's last month is that quarter."""
    return quarter_code(year, month // 3) if month % 3 == 0 else month_code(year, month)


def _check_month(value: object, month: int) -> int:
    if not 1 <= month <= 12:
        raise PeriodError(value, f"月份 {month} 不存在", f"month {month} does not exist")
    return month


def _need_year(value: object, year: int | None) -> int:
    if year is None:
        raise PeriodError(value, "期间没有年份，请用 --period 指定", "the period names no year; give --period")
    return year


def parse_period(value: object, default_year: int | None = None) -> str:
    """Read any written form of a period and return its code.

    ``default_year`` supplies the year for forms that omit it (``1-8月``, ``9月末``), as the
    monthly card does on some sheets.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return month_code(_check_year(value, value.year), value.month)
    if value is None or (isinstance(value, float) and value != value):
        raise PeriodError(value, "期间为空", "the period is blank")
    text = normalize_label(str(value)).replace(" ", "")
    if not text:
        raise PeriodError(value, "期间为空", "the period is blank")
    return _parse_text(text, value, default_year)


@lru_cache(maxsize=4096)
def _parse_cached(text: str, default_year: int | None) -> str:
    return _parse_text_uncached(text, text, default_year)


def _parse_text(text: str, value: object, default_year: int | None) -> str:
    try:
        code = _parse_cached(text, default_year)
        _check_year(value, int(re.match(r"\d+", code)[0]))
        return code
    except PeriodError as err:
        raise PeriodError(value, err.reason_zh, err.reason_en) from None


def _parse_text_uncached(text: str, value: object, default_year: int | None) -> str:
    if m := _RE_QUARTER.match(text):
        return quarter_code(int(m[1]), int(m[2]))
    if m := _RE_DEKAD.match(text):
        return f"{m[1]}-{_check_month(value, int(m[2])):02d}-D{m[3]}"
    if m := _RE_WEEK.match(text):
        return _week_code(value, int(m[1]), int(m[2]))
    if m := _RE_MONTH.match(text) or _RE_YYYYMM.match(text):
        return month_code(int(m[1]), _check_month(value, int(m[2])))
    if m := _RE_ISO_DATE.match(text):
        return month_code(int(m[1]), _check_month(value, int(m[2])))
    m = _RE_CN_YEAR.match(text)
    if m[1] and m[2] in ("", "年", "年度", "全年"):
        return quarter_code(int(m[1]), 4)            # 2021年 alone is the whole year
    year = int(m[1]) if m[1] else default_year
    rest = m[2].removesuffix("累计").removesuffix("期间") if m[2] not in ("", "年") else m[2]
    return _parse_chinese(rest, value, year)


def _parse_chinese(rest: str, value: object, year: int | None) -> str:
    if rest in ("全年", "度", "年度"):
        return quarter_code(_need_year(value, year), 4)
    if rest in ("上半年",):
        return quarter_code(_need_year(value, year), 2)
    if rest in ("下半年",):
        raise PeriodError(value, "下半年不是年初至今的累计期间", "下半年 is not year-to-date")
    if m := _RE_CN_FIRST_QUARTERS.match(rest):
        q = _num(m[1])
        if 1 <= q <= 4:
            return quarter_code(_need_year(value, year), q)
    if m := _RE_CN_QUARTER.match(rest):
        q = _num(m[1])
        if 1 <= q <= 4:
            return quarter_code(_need_year(value, year), q)
    if m := _RE_CN_RANGE.match(rest):
        first, last = _num(m[1]), _check_month(value, _num(m[2]))
        if first != 1:
            raise PeriodError(value, f"{first}-{last}月不是年初至今的累计期间（应从1月开始）",
                              f"{first}-{last} is not year-to-date (must start in January)")
        if last < first:
            raise PeriodError(value, "月份范围颠倒", "the month range is reversed")
        return _month_or_quarter_end(_need_year(value, year), last)
    if m := _RE_CN_DEKAD.match(rest):
        month = _check_month(value, _num(m[1]))
        return f"{_need_year(value, year)}-{month:02d}-D{'上中下'.index(m[2]) + 1}"
    if m := _RE_CN_MONTH.match(rest):
        return month_code(_need_year(value, year), _check_month(value, _num(m[1])))
    if m := _RE_CN_WEEK.match(rest):
        return _week_code(value, _need_year(value, year), _num(m[1] or m[2]))
    raise PeriodError(value, "无法识别的期间（例：2021Q3、2021年1-9月、2021年9月中旬、2021年第37周）",
                      "unrecognised period (e.g. 2021Q3, 2021年1-9月, 2021年9月中旬, 2021年第37周)")


def _week_code(value: object, year: int, week: int) -> str:
    _check_year(value, year)
    weeks_in_year = dt.date(year, 12, 28).isocalendar().week
    if not 1 <= week <= weeks_in_year:
        raise PeriodError(value, f"{year}年没有第{week}周", f"{year} has no ISO week {week}")
    return f"{year}-W{week:02d}"


_SINGLE_PERIOD = re.compile(r"^(?:\d{4}年)?(?:第?[一二三四1-4]季度|\d{1,2}月(?:份)?|[一二三四五六七八九十]+月(?:份)?|本期|本月|当月|本季度?)$")


def is_single_period(value: object) -> bool:
    """A heading naming one month or quarter alone (9月, 第三季度, 本期), not a year-to-date range
    (1-9月, 前三季度, 累计, 2021年): when both stand for the same date, the year-to-date one is read."""
    return bool(_SINGLE_PERIOD.match(normalize_label(value).replace(" ", "")))


def kind(code: str) -> str:
    """quarter, month, dekad or week."""
    if "Q" in code:
        return "quarter"
    if "-W" in code:
        return "week"
    if "-D" in code:
        return "dekad"
    return "month"


@lru_cache(maxsize=65536)
def end_date(code: str) -> dt.date:
    """The day a period's year-to-date figures belong to."""
    k = kind(code)
    year = int(code[:4])
    if k == "quarter":
        month = int(code[5]) * 3
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if k == "month":
        month = int(code[5:7])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if k == "dekad":
        month, part = int(code[5:7]), int(code[-1])
        day = calendar.monthrange(year, month)[1] if part == 3 else part * 10
        return dt.date(year, month, day)
    sunday = dt.date.fromisocalendar(year, int(code[-2:]), 7)
    return sunday if sunday.year == year else dt.date(year, 12, 31)


def year_of(code: str) -> int:
    return int(code[:4])


def is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def expected_progress(day: dt.date) -> float:
    """序时进度 from the end date only: month/12 at a month end, else day of year / days in year."""
    if is_month_end(day):
        return day.month / 12
    days_in_year = 366 if calendar.isleap(day.year) else 365
    return day.timetuple().tm_yday / days_in_year


def previous(code: str) -> str:
    """The period of the same kind just before this one."""
    k = kind(code)
    year = int(code[:4])
    if k == "quarter":
        q = int(code[5])
        return quarter_code(year - 1, 4) if q == 1 else quarter_code(year, q - 1)
    if k == "month":
        month = int(code[5:7])
        return month_code(year - 1, 12) if month == 1 else month_code(year, month - 1)
    if k == "dekad":
        month, part = int(code[5:7]), int(code[-1])
        if part > 1:
            return f"{year}-{month:02d}-D{part - 1}"
        y, m = (year - 1, 12) if month == 1 else (year, month - 1)
        return f"{y}-{m:02d}-D3"
    monday = dt.date.fromisocalendar(year, int(code[-2:]), 1) - dt.timedelta(days=7)
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def is_reporting_date(frequency: str, day: dt.date) -> bool:
    """Whether an indicator of this frequency is expected at this end date."""
    freq = FREQUENCIES.get(frequency, frequency)
    if freq == "quarter":
        return is_month_end(day) and day.month % 3 == 0
    if freq == "month":
        return is_month_end(day)
    if freq == "dekad":
        return day.day in (10, 20) or is_month_end(day)
    if freq == "week":
        return day.isoweekday() == 7 or (day.month == 12 and day.day == 31)
    raise ValueError(f"unknown frequency {frequency!r}")


def label(code: str, lang: str = "zh") -> str:
    """How a person writes the period: 2021年第三季度 / 2021 Q3."""
    k, year = kind(code), int(code[:4])
    if lang == "en":
        if k == "dekad":
            return f"{code[:7]} {('early', 'mid', 'late')[int(code[-1]) - 1]}"
        return code.replace("Q", " Q") if k == "quarter" else code
    if k == "quarter":
        return f"{year}年第{'一二三四'[int(code[5]) - 1]}季度"
    if k == "month":
        return f"{year}年{int(code[5:7])}月"
    if k == "dekad":
        return f"{year}年{int(code[5:7])}月{'上中下'[int(code[-1]) - 1]}旬"
    return f"{year}年第{int(code[-2:])}周"


def sort_key(code: str) -> tuple[dt.date, int]:
    """Chronological order; at the same end date the longer period (quarter) comes first."""
    return end_date(code), KINDS.index(kind(code))
