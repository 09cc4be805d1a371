"""The demo generator (data/demo/generate.py): determinism, content, and the sheets it writes.

The sheets are read back here with openpyxl, xlrd and csv by a small reader that knows the forms the
generator writes, and compared with build().figures: what the sheets say must be exactly the figures.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import importlib.util
import io
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlrd
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
GEN_PATH = ROOT / "data" / "demo" / "generate.py"


def _load():
    spec = importlib.util.spec_from_file_location("demo_generate", GEN_PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["demo_generate"] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load()


@pytest.fixture(scope="module")
def data():
    return gen.build()


@pytest.fixture(scope="module")
def written(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, gen.write(out, data)


def _fig(data):
    f = data.figures.copy()
    f["date"] = f["period"].map(gen.period_end)
    f["year"] = f["date"].map(lambda d: d.year)
    return f


def _with_carry(data):
    """Figures with the target carried forward within a year (by date), as the domain says."""
    f = _fig(data).sort_values("date", kind="stable")
    f["t"] = f.groupby(["unit_code", "indicator_code", "year"])["target"].ffill()
    return f


# ---- determinism --------------------------------------------------------------------------------

def test_build_is_deterministic(data):
    again = gen.build()
    for name in ("units", "indicators", "figures"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name))


def test_figures_columns_and_dtypes(data):
    f = data.figures
    assert list(f.columns) == ["period", "unit_code", "indicator_code", "target", "milestone", "actual"]
    for col in ("target", "milestone", "actual"):
        assert f[col].dtype == np.float64
    assert not f[["target", "milestone", "actual"]].isna().all(axis=1).any()


def test_checked_in_sheets_are_what_the_generator_writes(written):
    out, paths = written
    demo = ROOT / "data" / "demo"
    for p in paths:
        committed = demo / p.name
        assert committed.exists(), f"{p.name} missing from data/demo: run python data/demo/generate.py"
        assert hashlib.sha256(committed.read_bytes()).digest() == hashlib.sha256(p.read_bytes()).digest(), (
            f"data/demo/{p.name} is stale: run python data/demo/generate.py")
    generated = {p.name for p in paths}
    stray = {p.name for p in demo.iterdir() if p.suffix in (".xlsx", ".xls", ".csv")} - generated
    assert not stray, f"files in data/demo the generator no longer writes: {stray}"


# ---- catalog ------------------------------------------------------------------------------------

def test_unit_counts_and_groups(data):
    u = data.units
    counts = u["type"].value_counts()
    assert counts["县市区"] == 12
    assert 140 <= counts["乡镇"] <= 170
    assert counts["市直部门"] >= 30
    assert counts["园区"] >= 8
    assert counts["市州"] == 14
    c = u[u["type"] == "县市区"].set_index("code")
    assert set(c.index) == {"430405", "430406", "430407", "430408", "430412", "430421", "430422", "430423",
                            "430424", "430426", "430481", "430482"}
    assert c["group"].value_counts().to_dict() == {"县市": 7, "城区": 5}
    assert set(c.loc[["430405", "430406", "430407", "430408", "430412"], "group"]) == {"城区"}
    assert c.at["430421", "aliases"] == [] and c.at["430481", "aliases"] == ["耒阳"]
    p = u[u["type"] == "市州"].set_index("code")
    assert p.at["430400", "name"] == "衡阳市" and p.at["433100", "name"] == "湘西土家族苗族自治州"
    assert set(p["group"]) == {"全省"}
    towns = u[u["type"] == "乡镇"]
    assert towns["code"].str.fullmatch(r"\d{9}").all()
    assert (towns["code"].str[:6] == towns["parent"]).all()
    assert (towns["group"] == towns["parent"].map(c["name"])).all()
    assert towns["name"].str.contains(r"(?:镇|乡|街道)$").all()
    assert (u.loc[u["type"].isin(["市直部门", "园区", "县市区", "市州"]), "parent"] == "").all()
    assert u["code"].is_unique
    # names unique under one parent; at least two towns in different counties share a name
    assert not u.duplicated(["parent", "name"]).any()
    shared = towns[towns.duplicated("name", keep=False)]
    assert shared["parent"].nunique() >= 2 and len(shared) >= 2
    # no alias collides with another unit's name or alias
    labels = pd.concat([u.loc[~u["code"].isin(shared["code"]), "name"], u["aliases"].explode().dropna()])
    assert labels.is_unique
    depts = u[u["type"] == "市直部门"]
    assert depts["code"].str.fullmatch(r"D\d{3}").all() and depts["group"].nunique() >= 3
    assert "国省驻衡单位" in set(depts["group"])
    assert u[u["type"] == "园区"]["code"].str.fullmatch(r"P\d{2}").all()


def test_indicators(data):
    i = data.indicators
    assert len(i) >= 40
    assert set(i["category"]) == {"经济发展", "乡村振兴", "民生", "生态环保", "安全稳定"}
    assert set(i["kind"]) == {"amount", "rate"} and set(i["direction"]) == {"higher", "lower"}
    for cat, g in i.groupby("category"):
        assert len(g) >= 5, cat
    assert (i["weight"] > 0).all()
    assert not ((i["scoring"] == "ratio") & (i["kind"] == "rate")).any()
    assert {"quarter", "month", "dekad"} == set(i["frequency"])
    assert 1 <= (i["frequency"] == "dekad").sum() <= 2
    ix = i.set_index("name")
    for name in ("规模工业增加值增速", "社会消费品零售总额", "一般公共预算收入"):
        assert ix.at[name, "frequency"] == "month"
    for name in ("地区生产总值增速", "规模工业增加值增速", "固定资产投资增速", "社会消费品零售总额增速",
                 "一般公共预算收入增速"):
        assert set(ix.at[name, "applies_to"]) == {"县市区", "市州"}, name
    assert ix.at["PM2.5平均浓度", "direction"] == "lower" and np.isnan(ix.at["PM2.5平均浓度", "band"])
    assert ix.at["安全生产事故死亡人数", "kind"] == "amount"
    assert ix.at["城镇调查失业率", "direction"] == "lower"
    assert "GDP" in ix.at["地区生产总值", "aliases"] and "固投" in ix.at["固定资产投资", "aliases"]
    every = {t for ts in i["applies_to"] for t in ts}
    assert every == {"县市区", "乡镇", "市直部门", "园区", "市州"}
    labels = pd.concat([i["name"], i["aliases"].explode().dropna(), i["code"]])
    assert labels.is_unique
    # a wide sheet's 增速 sub-column names an indicator that exists
    names = set(i["name"])
    codes = i.set_index("code")["name"]
    for amount, growth in gen.GROWTH_OF.items():
        assert codes[amount] + "增速" in names and codes[growth] == codes[amount] + "增速"


def test_catalog_workbook(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "catalog.xlsx")
    assert wb.sheetnames[:2] == ["单位", "指标"]
    units = list(wb["单位"].iter_rows(values_only=True))
    assert list(units[0]) == ["编码", "名称", "类型", "分组", "上级", "别名"]
    assert {r[2] for r in units[1:]} == {"县市区", "乡镇", "市直部门", "园区", "市州"}
    assert ("430421", "衡阳县", "县市区", "县市", None, None) in units
    inds = list(wb["指标"].iter_rows(values_only=True))
    assert list(inds[0]) == ["编码", "名称", "类别", "计量单位", "类型", "方向", "权重", "计分方式", "频次",
                             "牵头单位", "适用类型", "别名", "容差", "可加", "小数位", "报送时限"]
    body = inds[1:]
    assert {r[4] for r in body} == {"总量", "比率"} and {r[5] for r in body} == {"正向", "逆向"}
    assert {r[7] for r in body} == {None, "完成率", "排名"}
    assert {r[8] for r in body} == {None, "季度", "月度", "旬"}
    assert {r[13] for r in body} == {None, "是", "否"}
    assert any(r[12] is not None for r in body) and any(r[12] is None for r in body)
    assert all(isinstance(r[14], int) and 0 <= r[14] <= 2 for r in body)   # 小数位: as the figures are written
    assert [r[15] for r in body if r[15]] == ["次月15日"]                    # 报送时限: one override


# ---- figures --------------------------------------------------------------------------------------

def test_figures_are_well_formed(data):
    f = _fig(data)
    u = data.units.set_index("code")
    i = data.indicators.set_index("code")
    # one row per (date, unit, indicator): codes ending on the same day never carry two values
    assert not f.duplicated(["date", "unit_code", "indicator_code"]).any()
    # the unit's type is one the indicator applies to
    ok = [u.at[uc, "type"] in i.at[ic, "applies_to"] for uc, ic in zip(f["unit_code"], f["indicator_code"], strict=True)]
    assert all(ok)
    # period kind matches the indicator's frequency
    kind = f["period"].map(gen.period_kind)
    assert (kind == f["indicator_code"].map(i["frequency"])).all()
    assert set(f.loc[kind == "quarter", "period"]) == set(gen.QUARTERS)
    assert set(f.loc[kind == "month", "period"]) == {f"{y}-{m:02d}" for y in (2020, 2021) for m in range(1, 13)}
    dek = set(f.loc[kind == "dekad", "period"])
    assert {"2021-07-D1", "2021-09-D2", "2021-09-D3", "2021-12-D3"} <= dek
    # ≤ 2 decimals, exact as written
    for col in ("target", "milestone", "actual"):
        for v in f[col].dropna():
            assert Decimal(repr(v)).as_tuple().exponent >= -2, (col, v)
    # targets: none negative; 0 only for lower-is-better amounts
    t = f.dropna(subset=["target"])
    assert (t["target"] >= 0).all()
    zero = t[t["target"] == 0]
    assert ((zero["indicator_code"].map(i["kind"]) == "amount")
            & (zero["indicator_code"].map(i["direction"]) == "lower")).all()
    # 市州: actuals only, except the city's own targets (given in the year's first quarter or month)
    prefs = f[f["unit_code"].map(u["type"]) == "市州"]
    assert prefs["milestone"].isna().all()
    targeted = prefs[prefs["target"].notna()]
    assert set(targeted["unit_code"]) == {gen.CITY}
    assert set(targeted["period"]) == {"2020Q1", "2021Q1", "2020-01", "2021-01"}


def test_targets_first_period_and_carry_forward(data):
    f = _fig(data)
    for (_u, _i, _y), g in f.groupby(["unit_code", "indicator_code", "year"]):
        if g["target"].notna().any():
            assert not np.isnan(g.sort_values("date")["target"].iloc[0])
    later = f[~f["period"].isin(["2020Q1", "2021Q1", "2020-01", "2021-01", "2020-01-D1", "2021-01-D1"])]
    has = later.groupby(["unit_code", "indicator_code"])["target"].apply(lambda s: s.notna().any())
    lacks = later.groupby(["unit_code", "indicator_code"])["target"].apply(lambda s: s.isna().any())
    assert (has & lacks).sum() > 100  # repeated in some later sheets and blank in others


def test_milestones(data):
    f = _with_carry(data)
    i = data.indicators.set_index("code")
    m = f.dropna(subset=["milestone"])
    assert len(m) >= 9 and m["unit_code"].nunique() >= 5
    assert (m["indicator_code"].map(i["kind"]) == "amount").all()
    assert (m["milestone"] > 0).all() and (m["milestone"] <= m["t"]).all()


def test_special_cases(data):
    f = _with_carry(data).set_index(["period", "unit_code", "indicator_code"])
    u = data.units.set_index("code")
    # exact tie: two units of one group complete the same at one period
    a, b = gen.TIE["units"]
    p, ind = gen.TIE["period"], gen.TIE["indicator"]
    assert u.at[a, "group"] == u.at[b, "group"]
    ca = f.at[(p, a, ind), "actual"] / f.at[(p, a, ind), "t"]
    cb = f.at[(p, b, ind), "actual"] / f.at[(p, b, ind), "t"]
    assert round(ca, 4) == round(cb, 4)
    # missing: target known, actual blank, at one period only
    for m in gen.MISSING:
        row = f.loc[(m["period"], m["unit"], m["indicator"])]
        assert not np.isnan(row["t"]) and np.isnan(row["actual"])
        others = f.xs((m["unit"], m["indicator"]), level=(1, 2))
        assert others["actual"].isna().sum() == 1
    # a unit without a target for an indicator, in every period, though it reports actuals
    nt = f.xs((gen.NO_TARGET["unit"], gen.NO_TARGET["indicator"]), level=(1, 2))
    assert len(nt) == 8 and nt["target"].isna().all() and nt["actual"].notna().all()
    assert u.at[gen.NO_TARGET["unit"], "name"] == "萱洲镇"
    # 零死亡: target 0 for a lower-is-better amount; met by 南岳区, breached by one park
    z = f.xs(gen.ZERO_DEATH["indicator"], level=2)
    nanyue = z.xs("430412", level=1)
    assert (nanyue["t"] == 0).all() and (nanyue["actual"] == 0).all()
    br = gen.ZERO_DEATH["breach"]
    assert z.loc[(br["from"], br["unit"]), "t"] == 0 and z.loc[(br["from"], br["unit"]), "actual"] > 0


def test_magnitudes(data):
    f = _fig(data)
    u = data.units.set_index("code")
    gdp = f[(f["indicator_code"] == "E01")].set_index(["period", "unit_code"])["actual"]
    year = gdp.xs("2020Q4")
    assert year.between(40, 900).all()
    counties = year[year.index.map(u["group"]) == "县市"]
    assert counties.between(150, 900).all()  # counties: hundreds of 亿元 a year
    assert 3000 < year.sum() < 5000
    for c in year.index:  # year-to-date: rises through the year
        s = gdp.xs(c, level=1)
        assert s["2020Q1"] < s["2020Q2"] < s["2020Q3"] < s["2020Q4"]
        assert s["2021Q1"] < s["2021Q2"] < s["2021Q3"] < s["2021Q4"]
    towns = f[(f["indicator_code"] == "R09") & (f["period"] == "2020Q4")]["actual"]
    assert towns.between(5, 2000).all()  # 万元, a village collective's income
    rates = f[f["indicator_code"] == "E02"]["actual"]
    assert rates.between(-15, 30).all()


def _status(row, ind) -> str:
    t, a = row["t"], row["actual"]
    if np.isnan(t) or (t == 0 and ind["kind"] == "amount" and ind["direction"] == "higher"):
        return "no_target"
    if np.isnan(a):
        return "missing"
    if ind["kind"] == "amount":
        e = row["milestone"] / t if not np.isnan(row["milestone"]) else gen.expected_progress(row["period"])
        att = round(gen.attainment((ind["kind"], ind["direction"]), t, a, e), 6)
        return "green" if att >= 1 else "yellow" if att >= 0.9 else "red"
    band = ind["band"] if not np.isnan(ind["band"]) else (1.0 if ind["measure"] == "%" else 0.05 * abs(t))
    gap = round(a - t if ind["direction"] == "higher" else t - a, 6)
    return "green" if gap >= 0 else "yellow" if gap >= -band else "red"


def test_performance_varies(data):
    f = _with_carry(data)
    i = data.indicators.set_index("code")
    q3 = f[f["period"] == "2021Q3"].copy()
    q3["status"] = [_status(r, i.loc[r["indicator_code"]]) for _, r in q3.iterrows()]
    u = data.units.set_index("code")
    q3["type"] = q3["unit_code"].map(u["type"])
    for t in ("县市区", "乡镇", "市直部门", "园区"):
        shares = q3.loc[q3["type"] == t, "status"].value_counts(normalize=True)
        for s in ("green", "yellow", "red"):
            assert shares.get(s, 0) >= 0.1, (t, s, shares.to_dict())
    # counties differ from each other
    green = q3[q3["type"] == "县市区"].groupby("unit_code")["status"].apply(lambda s: (s == "green").mean())
    assert green.max() - green.min() >= 0.2


def test_two_reds_at_year_end(data):
    """衡东县 ends 2021 with exactly the two planted reds (the 考核结果 page's what-if)."""
    f = _with_carry(data)
    i = data.indicators.set_index("code")
    end = f[(f["unit_code"] == gen.TWO_REDS["unit"]) & (f["date"] == dt.date(2021, 12, 31))]
    status = {r["indicator_code"]: _status(r, i.loc[r["indicator_code"]]) for _, r in end.iterrows()}
    assert sorted(c for c, s in status.items() if s == "red") == sorted(gen.TWO_REDS["red"])
    assert len(status) > 30


# ---- the written sheets, read back ---------------------------------------------------------------

QN = {"一": 1, "二": 2, "三": 3, "四": 4}


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def parse_period(v) -> dt.date:
    if isinstance(v, dt.datetime):
        return _month_end(v.year, v.month)
    s = str(v).strip()
    if m := re.fullmatch(r"(\d{4})Q([1-4])", s):
        return _month_end(int(m[1]), 3 * int(m[2]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", s):
        return _month_end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})年第([一二三四])季度", s):
        return _month_end(int(m[1]), 3 * QN[m[2]])
    if m := re.fullmatch(r"(\d{4})年1-(\d{1,2})月", s):
        return _month_end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})年(前三季度|上半年|全年)", s):
        return _month_end(int(m[1]), {"前三季度": 9, "上半年": 6, "全年": 12}[m[2]])
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月([上中下])旬", s):
        y, mo = int(m[1]), int(m[2])
        return {"上": dt.date(y, mo, 10), "中": dt.date(y, mo, 20), "下": _month_end(y, mo)}[m[3]]
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月", s):
        return _month_end(int(m[1]), int(m[2]))
    raise AssertionError(f"unexpected period {v!r}")


