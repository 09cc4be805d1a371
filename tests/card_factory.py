"""The statistics bureau's monthly card (月报卡): the catalog a 邵阳 analyst would write for it, and a
synthetic card built here with every quirk of the real ones (figures are made up).

The real cards live in ../shared/real/shaoyang/ and are never copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from factories import write_catalog

# -- the catalog a user would write for the 邵阳 card ------------------------------------------------

SHAOYANG_UNITS = [
    ["430500", "邵阳市", "市州", "", "", ""],
    ["430502", "双清区", "县市区", "", "", "双清"],
    ["430503", "大祥区", "县市区", "", "", "大祥"],
    ["430511", "北塔区", "县市区", "", "", "北塔"],
    ["430522", "新邵县", "县市区", "", "", "新邵"],
    ["430523", "邵阳县", "县市区", "", "", ""],
    ["430524", "隆回县", "县市区", "", "", "隆回"],
    ["430525", "洞口县", "县市区", "", "", "洞口"],
    ["430527", "绥宁县", "县市区", "", "", "绥宁"],
    ["430528", "新宁县", "县市区", "", "", "新宁"],
    ["430529", "城步苗族自治县", "县市区", "", "", "城步、城步县"],
    ["430581", "武冈市", "县市区", "", "", "武冈"],
    ["430582", "邵东市", "县市区", "", "", "邵东"],
    ["YQ01", "邵阳经济技术开发区", "园区", "", "", "邵阳经开区"],   # a row of the March card's 外商直接投资
]


def _amount(code, name, measure, freq="月度", aliases="", additive="", applies="县市区"):
    return [code, name, "经济运行", measure, "总量", "正向", 1, "", freq, "市统计局", applies, aliases, "", additive]


def _growth(code, name, freq="月度", aliases=""):
    return [code, name, "经济运行", "%", "比率", "正向", 1, "排名", freq, "市统计局", "县市区", aliases, "", ""]


# 施工项目个数 and 高技术产业投资 are left out on purpose: an analyst tracks what the city assesses.
SHAOYANG_INDICATORS = [
    _amount("GDP", "地区生产总值", "亿元", "季度", "GDP、生产总值"),
    _growth("GDPZS", "地区生产总值增速", "季度", "GDP增速"),
    _growth("CY1ZS", "第一产业增加值增速", "季度"),
    _growth("CY2ZS", "第二产业增加值增速", "季度"),
    _growth("CY3ZS", "第三产业增加值增速", "季度"),
    _growth("GYZJZS", "规模工业增加值增速", aliases="规上工业增加值增速"),
    _amount("GYYS", "规模工业营业收入", "亿元"),
    _growth("GYYSZS", "规模工业营业收入增速"),
    _amount("GYLR", "规模工业利润总额", "亿元"),
    _growth("GYLRZS", "规模工业利润总额增速"),
    _growth("GDZCZS", "固定资产投资增速", aliases="固投增速"),
    _growth("JCSSZS", "基础设施建设投资增速"),
    _growth("GYTZZS", "工业投资增速"),
    _growth("FDCZS", "房地产开发投资增速"),
    _amount("SXL", "社会消费品零售总额", "亿元", aliases="社零额"),
    _growth("SXLZS", "社会消费品零售总额增速"),
    _amount("WZ", "外商直接投资", "亿美元", applies="县市区、园区"),
    _amount("JCK", "进出口总额", "亿元", aliases="进出口"),
    _growth("JCKZS", "进出口总额增速"),
    _amount("CKE", "出口总额", "亿元", aliases="出口"),
    _growth("CKEZS", "出口总额增速"),
    _amount("QTSR", "全体居民人均可支配收入", "元", "季度", additive="否"),
    _growth("QTSRZS", "全体居民人均可支配收入增速", "季度"),
    _amount("CZSR", "城镇居民人均可支配收入", "元", "季度", additive="否"),
    _growth("CZSRZS", "城镇居民人均可支配收入增速", "季度"),
    _amount("NCSR", "农村居民人均可支配收入", "元", "季度", additive="否"),
    _growth("NCSRZS", "农村居民人均可支配收入增速", "季度"),
    _amount("CKYE", "金融机构本外币存款余额", "亿元", aliases="存款余额"),
    _amount("DKYE", "金融机构本外币贷款余额", "亿元", aliases="贷款余额"),
    _amount("YBSR", "地方一般公共预算收入", "亿元"),
    _growth("YBSRZS", "地方一般公共预算收入增速"),
    _amount("YBZC", "一般公共预算支出", "亿元"),
    _growth("YBZCZS", "一般公共预算支出增速"),
]


def write_shaoyang_catalog(path: Path) -> Path:
    return write_catalog(path, SHAOYANG_UNITS, SHAOYANG_INDICATORS)


# -- a synthetic card --------------------------------------------------------------------------------

SHORT = ["双清", "大祥", "北塔", "新邵", "邵阳县", "隆回", "洞口", "绥宁", "新宁", "城步", "武冈", "邵东"]
FULL = {"双清": "双清区", "大祥": "大祥区", "北塔": "北塔区", "新邵": "新邵县", "邵阳县": "邵阳县", "隆回": "隆回县",
        "洞口": "洞口县", "绥宁": "绥宁县", "新宁": "新宁县", "城步": "城步县", "武冈": "武冈市", "邵东": "邵东市"}
CODES = {"双清": "430502", "大祥": "430503", "北塔": "430511", "新邵": "430522", "邵阳县": "430523",
         "隆回": "430524", "洞口": "430525", "绥宁": "430527", "新宁": "430528", "城步": "430529",
         "武冈": "430581", "邵东": "430582"}

# 地区生产总值 (万元), 增速 (%), 排名 as published: full precision shown with one decimal (城步 5.6049 as
# 5.6, 全市 4.958 as 5.0); 邵阳县 and 洞口 tie at 5.0, 双清 and 新宁 at 4.5
GDP = {
    "双清": (1482610.67, 4.5, 10), "大祥": (1667106.76, 5.9, 3), "北塔": (485401.79, 5.2, 6),
    "新邵": (1462906.13, 6.0, 2), "邵阳县": (1581996.34, 5.0, 7), "隆回": (2160878.55, 5.7, 4),
    "洞口": (1679267.96, 5.0, 7), "绥宁": (786309.84, 4.0, 12), "新宁": (1041963.13, 4.5, 10),
    "城步": (540817.58, 5.6049, 5), "武冈": (1655627.0, 6.4, 1), "邵东": (5201215.25, 4.6, 9),
}
# 规模工业营业收入 (亿元), 1-8月: the bureau ranked on the 1-decimal display, so 大祥 (7.754 → 7.8) and
# 邵东 (7.843 → 7.8) both got 7; on 4 decimals 大祥 is 8th.
REVENUE = {
    "双清": (267.4298, 28.3002509252157, 1), "大祥": (64.71762, 7.75449652640474, 7),
    "北塔": (32.3843, -2.1587476532396, 12), "新邵": (164.8402, 8.04907614022477, 6),
    "邵阳县": (74.89518, 6.05806096677648, 10), "隆回": (173.44505, 6.69614463747222, 9),
    "洞口": (90.72651, 9.74643401092136, 3), "绥宁": (70.83966, 1.04689017573885, 11),
    "新宁": (55.38183, 8.90517146786655, 5), "城步": (18.78766, 13.8041863834716, 2),
    "武冈": (97.05308, 9.34941024737645, 4), "邵东": (589.00624, 7.84348922612845, 7),
}
# 规模工业增加值 增速 and 排名: ties on equal values are right (9.7 and 9.7 share 3rd, then 5th)
INDUSTRY = {"双清": (9.7, 3), "大祥": (9.7, 3), "北塔": (8.78, 5), "新邵": (8.39, 6), "邵阳县": (4.95, 9),
            "隆回": (5.27, 8), "洞口": (6.61, 7), "绥宁": (-0.2, 12), "新宁": (3.27, 11), "城步": (11.0, 2),
            "武冈": (11.58, 1), "邵东": (3.36, 10)}
DEPOSITS = {"邵东": 850.4702693963, "新邵": 360.9237243566, "邵阳县": 398.8696294575, "隆回": 675.8162436951,
            "洞口": 488.0844123433, "绥宁": 208.9803459567, "新宁": 321.5646988893, "城步": 138.2171982601,
            "武冈": 446.3089308805}
BUDGET = {  # 万元, 增速, 排名, hidden helper number
    "双清": (18504.0, -18.7779826178562, 10, 1226.5), "大祥": (20937.0, -25.2890379674565, 11, 192.3),
    "北塔": (16597.0, 41.5522388059701, 1, 124.0), "邵东": (138308.0, -13.1280266819087, 9, 195.6),
    "新邵": (54811.0, 5.76373880827416, 4, 133.8), "邵阳县": (47166.0, -27.4960416890843, 12, 200.1),
    "隆回": (85459.0, 5.45676666214198, 5, 202.2), "洞口": (60638.0, -5.84307697085449, 7, 35.9),
    "绥宁": (27036.0, 12.4438529362835, 3, 106.4), "新宁": (49548.0, -7.65962205076596, 8, 188.1),
    "城步": (27513.0, 22.8204098031338, 2, 163.2), "武冈": (81606.0, 3.95801220397712, 6, 124.2),
}
FDI = {"双清": 6.3, "大祥": 1.5, "北塔": 6.0, "邵东": 15.0, "新邵": 46.3, "邵阳县": 100.0, "隆回": 86.0,
       "洞口": 25.3, "绥宁": 10.0, "新宁": 15.0, "城步": 100.0, "武冈": 102.5}
INCOME = {"双清": (31796.0, 5.4, 12), "大祥": (30746.0, 5.5, 10), "北塔": (27316.0, 5.7, 8), "邵东": (29510.0, 5.5, 10),
          "新邵": (19580.0, 6.0, 5), "邵阳县": (19309.0, 6.3, 3), "隆回": (17713.0, 6.4, 2), "洞口": (21332.0, 5.9, 7),
          "绥宁": (17106.0, 5.7, 8), "新宁": (17980.0, 6.1, 4), "城步": (14630.0, 7.0, 1), "武冈": (22069.0, 6.0, 5)}
HIGH_TECH = {"双清": 38.7, "大祥": -18.4, "北塔": -35.0, "新邵": -22.3, "邵阳县": -65.4, "隆回": -19.2, "洞口": -48.3,
             "绥宁": -32.1, "新宁": -1.5, "城步": 581.5, "武冈": 61.6, "邵东": -23.7}
PRIMARY = {"双清": 2.2, "大祥": 2.7, "北塔": 3.0, "新邵": 4.8, "邵阳县": 4.6, "隆回": 4.8, "洞口": 4.2, "绥宁": 4.5,
           "新宁": 4.1, "城步": 3.5, "武冈": 4.5, "邵东": 4.3}


def _table(wb: openpyxl.Workbook, sheet: str, title: str, period: str, subs: list[str], rows: list[list],
           label_header: str = "地  区", title_span: int | None = None) -> openpyxl.worksheet.worksheet.Worksheet:
    """Row 1 title, row 3 地  区 + period merged over the sub-columns, row 4 sub-headers, data from row 5."""
    ws = wb.create_sheet(sheet)
    width = 1 + len(subs)
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=title_span or max(2, width - 1))
    ws.cell(3, 1, label_header)
    ws.merge_cells("A3:A4")
    ws.cell(3, 2, period)
    if len(subs) > 1:
        ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=width)
    for c, sub in enumerate(subs, start=2):
        ws.cell(4, c, sub)
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    return ws


def write_card(path: Path, year: bool = True) -> Path:
    """A September card with the quirks of the real ones; ``year=False`` drops every year."""
    y = "2025年" if year else ""
    wb = openpyxl.Workbook()
    contents = wb.active
    contents.title = "目录"
    contents["A1"] = "目    录"
    contents.merge_cells("A1:B1")
    for r, (line, page) in enumerate([("二、全市主要经济指标", None), ("地区生产总值………………", 3),
                                      ("三、分县市区主要经济指标", None), ("地区生产总值………………", 15),
                                      ("规模工业营业收入………………", 20)], start=3):
        contents.cell(r, 1, line)
        if page:
            contents.cell(r, 2, page)

    # a city-wide table: same header shape, rows are sub-indicators
    _table(wb, "核算5", "地区生产总值", f"{y}1-9月", ["绝对额(亿元)", "增速(%)"], [
        ["一、地区生产总值（GDP）", 1974.6101, 4.958], ["按产业分", None, None], ["第一产业", 303.652132777623, 4.2],
        ["第二产业", 565.497362751771, 5.0], ["第三产业", 1105.46060447061, 5.1]], label_header="指  标")

    # GDP by county: 万元 → 亿元, 全市 row, full-precision growth shown rounded, ties, a stray number (G17)
    rows = [["全市", 19746101.0, 4.958, None]] + [[u, *GDP[u]] for u in SHORT]
    ws = _table(wb, "23核算处1", "地区生产总值", f"{y}1-9月", ["绝对额(万元)", "增速(%)", "排名"], rows)
    for r in range(5, 18):
        ws.cell(r, 3).number_format = "0.0"
    ws["G17"] = 5.0

    # growth only, trailing spaces in the title
    _table(wb, "24核算处2", "第一产业增加值  ", f"{y}1-9月", ["增速(%)"],
           [["全市", 4.2]] + [[u, PRIMARY[u]] for u in SHORT], title_span=2)

    # hidden, stale: 1-2月 labels without figures
    ws = _table(wb, "30工业处2", "规模工业产销率", "1-2月", ["产销率（%）", "同比增减\n百分点（个）"],
                [["全市"]] + [[u] for u in SHORT], label_header="地区")
    ws.sheet_state = "hidden"

    # growth + rank, sheet name with a trailing space; equal values share a rank
    _table(wb, "30工业处1 ", "规模工业增加值", "1-9月", ["增速（%）", "排名"],
           [["全市", 5.95, None]] + [[u, *INDUSTRY[u]] for u in SHORT], label_header="地区")

    # 1-8月 without a year; the bureau's rank on the rounded display value; another row order
    order = SHORT[::-1]
    _table(wb, "工业处2", "规模工业营业收入", "1-8月", ["绝对额(亿元)", "增速(%)", "排名"],
           [["全市", 1699.50713, 10.1861218947613, None]] + [[u, *REVENUE[u]] for u in order], label_header="地区")

    # a table the catalog lacks
    _table(wb, "38投资处7", "高技术产业投资", "1-9月", ["增速（%）", "排名"],
           [["全市", -15.4, None]] + [[u, HIGH_TECH[u], None] for u in SHORT], label_header="地区")

    # 万美元 → 亿美元, hidden rows of other regions below the units
    ws = _table(wb, "43贸外处2", "外商直接投资", "1-9月", ["绝对额(万美元)"],
                [["全市", 720.9]] + [[u, FDI[u]] for u in FDI] + [["长株潭地区", 42380.0, 0.0], ["湘南地区", 24298.0, 0.0]],
                label_header="地区", title_span=2)
    for r in (18, 19):
        ws.row_dimensions[r].hidden = True

    # labels but no figures
    _table(wb, "45贸外处4", "进出口", "1-9月", ["绝对值（万元）", "增速(%)", "排名"],
           [["全市"]] + [[u] for u in SHORT], label_header="地区")

    # 元 stays, 增减(%) is the growth
    _table(wb, "全体收入49", "全体居民人均可支配收入", f"{y}1-9月", ["绝对额(元)", "增减(%)", "排名"],
           [["全市", 21308.82, 5.9, None]] + [[u, *INCOME[u]] for u in INCOME])

    # 9月末, a bare measure as sub-header, a 比年初增减数 column beside the period, 市辖区, full names
    ws = _table(wb, "52综研室1", "金融机构本外币存款余额", "9月末", ["(亿元)"],
                [["全市", 5191.4427717974, 372.86], ["市辖区", 1302.2073185594, 59.01]]
                + [[FULL[u], DEPOSITS[u], 30.0] for u in DEPOSITS], title_span=3)
    ws["C3"] = "比年初增减数"
    ws["C4"] = "(亿元)"

    # hidden column E of helper numbers under the merged period, hidden rows of numbers below
    rows = [["全市", 861488.0, -6.2490273813242, None, 3361.5]] + [[u, *BUDGET[u]] for u in BUDGET]
    ws = _table(wb, "54综研室3", "地方一般公共预算收入", "1-9月", ["绝对额(万元)", "增速（%）", "排名", None], rows)
    ws.merge_cells("D4:E4")
    ws.column_dimensions["E"].hidden = True
    for r, value in ((19, 12.6777), (20, 5.8354), (21, 49.6348)):
        ws.cell(r, 2, value)
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path