class Resolver:
    def __init__(self, data):
        u, i = data.units, data.indicators
        self.units: dict[str, str] = {}
        shared = set(u.loc[u.duplicated("name", keep=False), "name"])
        names = dict(zip(u["code"], u["name"], strict=True))
        for r in u.itertuples(index=False):
            self.units[r.code] = r.code
            if r.name not in shared:
                self.units[r.name] = r.code
            for a in r.aliases:
                self.units[a] = r.code
            if r.type == "乡镇":
                self.units[f"{names[r.parent]}/{r.name}"] = r.code
        self.inds: dict[str, str] = {}
        for r in i.itertuples(index=False):
            for label in (r.code, r.name, *r.aliases):
                self.inds[label] = r.code
        self.measure = dict(zip(i["code"], i["measure"], strict=True))
        self.by_name = dict(zip(i["name"], i["code"], strict=True))

    def unit(self, label) -> str:
        assert label in self.units, f"unknown or ambiguous unit {label!r}"
        return self.units[label]

    def ind(self, label) -> str:
        assert label in self.inds, f"unknown indicator {label!r}"
        return self.inds[label]


def _value(v) -> float:
    if v is None or v == "" or v == "—":
        return np.nan
    return float(v)


FACTOR = {("万元", "亿元"): 10000, ("万美元", "亿美元"): 10000, ("人", "万人"): 10000}


def _convert(v: float, written: str, catalog: str) -> float:
    if np.isnan(v) or written == catalog:
        return v
    return float(Decimal(repr(v)) / FACTOR[(written, catalog)])


def read_long(rows: list[list], res: Resolver, source: str) -> dict:
    head = [str(h) for h in rows[0]]
    assert head in (["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"],
                     ["period", "unit", "indicator", "target", "milestone", "actual", "note"]), head
    out = {}
    for n, r in enumerate(rows[1:], 2):
        key = (parse_period(r[0]), res.unit(r[1]), res.ind(r[2]))
        assert key not in out, f"{source} row {n}: {key} twice"
        out[key] = {"target": _value(r[3]), "milestone": _value(r[4]), "actual": _value(r[5])}
    return out


def read_csv(path: Path, encoding: str, res: Resolver) -> dict:
    text = path.read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    assert all(r[6] == "合成演示数据" for r in rows[1:])
    return read_long(rows, res, path.name)


def _grid_xlsx(ws):
    pct = {}
    grid = []
    for row in ws.iter_rows():
        vals = []
        for c in row:
            v = c.value
            if isinstance(v, float | int) and c.number_format.endswith("%"):
                v = float(Decimal(repr(float(v))) * 100)
                pct[(c.row, c.column)] = True
            vals.append(v)
        grid.append(vals)
    return grid


def _grid_xls(sh):
    grid = []
    for r in range(sh.nrows):
        grid.append([None if v == "" else v for v in sh.row_values(r)])
    return grid


SUB = {"目标": "target", "年度目标": "target", "节点目标": "milestone", "完成": "actual", "完成值": "actual",
       "绝对额": "actual", "增速": "growth", "完成率": "completion", "排名": "rank"}


def _round(x, d):
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def _ranks(keys: dict, descending: bool) -> dict:
    k = {u: _round(v, 4) for u, v in keys.items()}
    order = sorted(k.values(), reverse=descending)
    return {u: order.index(v) + 1 for u, v in k.items()}


def read_wide(grid, res: Resolver, data, source: str):
    """One wide sheet -> (figures, rank mismatches)."""
    title = str(grid[0][0])
    assert "合成演示数据" in title and "各县市区主要指标完成情况" in title
    m = re.match(r"(\d{4})年(1-(\d+)月|上半年|全年)", title)
    month = int(m[3]) if m[3] else {"上半年": 6, "全年": 12}[m[2]]
    date = _month_end(int(m[1]), month)
    assert str(grid[1][0]).startswith("（单位：")
    assert grid[2][0] == "序号"
    groups, label = [], None
    for j in range(2, len(grid[2])):
        if grid[2][j] is not None:
            label = grid[2][j]
            name, measure = re.fullmatch(r"(.+)（(.+)）", label).groups()
            groups.append((res.by_name[name], measure, []))
        groups[-1][2].append((j, SUB[grid[3][j]]))
    ind = data.indicators.set_index("code")
    figures, checks = {}, []
    saw_total = saw_note = False
    rows = {}
    for r in grid[4:]:
        label = r[1]
        if r[0] is not None and str(r[0]).startswith(("注：", "数据来源")):
            saw_note = True
            continue
        if label == "全市" or str(label).endswith("小计"):
            saw_total = True
            continue
        rows[res.unit(label)] = r
    assert saw_total and saw_note
    for code, measure, subs in groups:
        cat = res.measure[code]
        cols = dict((s, j) for j, s in subs)
        keys, written_rank = {}, {}
        for u, r in rows.items():
            t = _convert(_value(r[cols["target"]]) if "target" in cols else np.nan, measure, cat)
            a = _convert(_value(r[cols["actual"]]), measure, cat)
            ms = _convert(_value(r[cols["milestone"]]) if "milestone" in cols else np.nan, measure, cat)
            rec = {"target": t, "milestone": ms, "actual": a}
            key = (date, u, code)
            assert key not in figures
            figures[key] = rec
            if "growth" in cols:
                g = _value(r[cols["growth"]])
                figures[(date, u, gen.GROWTH_OF[code])] = {"target": np.nan, "milestone": np.nan, "actual": g}
                if not np.isnan(g):
                    keys[u] = g
            elif not np.isnan(a):
                kind, direction = ind.at[code, "kind"], ind.at[code, "direction"]
                if kind == "rate":
                    keys[u] = a
                elif not np.isnan(t) and (t != 0 or direction == "lower"):
                    e = month / 12
                    keys[u] = a / t if direction == "higher" else gen.attainment((kind, direction), t, a, e)
            if "completion" in cols and r[cols["completion"]] is not None:
                assert abs(float(r[cols["completion"]]) - 100 * a / t) <= 0.05 + 1e-9, (source, u, code)
            if r[cols["rank"]] is not None:
                written_rank[u] = int(r[cols["rank"]])
        kind, direction = ind.at[code, "kind"], ind.at[code, "direction"]
        descending = "growth" in cols or kind == "amount" or direction == "higher"
        expected = _ranks(keys, descending)
        assert set(written_rank) == set(expected), (source, code)
        checks += [(u, code, written_rank[u], expected[u]) for u in expected if written_rank[u] != expected[u]]
    return figures, checks


def _merge(acc: dict, part: dict, source: str) -> None:
    for key, rec in part.items():
        have = acc.setdefault(key, {"target": np.nan, "milestone": np.nan, "actual": np.nan})
        for f, v in rec.items():
            if np.isnan(v):
                continue
            assert np.isnan(have[f]) or have[f] == v, f"{source}: {key} {f} {v} != {have[f]}"
            have[f] = v


def test_written_sheets_round_trip(data, written):
    out, paths = written
    res = Resolver(data)
    acc: dict = {}
    wrong: list = []
    kinds = set()
    for p in paths:
        if p.name == "catalog.xlsx":
            continue
        if p.suffix == ".csv":
            raw = p.read_bytes()
            if raw.startswith(b"\xef\xbb\xbf"):
                enc, kind = "utf-8-sig", "csv utf-8-sig"
            else:
                try:
                    raw.decode("utf-8")
                    enc, kind = "utf-8", "csv utf-8"
                except UnicodeDecodeError:
                    enc, kind = "gbk", "csv gbk"
            kinds.add(kind)
            _merge(acc, read_csv(p, enc, res), p.name)
        elif "县市区主要指标" in p.name:
            if p.suffix == ".xls":
                kinds.add("wide xls")
                book = xlrd.open_workbook(str(p), formatting_info=True)
                sheets = [(s.name, _grid_xls(s)) for s in book.sheets()]
                assert book.sheet_by_index(0).merged_cells
            else:
                kinds.add("wide xlsx")
                wb = openpyxl.load_workbook(p)
                assert wb.worksheets[0].merged_cells.ranges
                sheets = [(ws.title, _grid_xlsx(ws)) for ws in wb.worksheets]
            assert len(sheets) >= 2
            for name, grid in sheets:
                figs, checks = read_wide(grid, res, data, f"{p.name}/{name}")
                _merge(acc, figs, p.name)
                wrong += [(p.name, name, *c) for c in checks]
        else:
            wb = openpyxl.load_workbook(p)
            assert wb.sheetnames == ["数据", "说明"]
            assert "合成演示数据" in str(wb["说明"]["A2"].value)
            rows = [list(r) for r in wb["数据"].iter_rows(values_only=True)]
            kinds.add("旬 xlsx" if "旬" in p.name else "long xlsx")
            if rows[0][0] == "period":
                kinds.add("long xlsx english")
            if any(isinstance(r[0], dt.datetime) for r in rows[1:]):
                kinds.add("long xlsx date cell")
            if "旬" in p.name:
                assert any(str(r[0]).endswith("中旬") for r in rows[1:])
            _merge(acc, read_long(rows, res, p.name), p.name)
    assert kinds == {"csv utf-8-sig", "csv utf-8", "csv gbk", "wide xls", "wide xlsx", "long xlsx",
                     "long xlsx english", "long xlsx date cell", "旬 xlsx"}
    # drop keys the sheets left entirely blank
    acc = {k: v for k, v in acc.items() if not all(np.isnan(x) for x in v.values())}
    f = _fig(data)
    expect = {(d, u, i): {"target": t, "milestone": m, "actual": a}
              for d, u, i, t, m, a in zip(f["date"], f["unit_code"], f["indicator_code"], f["target"],
                                          f["milestone"], f["actual"], strict=True)}
    assert set(acc) == set(expect)
    for key, rec in expect.items():
        for fld, v in rec.items():
            got = acc[key][fld]
            assert (np.isnan(v) and np.isnan(got)) or v == got, (key, fld, v, got)
    # exactly one deliberately wrong 排名 cell, where the generator says
    w = gen.WRONG_RANK
    assert len(wrong) == 1, wrong
    assert wrong[0][:4] == (w["file"], w["sheet"], w["unit"], w["indicator"])


def test_wide_report_shape(written):
    out, _ = written
    wb = openpyxl.load_workbook(out / "2021Q3_县市区主要指标.xlsx")
    assert len(wb.sheetnames) == 6 and {"经济发展-城区", "民生-县市"} <= set(wb.sheetnames)
    ws = wb["经济发展-县市"]
    assert ws["A1"].value == "2021年1-9月各县市区主要指标完成情况（合成演示数据）"
    assert ws["A2"].value == "（单位：亿元、%）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = get_column_letter(ws.max_column)
    assert {"A3:A4", "B3:B4", f"A1:{last}1", f"A2:{last}2", "C3:G3"} <= merged
    heads = [c.value for c in ws[3] if c.value]
    assert "地区生产总值（亿元）" in heads and "进出口总额（万元）" in heads
    assert ws["A5"].value is None and ws["B5"].value == "全市"
    labels = [ws.cell(r, 2).value for r in range(6, 13)]
    assert labels[:2] == ["衡阳县", "衡南县"]
    notes = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert any(str(n).startswith("注：") for n in notes)
    # the missing figure is written as a dash
    wsm = wb["民生-县市"]
    row = next(r for r in wsm.iter_rows(values_only=True) if r[1] == "祁东县")
    assert "—" in row
    # the 2021Q1 file writes 完成率 as percent-formatted fractions
    ws1 = openpyxl.load_workbook(out / "2021Q1_县市区主要指标.xlsx")["经济发展-城区"]
    col = next(c.column for c in ws1[4] if c.value == "完成率")
    cell = ws1.cell(6, col)
    assert cell.number_format == "0.0%" and 0 < cell.value < 2
    assert ws1.cell(4, 4).value == "完成值"


def test_csv_encodings_and_forms(written):
    out, _ = written
    gbk = (out / "2020-06_月度指标.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    rows = list(csv.reader(io.StringIO(gbk.decode("gbk"))))
    assert rows[0] == ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]
    assert {r[1] for r in rows[1:]} >= {"耒阳", "衡阳县", "长沙", "湘西州"}
    bom = (out / "2021-09_月度指标.csv").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(bom.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"2021-09"}
    prefs = [r for r in rows[1:] if r[1].endswith(("市", "州")) and r[1] not in ("耒阳市", "常宁市")]
    assert len({r[1] for r in prefs}) == 14 and all(r[3] == "" for r in prefs)
    aug = (out / "2021-08_月度指标.csv").read_bytes().decode("utf-8-sig")
    assert "2021年1-8月" in aug
    year = list(csv.reader(io.StringIO((out / "2021_全省市州季度指标.csv").read_bytes().decode("utf-8-sig"))))
    assert {r[0] for r in year[1:]} == {"2021年第一季度", "2021年1-6月", "2021年1-9月", "2021年1-12月"}
    assert all((r[3] == "") != (r[0] == "2021年第一季度" and r[1] == "衡阳市") and r[5] != "" for r in year[1:])


def test_long_template_forms(written):
    out, _ = written
    seen, names = set(), set()
    for p in sorted(out.glob("*_乡镇部门园区指标.xlsx")):
        ws = openpyxl.load_workbook(p, read_only=True)["数据"]
        for r in ws.iter_rows(min_row=2, values_only=True):
            seen.add(r[0] if not isinstance(r[0], dt.datetime) else r[0].date())
            names.add(r[1])
    assert {"2021Q1", "2021年第三季度", "2021年1-9月", "2021年前三季度", dt.date(2021, 6, 30), "2021年全年",
            "2021年1-12月", "2021Q4"} <= seen
    assert {"2020Q1", "2020年第三季度", "2020年上半年", "2020年全年"} <= seen
    # names shared by two towns appear only as 县/乡镇 or by code
    assert not names & {"白沙镇", "新桥镇"}
    assert {"衡阳县/白沙镇", "常宁市/白沙镇"} <= names
