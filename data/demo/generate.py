"""Seeded generator of the demo sheets (合成演示数据 — synthetic demonstration data).

Everything here is invented for demonstration: the units are real place and office names of
衡阳市 (Hunan), but every figure is drawn from a seeded random generator and is NOT a statistic.

    python data/demo/generate.py          # rewrites the sheets in data/demo/

``build()`` is pure (same seed, same result) and returns the catalog and the figures exactly as the
written sheets carry them after conversion to the catalog's measure: ``figures`` has one row per
(period, unit, indicator) that a sheet writes, with NaN where the sheet leaves a field blank.
``write(out_dir)`` writes every sheet from that result and returns the paths written.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# Byte-stable sheets whether or not lxml is installed (python-docx brings it): openpyxl's own writer.
# Set before openpyxl is first imported (tests/conftest.py does the same for the test process).
os.environ.setdefault("OPENPYXL_LXML", "False")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

SEED = 2021
DEMO_DIR = Path(__file__).resolve().parent
NOTE = "合成演示数据"
EXPLAIN = (
    "本工作簿为合成演示数据（synthetic demonstration data），由 data/demo/generate.py 以固定随机种子生成，"
    "仅用于演示“云绩效”的导入与看板，不是真实统计数据，不得引用。"
)
FIXED_TIME = dt.datetime(2021, 10, 15, 9, 0, 0)  # stamped into workbook metadata so output is byte-stable

YEARS = (2020, 2021)
QUARTERS = [f"{y}Q{q}" for y in YEARS for q in (1, 2, 3, 4)]  # 2020Q1 … 2021Q4
MONTHS = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]  # 2020-01 … 2021-12
DEKADS = [f"{m}-D{k}" for m in MONTHS for k in (1, 2, 3)]  # 2020-01-D1 … 2021-12-D3
# Periods ending after this day were added later (2021Q4, so that 2021 has a year's result); their
# random draws come from a second generator, so every figure up to 2021-09 is what it always was.
EXTENDED_AFTER = dt.date(2021, 9, 30)

# ----------------------------------------------------------------------------------------------
# Units
# ----------------------------------------------------------------------------------------------

COUNTIES = [  # code, name, group, alias (衡阳县 has none: 衡阳 is the city's)
    ("430405", "珠晖区", "城区", "珠晖"),
    ("430406", "雁峰区", "城区", "雁峰"),
    ("430407", "石鼓区", "城区", "石鼓"),
    ("430408", "蒸湘区", "城区", "蒸湘"),
    ("430412", "南岳区", "城区", "南岳"),
    ("430421", "衡阳县", "县市", ""),
    ("430422", "衡南县", "县市", "衡南"),
    ("430423", "衡山县", "县市", "衡山"),
    ("430424", "衡东县", "县市", "衡东"),
    ("430426", "祁东县", "县市", "祁东"),
    ("430481", "耒阳市", "县市", "耒阳"),
    ("430482", "常宁市", "县市", "常宁"),
]
COUNTY_NAME = {c: n for c, n, _, _ in COUNTIES}

TOWNS = {  # county code -> towns; codes: 街道 001…, 镇 100…, 乡 200… (as statistical division codes do)
    "430405": "东风路街道 冶金街道 广东路街道 粤汉街道 苗圃街道 茶山坳镇 和平乡 酃湖乡",
    "430406": "天马山街道 先锋街道 白沙洲街道 雁峰街道 黄茶岭街道 金龙坪街道 岳屏镇",
    "430407": "人民路街道 青山街道 五一街道 潇湘街道 合江街道 角山镇 松木乡",
    "430408": "红湘街道 蒸湘街道 联合街道 呆鹰岭镇 雨母山镇",
    "430412": "祝融街道 南岳镇 寿岳乡",
    "430421": "西渡镇 集兵镇 杉桥镇 井头镇 演陂镇 金兰镇 洪市镇 曲兰镇 金溪镇 界牌镇 渣江镇 三湖镇 台源镇 "
    "石市镇 库宗桥镇 关市镇 白沙镇 岣嵝乡 长安乡 大安乡",
    "430422": "云集镇 向阳镇 茶市镇 三塘镇 花桥镇 泉湖镇 廖田镇 谭子山镇 咸塘镇 宝盖镇 江口镇 车江镇 洪山镇 "
    "栗江镇 松江镇 冠市镇 硫市镇 近尾洲镇 铁丝塘镇 新桥镇",
    "430423": "开云镇 白果镇 萱洲镇 店门镇 长江镇 新桥镇 东湖镇 岭坡乡 贯塘乡 永和乡 福田铺乡 江东乡",
    "430424": "城关镇 新塘镇 大浦镇 吴集镇 甘溪镇 杨林镇 草市镇 杨桥镇 霞流镇 荣桓镇 石湾镇 高湖镇 白莲镇 "
    "三樟镇 蓬源镇",
    "430426": "洪桥街道 永昌街道 玉合街道 白地市镇 河洲镇 归阳镇 过水坪镇 双桥镇 灵官镇 风石堰镇 黄土铺镇 "
    "砖塘镇 蒋家桥镇 金桥镇 鸟江镇 步云桥镇 官家嘴镇 太和堂镇 石亭子镇 粮市镇",
    "430481": "蔡子池街道 水东江街道 灶市街街道 五里牌街道 三架街道 小水镇 夏塘镇 哲桥镇 公平圩镇 龙塘镇 "
    "南阳镇 新市镇 遥田镇 东湖圩镇 大义镇 黄市镇 仁义镇 导子镇 竹市镇 马水镇",
    "430482": "宜阳街道 泉峰街道 培元街道 柏坊镇 烟洲镇 荫田镇 白沙镇 西岭镇 罗桥镇 胜桥镇 庙前镇 板桥镇 "
    "洋泉镇 新河镇 三角塘镇 官岭镇 蓬塘乡 弥泉乡 兰江乡 塔山瑶族乡",
}



def _town_codes() -> dict[tuple[str, str], str]:
    """(county code, town name) -> 9-digit code: 街道 001…, 镇 100…, 乡 200… as division codes do."""
    out = {}
    for county, names in TOWNS.items():
        n = {"街道": 0, "镇": 100, "乡": 200}
        for name in names.split():
            suffix = "街道" if name.endswith("街道") else name[-1]
            out[(county, name)] = f"{county}{n[suffix]:03d}"
            n[suffix] += 1
    return out


TOWN_CODE = _town_codes()

DEPARTMENTS = [  # code, name, group, aliases
    ("D001", "市发展和改革委员会", "经济发展部门", "市发改委"),
    ("D002", "市工业和信息化局", "经济发展部门", "市工信局"),
    ("D003", "市财政局", "经济发展部门", ""),
    ("D004", "市商务局", "经济发展部门", ""),
    ("D005", "市自然资源和规划局", "经济发展部门", "市自然资源局"),
    ("D006", "市住房和城乡建设局", "经济发展部门", "市住建局"),
    ("D007", "市交通运输局", "经济发展部门", "市交通局"),
    ("D008", "市农业农村局", "经济发展部门", "市农业局"),
    ("D009", "市水利局", "经济发展部门", ""),
    ("D010", "市文化旅游广电体育局", "经济发展部门", "市文旅广体局"),
    ("D011", "市市场监督管理局", "经济发展部门", "市市场监管局"),
    ("D012", "市统计局", "经济发展部门", ""),
    ("D013", "市科学技术局", "经济发展部门", "市科技局"),
    ("D014", "市乡村振兴局", "经济发展部门", ""),
    ("D015", "市教育局", "社会事业部门", ""),
    ("D016", "市人力资源和社会保障局", "社会事业部门", "市人社局"),
    ("D017", "市民政局", "社会事业部门", ""),
    ("D018", "市卫生健康委员会", "社会事业部门", "市卫健委"),
    ("D019", "市医疗保障局", "社会事业部门", "市医保局"),
    ("D020", "市生态环境局", "社会事业部门", ""),
    ("D021", "市城市管理和综合执法局", "社会事业部门", "市城管执法局"),
    ("D022", "市应急管理局", "社会事业部门", "市应急局"),
    ("D023", "市公安局", "社会事业部门", ""),
    ("D024", "市司法局", "社会事业部门", ""),
    ("D025", "市信访局", "社会事业部门", ""),
    ("D026", "市行政审批服务局", "社会事业部门", "市审批服务局"),
    ("D027", "市林业局", "社会事业部门", ""),
    ("D028", "市退役军人事务局", "社会事业部门", "市退役军人局"),
    ("D029", "市委办公室", "党群部门", "市委办"),
    ("D030", "市政府办公室", "党群部门", "市政府办"),
    ("D031", "市委组织部", "党群部门", ""),
    ("D032", "市委宣传部", "党群部门", ""),
    ("D033", "市委政法委员会", "党群部门", "市委政法委"),
    ("D034", "市总工会", "党群部门", ""),
    ("D035", "共青团衡阳市委员会", "党群部门", "团市委"),
    ("D036", "市妇女联合会", "党群部门", "市妇联"),
    ("D037", "国家税务总局衡阳市税务局", "国省驻衡单位", "市税务局"),
    ("D038", "国网衡阳供电公司", "国省驻衡单位", "衡阳供电公司"),
    ("D039", "衡阳海关", "国省驻衡单位", ""),
    ("D040", "中国人民银行衡阳市中心支行", "国省驻衡单位", "人行衡阳中支"),
    ("D041", "国家统计局衡阳调查队", "国省驻衡单位", "衡阳调查队"),
    ("D042", "中国移动衡阳分公司", "国省驻衡单位", "衡阳移动"),
    ("D043", "中国电信衡阳分公司", "国省驻衡单位", "衡阳电信"),
]
# departments that carry 重点项目 (E17); the others have no such task and no rows for it
PROJECT_DEPTS = {"D001", "D002", "D005", "D006", "D007", "D008", "D009", "D010", "D013", "D015",
                 "D018", "D020", "D021", "D023", "D027", "D038", "D042", "D043"}

PARKS = [  # code, name, group, aliases (parent empty: parks report to the city)
    ("P01", "衡阳高新区", "国家级园区", "衡阳高新技术产业开发区、高新区"),
    ("P02", "松木经开区", "国家级园区", "衡阳松木经济开发区"),
    ("P03", "衡阳综保区", "国家级园区", "衡阳综合保税区、综保区"),
    ("P04", "白沙洲工业园", "省级园区", "白沙洲工业园区"),
    ("P05", "衡山经开区", "省级园区", "衡山经济开发区"),
    ("P06", "衡东经开区", "省级园区", "衡东经济开发区"),
    ("P07", "祁东经开区", "省级园区", "祁东经济开发区"),
    ("P08", "耒阳经开区", "省级园区", "耒阳经济开发区"),
    ("P09", "水口山经开区", "省级园区", "常宁水口山经济开发区"),
    ("P10", "衡南经开区", "省级园区", "衡南经济开发区"),
]

PREFECTURES = [  # Hunan's 14 市州
    ("430100", "长沙市", "长沙"), ("430200", "株洲市", "株洲"), ("430300", "湘潭市", "湘潭"),
    ("430400", "衡阳市", "衡阳"), ("430500", "邵阳市", "邵阳"), ("430600", "岳阳市", "岳阳"),
    ("430700", "常德市", "常德"), ("430800", "张家界市", "张家界"), ("430900", "益阳市", "益阳"),
    ("431000", "郴州市", "郴州"), ("431100", "永州市", "永州"), ("431200", "怀化市", "怀化"),
    ("431300", "娄底市", "娄底"), ("433100", "湘西土家族苗族自治州", "湘西州、湘西"),
]

# ----------------------------------------------------------------------------------------------
# Indicators.  code, name, category, measure, kind, direction, weight, scoring(blank=default),
# frequency(blank=季度), lead, applies, aliases, band(容差), additive(可加), decimals
# ----------------------------------------------------------------------------------------------

_I = [
    ("E01", "地区生产总值", "经济发展", "亿元", "总量", "正向", 10, "", "", "市统计局", "县市区", "GDP、生产总值", None, "是", 2),
    ("E02", "地区生产总值增速", "经济发展", "%", "比率", "正向", 8, "排名", "", "市统计局", "县市区、市州", "GDP增速、生产总值增速", None, "", 1),
    ("E03", "固定资产投资", "经济发展", "亿元", "总量", "正向", 8, "完成率", "季度", "市发展和改革委员会", "县市区", "固投、固定资产投资额", None, "是", 2),
    ("E04", "固定资产投资增速", "经济发展", "%", "比率", "正向", 6, "", "", "市统计局", "县市区、市州", "固投增速", None, "", 1),
    ("E05", "规模工业增加值增速", "经济发展", "%", "比率", "正向", 6, "", "月度", "市工业和信息化局", "县市区、市州", "规模以上工业增加值增速、规工增速", None, "", 1),
    ("E06", "社会消费品零售总额", "经济发展", "亿元", "总量", "正向", 5, "", "月度", "市商务局", "县市区", "社零总额、社零额", None, "", 2),
    ("E07", "社会消费品零售总额增速", "经济发展", "%", "比率", "正向", 4, "", "月度", "市商务局", "县市区、市州", "社零增速", None, "", 1),
    ("E08", "一般公共预算收入", "经济发展", "亿元", "总量", "正向", 6, "", "月度", "市财政局", "县市区", "地方一般公共预算收入、公共预算收入", None, "是", 2),
    ("E09", "一般公共预算收入增速", "经济发展", "%", "比率", "正向", 4, "", "月度", "市财政局", "县市区、市州", "公共预算收入增速", None, "", 1),
    ("E10", "税收占比", "经济发展", "%", "比率", "正向", 4, "", "", "市财政局", "县市区", "税收占一般公共预算收入比重", 2.0, "", 1),
    ("E11", "实际使用外资", "经济发展", "亿美元", "总量", "正向", 3, "", "", "市商务局", "县市区", "实际利用外资", None, "", 2),
    ("E12", "进出口总额", "经济发展", "亿元", "总量", "正向", 4, "", "", "市商务局", "县市区", "外贸进出口总额", None, "是", 2),
    ("E13", "新增市场主体", "经济发展", "户", "总量", "正向", 3, "排名", "", "市市场监督管理局", "县市区", "新登记市场主体", None, "", 0),
    ("E14", "技工贸总收入", "经济发展", "亿元", "总量", "正向", 8, "", "", "市科学技术局", "园区", "园区技工贸总收入", None, "", 2),
    ("E15", "新增规模工业企业", "经济发展", "个", "总量", "正向", 5, "", "", "市工业和信息化局", "园区", "新增规上工业企业", None, "", 0),
    ("E16", "亩均税收", "经济发展", "万元/亩", "比率", "正向", 5, "", "", "市财政局", "园区", "亩均税收贡献", None, "", 1),
    ("E17", "重点项目完成投资", "经济发展", "亿元", "总量", "正向", 8, "完成率", "旬", "市发展和改革委员会", "市直部门、园区", "重点项目投资", None, "是", 2),
    ("E18", "招商引资到位资金", "经济发展", "亿元", "总量", "正向", 6, "", "", "市商务局", "园区", "招商到位资金", None, "", 2),
    ("R01", "防返贫监测户帮扶率", "乡村振兴", "%", "比率", "正向", 6, "", "旬", "市乡村振兴局", "乡镇", "监测户帮扶率", None, "", 1),
    ("R02", "脱贫人口务工规模", "乡村振兴", "万人", "总量", "正向", 5, "", "", "市乡村振兴局", "乡镇", "脱贫劳动力务工规模", None, "", 2),
    ("R03", "消除薄弱村", "乡村振兴", "个", "总量", "正向", 4, "", "", "市农业农村局", "乡镇", "薄弱村消除", None, "", 0),
    ("R04", "乡镇污水处理设施", "乡村振兴", "个", "总量", "正向", 4, "", "", "市生态环境局", "乡镇", "污水处理设施", None, "", 0),
    ("R05", "垃圾中转站", "乡村振兴", "个", "总量", "正向", 3, "", "", "市城市管理和综合执法局", "乡镇", "", None, "", 0),
    ("R06", "农村户厕改造", "乡村振兴", "户", "总量", "正向", 4, "", "", "市农业农村局", "乡镇", "户厕改造、改厕", None, "", 0),
    ("R07", "高标准农田建设", "乡村振兴", "亩", "总量", "正向", 4, "", "", "市农业农村局", "乡镇", "高标准农田", None, "", 0),
    ("R08", "农村居民人均可支配收入", "乡村振兴", "元", "总量", "正向", 6, "", "", "市统计局", "县市区", "农民人均可支配收入", None, "否", 0),
    ("R09", "村级集体经济收入", "乡村振兴", "万元", "总量", "正向", 4, "", "", "市农业农村局", "乡镇", "村集体经济收入", None, "是", 1),
    ("M01", "城镇新增就业", "民生", "万人", "总量", "正向", 5, "", "", "市人力资源和社会保障局", "县市区", "新增就业", None, "", 2),
    ("M02", "城镇调查失业率", "民生", "%", "比率", "逆向", 4, "", "", "市人力资源和社会保障局", "县市区", "调查失业率", None, "", 1),
    ("M03", "居民人均可支配收入", "民生", "元", "总量", "正向", 6, "", "", "市统计局", "县市区", "人均可支配收入", None, "否", 0),
    ("M04", "新增学位", "民生", "个", "总量", "正向", 4, "", "", "市教育局", "县市区", "新增公办学位", None, "", 0),
    ("M05", "政务服务好评率", "民生", "%", "比率", "正向", 5, "", "", "市行政审批服务局", "市直部门", "好评率", 0.5, "", 1),
    ("M06", "督办事项办结率", "民生", "%", "比率", "正向", 5, "", "", "市委办公室", "市直部门、园区", "督办件办结率", None, "", 1),
    ("M07", "基本养老保险参保率", "民生", "%", "比率", "正向", 3, "", "", "市人力资源和社会保障局", "县市区", "养老保险参保率", None, "", 1),
    ("M08", "12345热线办结率", "民生", "%", "比率", "正向", 4, "", "", "市政府办公室", "市直部门", "热线办结率", None, "", 1),
    ("M09", "棚户区改造开工", "民生", "套", "总量", "正向", 3, "", "", "市住房和城乡建设局", "县市区", "棚改开工", None, "", 0),
    ("G01", "PM2.5平均浓度", "生态环保", "μg/m³", "比率", "逆向", 6, "", "", "市生态环境局", "县市区", "PM2.5浓度、细颗粒物平均浓度", None, "", 1),
    ("G02", "空气质量优良天数比率", "生态环保", "%", "比率", "正向", 5, "", "", "市生态环境局", "县市区", "优良天数比率", None, "", 1),
    ("G03", "单位GDP能耗下降率", "生态环保", "%", "比率", "正向", 4, "", "", "市发展和改革委员会", "县市区", "能耗下降率", None, "", 1),
    ("G04", "地表水达标率", "生态环保", "%", "比率", "正向", 5, "", "", "市生态环境局", "县市区", "地表水考核断面达标率", None, "", 1),
    ("G05", "森林覆盖率", "生态环保", "%", "比率", "正向", 2, "", "", "市林业局", "县市区", "", None, "", 2),
    ("G06", "新增造林面积", "生态环保", "万亩", "总量", "正向", 3, "", "", "市林业局", "县市区", "造林面积", None, "是", 2),
    ("G07", "农村生活垃圾收运处置率", "生态环保", "%", "比率", "正向", 4, "", "", "市城市管理和综合执法局", "乡镇", "垃圾收运处置率", None, "", 1),
    ("G08", "园区污水集中处理率", "生态环保", "%", "比率", "正向", 3, "", "", "市生态环境局", "园区", "", None, "", 1),
    ("S01", "安全生产事故死亡人数", "安全稳定", "人", "总量", "逆向", 6, "", "", "市应急管理局", "县市区、园区", "生产安全事故死亡人数", None, "是", 0),
    ("S02", "信访积案化解率", "安全稳定", "%", "比率", "正向", 5, "", "", "市信访局", "县市区、乡镇", "积案化解率", None, "", 1),
    ("S03", "刑事案件发案数", "安全稳定", "起", "总量", "逆向", 4, "", "", "市公安局", "县市区", "刑事发案数", None, "", 0),
    ("S04", "道路交通事故死亡人数", "安全稳定", "人", "总量", "逆向", 3, "", "", "市公安局", "县市区", "交通事故死亡人数", None, "", 0),
    ("S05", "矛盾纠纷调处成功率", "安全稳定", "%", "比率", "正向", 3, "", "", "市司法局", "乡镇", "纠纷调处成功率", None, "", 1),
    ("S06", "群众安全感满意度", "安全稳定", "%", "比率", "正向", 3, "", "", "市委政法委员会", "县市区", "安全感满意度", None, "", 1),
]
DECIMALS = {row[0]: row[14] for row in _I}
#: the catalog's 报送时限 where an indicator differs from the scheme's default for its frequency
#: (GDP is published later than the other quarterly figures)
DUE_OVERRIDES = {"E01": "次月15日"}
_KIND = {"总量": "amount", "比率": "rate"}
_DIR = {"正向": "higher", "逆向": "lower"}
_SCORING = {"完成率": "ratio", "排名": "rank"}
_FREQ = {"季度": "quarter", "月度": "month", "旬": "dekad", "周": "week", "": "quarter"}

# ----------------------------------------------------------------------------------------------
# The special cases the dashboard and the importer should show (tests assert they are present)
# ----------------------------------------------------------------------------------------------

TIE = {"period": "2021Q3", "indicator": "E13", "units": ("430422", "430424"),
       "targets": (8000.0, 6000.0), "actuals": (5928.0, 4446.0)}  # both complete 74.1 %
MISSING = [  # blank 完成值 for an expected indicator, with the target given
    {"period": "2021Q3", "unit": "430426", "indicator": "M04"},  # 祁东县 新增学位, wide report
    {"period": "2021Q3", "unit": TOWN_CODE[("430426", "归阳镇")], "indicator": "R03"},  # long sheet
    {"period": "2021Q4", "unit": "430423", "indicator": "M09"},  # 衡山县 棚户区改造开工, wide report
    {"period": "2021-12-D3", "unit": TOWN_CODE[("430424", "杨林镇")], "indicator": "R01"},  # 旬 sheet
]
# 衡东县 ends 2021 with exactly two red indicators (the 考核结果 page's what-if: "if 衡东县 closes its
# two red indicators …"): its other year-end reds are lifted to their targets.
TWO_REDS = {"unit": "430424", "year": 2021, "red": ("E06", "G04")}
NO_TARGET = {"unit": TOWN_CODE[("430423", "萱洲镇")], "indicator": "R06"}  # 农村户厕改造: actuals, never a target
CITY = "430400"  # 衡阳市: the city's own 省考 targets, as the province sets them (other 市州's are not known)
CITY_TARGETS = {"E02": {2020: 7.5, 2021: 8.0}, "E04": {2020: 9.0, 2021: 10.0}, "E05": {2020: 8.5, 2021: 9.0},
                "E07": {2020: 10.5, 2021: 12.0}, "E09": {2020: 8.0, 2021: 10.5}}
ZERO_DEATH = {"indicator": "S01", "units": ("430412", "P01", "P02", "P03", "P04", "P05", "P06", "P07",
                                            "P08", "P09", "P10"),
              "breach": {"unit": "P04", "from": "2021Q3", "actual": 1.0}}  # 白沙洲工业园: one death
MILESTONES = {  # (indicator, unit) -> share of the 2021 target as 节点目标 at 2021Q1, Q2, Q3
    ("E03", "430407"): (0.18, 0.42, 0.70),
    ("E03", "430423"): (0.20, 0.45, 0.72),
    ("E03", "430482"): (0.28, 0.55, 0.80),
    ("R06", TOWN_CODE[("430421", "西渡镇")]): (0.15, 0.45, 0.80),
    ("R06", TOWN_CODE[("430422", "茶市镇")]): (0.10, 0.40, 0.75),
    ("R06", TOWN_CODE[("430481", "哲桥镇")]): (0.20, 0.50, 0.85),
    ("R06", TOWN_CODE[("430482", "白沙镇")]): (0.15, 0.45, 0.80),
    ("E14", "P01"): (0.22, 0.48, 0.74),
    ("E14", "P05"): (0.20, 0.45, 0.70),
}
WRONG_RANK = {  # the one deliberate wrong 排名 cell (the importer warns, the import goes through)
    "file": "2021Q2_县市区主要指标.xlsx", "sheet": "经济发展-县市", "unit": "430481", "indicator": "E01",
}


@dataclass
class DemoData:
    units: pd.DataFrame
    indicators: pd.DataFrame
    figures: pd.DataFrame


# ----------------------------------------------------------------------------------------------
# Periods and numbers
# ----------------------------------------------------------------------------------------------

def period_kind(code: str) -> str:
    if re.fullmatch(r"\d{4}Q[1-4]", code):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", code):
        return "month"
    if re.fullmatch(r"\d{4}-\d{2}-D[123]", code):
        return "dekad"
    raise ValueError(code)


def period_end(code: str) -> dt.date:
    """End date of a period code (2021Q3, 2021-09, 2021-09-D2)."""
    kind = period_kind(code)
    y = int(code[:4])
    if kind == "quarter":
        m = 3 * int(code[5])
        return dt.date(y, m, calendar.monthrange(y, m)[1])
    m = int(code[5:7])
    last = calendar.monthrange(y, m)[1]
    if kind == "month" or code.endswith("D3"):
        return dt.date(y, m, last)
    return dt.date(y, m, 10 if code.endswith("D1") else 20)


def expected_progress(code: str) -> float:
    d = period_end(code)
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        return d.month / 12
    days = 366 if calendar.isleap(d.year) else 365
    return d.timetuple().tm_yday / days


def rnd(x: float, decimals: int) -> float:
    """Half away from zero on the shortest decimal form; the result's repr has ≤ `decimals` places."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def scale_exact(value: float, factor: int) -> float | int:
    """value × 10^k written exactly (1234.56 亿元 → 12345600 万元)."""
    d = Decimal(repr(float(value))) * factor
    return int(d) if d == d.to_integral_value() else float(d)


def _key4(x: float) -> float:
    return rnd(x, 4)


def min_ranks(keys: dict[str, float], descending: bool) -> dict[str, int]:
    """Ranks with ties sharing the smaller rank ('1224'), keys rounded to 4 decimals."""
    rounded = {u: _key4(k) for u, k in keys.items()}
    order = sorted(rounded.values(), reverse=descending)
    return {u: order.index(k) + 1 for u, k in rounded.items()}


CAP = 1.20


def attainment(kind_dir: tuple[str, str], target: float, actual: float, e: float) -> float:
    if kind_dir[1] == "higher":
        return actual / (target * e)
    if actual == 0:
        return CAP
    if target == 0:
        return 0.0
    return target * e / actual


# ----------------------------------------------------------------------------------------------
# Catalog frames
# ----------------------------------------------------------------------------------------------

def _split(aliases: str) -> list[str]:
    return [a for a in aliases.split("、") if a]


def _town_rows() -> list[tuple]:
    return [(code, name, "乡镇", COUNTY_NAME[county], county, []) for (county, name), code in TOWN_CODE.items()]


def _units() -> pd.DataFrame:
    rows = [(c, n, "县市区", g, "", _split(a)) for c, n, g, a in COUNTIES]
    rows += _town_rows()
    rows += [(c, n, "市直部门", g, "", _split(a)) for c, n, g, a in DEPARTMENTS]
    rows += [(c, n, "园区", g, "", _split(a)) for c, n, g, a in PARKS]
    rows += [(c, n, "市州", "全省", "", _split(a)) for c, n, a in PREFECTURES]
    return pd.DataFrame(rows, columns=["code", "name", "type", "group", "parent", "aliases"])


def _indicators() -> pd.DataFrame:
    rows = []
    for (code, name, cat, measure, kind, direction, weight, scoring, freq, lead, applies, aliases,
         band, additive, _dec) in _I:
        k = _KIND[kind]
        rows.append({
            "code": code, "name": name, "category": cat, "measure": measure, "kind": k,
            "direction": _DIR[direction], "weight": float(weight),
            "scoring": _SCORING[scoring] if scoring else ("ratio" if k == "amount" else "rank"),
            "frequency": _FREQ[freq], "lead": lead, "applies_to": _split(applies),
            "aliases": _split(aliases), "band": float("nan") if band is None else float(band),
            "additive": (additive != "否") if k == "amount" else False,
        })
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------

GDP_2020 = {"430405": 265, "430406": 215, "430407": 235, "430408": 318, "430412": 56, "430421": 405,
            "430422": 420, "430423": 198, "430424": 300, "430426": 372, "430481": 560, "430482": 395}
# scale of a county amount relative to its GDP (catalog measure)
COUNTY_SCALE = {"E01": 1.0, "E03": 0.85, "E06": 0.42, "E08": 0.055, "E11": 0.0014, "E12": 0.12,
                "E13": 18.0, "M01": 0.0022, "M04": 4.0, "M09": 2.5, "S03": 2.8}
PROJECTS = {"D001": 60, "D002": 18, "D005": 25, "D006": 45, "D007": 55, "D008": 12, "D009": 20,
            "D010": 8, "D013": 5, "D015": 10, "D018": 9, "D020": 6, "D021": 15, "D023": 4, "D027": 3,
            "D038": 14, "D042": 5, "D043": 4}
PARK_SIZE = {"P01": 1800, "P02": 1100, "P03": 160, "P04": 620, "P05": 260, "P06": 300, "P07": 240,
             "P08": 480, "P09": 420, "P10": 220}

# year-to-date growth shape by month: a dip in 2020, a base effect early in 2021 that fades
_SHAPE = {**{(2020, m): v for m, v in zip(range(1, 13), (-1.6, -1.4, -1.1, -0.85, -0.65, -0.5, -0.38,
                                                          -0.3, -0.22, -0.16, -0.1, -0.06), strict=True)},
          **{(2021, m): v for m, v in zip(range(1, 13), (2.2, 1.9, 1.5, 1.2, 0.95, 0.7, 0.45, 0.28, 0.12,
                                                          0.05, 0.0, -0.04), strict=True)}}
_GROWTH_AMP = {"E02": 5.0, "E04": 8.0, "E05": 7.0, "E07": 8.0, "E09": 6.0}
_PM_SEASON = {1: 14, 2: 12, 3: 9, 4: 6, 5: 4, 6: 2, 7: 0.5, 8: -0.5, 9: -1, 10: -1, 11: -0.5, 12: 0}
_GOOD_DAYS_SEASON = {1: -7, 2: -6, 3: -4.5, 4: -3, 5: -2, 6: -1, 7: 0, 8: 0.5, 9: 1, 10: 1, 11: 0.5, 12: 0}


class _Gen:
    """All random draws, in one fixed order."""

    def __init__(self, units: pd.DataFrame, indicators: pd.DataFrame):
        self.rng = np.random.default_rng(SEED)
        self.later = np.random.default_rng(SEED + 1)  # draws of the periods after EXTENDED_AFTER
        self.units = units
        self.ind = indicators.set_index("code")
        self.quality = {u: float(self.rng.normal()) for u in units["code"]}
        self.town_size = {u: float(np.exp(self.rng.normal(0, 0.35))) for u in units["code"]}
        self.rows: dict[tuple[str, str, str], dict] = {}  # (period, unit, indicator) -> fields

    # -- helpers -----------------------------------------------------------------------------
    def draw(self, period: str) -> np.random.Generator:
        """The generator a period's draws come from (see EXTENDED_AFTER)."""
        return self.later if period_end(period) > EXTENDED_AFTER else self.rng

    def z(self, unit: str) -> float:
        return 0.6 * self.quality[unit] + 0.8 * float(self.rng.normal())

    def put(self, period: str, unit: str, ind: str, target=None, actual=None, milestone=None):
        self.rows[(period, unit, ind)] = {"target": target, "actual": actual, "milestone": milestone}

    @staticmethod
    def periods(freq: str, year: int) -> list[str]:
        src = {"quarter": QUARTERS, "month": MONTHS, "dekad": DEKADS}[freq]
        return [p for p in src if p.startswith(str(year))]

    # -- amounts -----------------------------------------------------------------------------
    def amount_year(self, unit, ind, target, z, year, base=0.99, spread=0.075):
        """Year-to-date path against target: attainment around `base` + unit effect, monotone."""
        freq = self.ind.at[ind, "frequency"]
        lower = self.ind.at[ind, "direction"] == "lower"
        dec = DECIMALS[ind]
        eps, prev, out = 0.0, 0.0, {}
        for p in self.periods(freq, year):
            eps = 0.6 * eps + 0.8 * float(self.draw(p).normal())
            a = max(base + spread * z + 0.4 * spread * eps, 0.55)
            e = expected_progress(p)
            v = target * e / a if lower else target * e * a
            v = max(rnd(v, dec), prev)
            out[p] = v
            prev = v
        return out

    def amount(self, unit, ind, target_2020, growth=(0.06, 0.12), base=0.99, target_2021=None, spread=0.075):
        """Two years of an amount; the 2021 target grows from 2020's result (lower: shrinks)."""
        z = self.z(unit)
        dec = DECIMALS[ind]

        def tround(v):  # targets a little rounder than actuals (亿元 to 0.1), small ones exact to dec
            return rnd(v, dec if dec < 2 or abs(v) < 10 else 1)

        t20 = tround(target_2020)
        path20 = self.amount_year(unit, ind, t20, z, 2020, base, spread)
        last20 = path20[max(path20)]  # the year-end (Q4/12月/12月下旬) figure
        lower = self.ind.at[ind, "direction"] == "lower"
        g = float(self.rng.uniform(*growth))
        if target_2021 is not None:
            t21 = tround(target_2021)
        else:
            t21 = tround((t20 * (1 - g / 2)) if lower else last20 * (1 + g))
        if not lower:
            t21 = max(t21, tround(t20 * 0.8), float(Decimal(1).scaleb(-dec)))
        path21 = self.amount_year(unit, ind, t21, z + 0.3 * float(self.rng.normal()), 2021, base, spread)
        for p, v in path20.items():
            self.put(p, unit, ind, t20, v)
        for p, v in path21.items():
            self.put(p, unit, ind, t21, v)

    # -- rates -------------------------------------------------------------------------------
    def rate(self, unit, ind, targets, center, sd, lo=None, hi=None, ar=0.6):
        """targets: {year: target or None}; center(period, target) -> level; z moves toward good."""
        z = self.z(unit)
        lower = self.ind.at[ind, "direction"] == "lower"
        dec = DECIMALS[ind]
        freq = self.ind.at[ind, "frequency"]
        for year in YEARS:
            t = targets.get(year)
            eps = 0.0
            for p in self.periods(freq, year):
                eps = ar * eps + 0.8 * float(self.draw(p).normal())
                shift = sd * (0.7 * z + 0.5 * eps)
                v = center(p, t) + (-shift if lower else shift)
                if lo is not None:
                    v = max(v, lo)
                if hi is not None:
                    v = min(v, hi)
                self.put(p, unit, ind, None if t is None else rnd(t, dec), rnd(v, dec))


def _month(p: str) -> tuple[int, int]:
    d = period_end(p)
    return d.year, d.month


def _growth_center(ind, ref):
    def center(p, t):
        return (ref if t is None else t) + _GROWTH_AMP[ind] * _SHAPE[_month(p)]
    return center


def _level_center(bias=0.0, season=None):
    def center(p, t):
        return t + bias + (season[_month(p)[1]] if season else 0.0)
    return center


def _generate(units: pd.DataFrame, indicators: pd.DataFrame) -> dict:
    g = _Gen(units, indicators)
    rng = g.rng
    by_type = {t: list(units.loc[units["type"] == t, "code"]) for t in units["type"].unique()}
    counties, towns, depts = by_type["县市区"], by_type["乡镇"], by_type["市直部门"]
    parks, prefs = by_type["园区"], by_type["市州"]
    urban = {c for c, _, grp, _ in COUNTIES if grp == "城区"}
    street = {u for u, n in zip(units["code"], units["name"], strict=True) if n.endswith("街道")}

    # ---- 县市区 -------------------------------------------------------------------------------
    for c in counties:
        gdp = GDP_2020[c]
        for ind, k in COUNTY_SCALE.items():
            if ind == "S03":
                g.amount(c, ind, gdp * k * float(rng.uniform(0.8, 1.2)), growth=(0.04, 0.12), base=1.0)
            elif ind in ("E01", "E03", "E06", "E08"):
                g.amount(c, ind, gdp * k * float(rng.uniform(0.9, 1.1)), growth=(0.07, 0.12))
            else:
                g.amount(c, ind, gdp * k * float(rng.uniform(0.75, 1.25)), growth=(0.02, 0.15))
        g.amount(c, "M03", (37500 if c in urban else 29500) * float(rng.uniform(0.93, 1.07)),
                 growth=(0.07, 0.09), base=1.0, spread=0.03)
        g.amount(c, "R08", (23500 if c in urban else 20500) * float(rng.uniform(0.93, 1.07)),
                 growth=(0.08, 0.10), base=1.0, spread=0.03)
        g.amount(c, "G06", float(rng.uniform(0.05, 0.35) if c in urban else rng.uniform(0.8, 2.4)),
                 growth=(-0.1, 0.1))
        g.amount(c, "S04", float(rng.integers(6, 13) if c in urban else rng.integers(15, 31)), base=1.0)
        if c == "430412":  # 南岳区: 零死亡 target
            for p in QUARTERS:
                g.put(p, c, "S01", 0.0, 0.0)
        else:
            g.amount(c, "S01", float(rng.integers(2, 5) if c in urban else rng.integers(4, 10)), base=1.0)
        # growth rates (targets with the same shape for 市州 actuals)
        for ind in ("E02", "E04", "E05", "E07", "E09"):
            t20 = float(rng.choice([7.0, 7.5, 8.0])) + (1.0 if ind in ("E04", "E07") else 0.0)
            t21 = t20 + float(rng.choice([0.0, 0.5, 1.0]))
            g.rate(c, ind, {2020: t20, 2021: t21}, _growth_center(ind, None), sd=1.3, ar=0.7)
        t10 = rnd(float(rng.uniform(66, 78)), 1)
        g.rate(c, "E10", {2020: t10, 2021: t10 + 1.0}, _level_center(-0.5), sd=3.0, hi=95)
        lvl = {
            "M02": ({y: 5.5 for y in YEARS}, _level_center(-0.3), 0.5, 3.0, 9.0),
            "M07": ({y: float(rng.choice([90.0, 92.0, 95.0])) for y in YEARS}, _level_center(-0.3), 1.5, 70.0, 100.0),
            "G02": ({2020: rng.uniform(86, 91), 2021: None}, _level_center(0.0, _GOOD_DAYS_SEASON), 2.5, 50.0, 100.0),
            "G03": ({y: float(rng.choice([2.5, 3.0, 3.2])) for y in YEARS}, _level_center(0.0), 1.2, -2.0, 10.0),
            "G05": ({2020: rng.uniform(42, 66) if c != "430412" else 81.5, 2021: None}, _level_center(0.25), 0.3, 20.0, 95.0),
            "S02": ({y: float(rng.choice([90.0, 92.0, 95.0])) for y in YEARS}, _level_center(-1.5), 4.0, 50.0, 100.0),
            "S06": ({y: 95.0 for y in YEARS}, _level_center(0.2), 1.5, 80.0, 100.0),
        }
        for ind, (targets, center, sd, lo, hi) in lvl.items():
            if targets.get(2021) is None:
                targets[2021] = targets[2020] + (0.5 if ind != "G05" else 0.3)
            targets = {y: rnd(t, DECIMALS[ind]) for y, t in targets.items()}
            g.rate(c, ind, targets, center, sd, lo, hi)
        pm20 = float(rng.uniform(42, 48) if c != "430412" else 31)
        g.rate(c, "G01", {2020: pm20, 2021: pm20 - 3}, _level_center(0.0, _PM_SEASON), 3.0, 15.0, 90.0)
        # 地表水: share of assessed sections up to standard (k / n)
        n = int(rng.integers(5, 13))
        for year in YEARS:
            t = 100.0 if rng.random() < 0.5 else rnd(100 * (n - 1) / n, 1)
            for p in g.periods("quarter", year):
                k = n - int(g.draw(p).choice([0, 0, 0, 1, 1, 2]))
                g.put(p, c, "G04", t, rnd(100 * k / n, 1))

    # ---- 乡镇 ---------------------------------------------------------------------------------
    for t in towns:
        s = g.town_size[t] * (0.35 if t in street else 1.0)
        g.amount(t, "R02", 0.22 * s, growth=(-0.05, 0.1))
        g.amount(t, "R03", float(max(1, round(2 * s))), base=1.0, target_2021=float(max(1, round(1.5 * s))))
        g.amount(t, "R04", float(rng.integers(1, 3)), base=1.0, target_2021=float(rng.integers(1, 3)))
        g.amount(t, "R05", float(rng.integers(1, 3)), base=1.0, target_2021=float(rng.integers(1, 3)))
        g.amount(t, "R06", 480 * s, growth=(-0.1, 0.15))
        g.amount(t, "R07", 2200 * s, growth=(-0.1, 0.2))
        g.amount(t, "R09", 150 * g.town_size[t], growth=(0.05, 0.15))
        for ind, t_lvl, sd in (("G07", 92.0, 2.0), ("S02", 90.0, 2.5), ("S05", 96.0, 1.2)):
            tg = {y: float(rng.choice([t_lvl, t_lvl + 2])) for y in YEARS}
            g.rate(t, ind, tg, _level_center(0.0), sd, 50.0, 100.0)
        # 防返贫监测户帮扶率 (旬): most at 100, some below
        z = g.z(t)
        for year in YEARS:
            for p in g.periods("dekad", year):
                d = g.draw(p)
                v = 100.0 if d.random() < 0.55 + 0.1 * z else 100 - abs(float(d.normal(0, 1.3)))
                g.put(p, t, "R01", 100.0, rnd(max(v, 90.0), 1))

    # ---- 市直部门 -----------------------------------------------------------------------------
    for d in depts:
        for ind, tl, sd in (("M05", 98.0, 0.9), ("M06", 95.0, 3.5), ("M08", 98.0, 1.8)):
            tg = {y: tl for y in YEARS}
            g.rate(d, ind, tg, _level_center(-0.3), sd, 60.0, 100.0)
        if d in PROJECT_DEPTS:
            g.amount(d, "E17", PROJECTS[d] * float(rng.uniform(0.9, 1.1)), growth=(0.0, 0.2))

    # ---- 园区 --------------------------------------------------------------------------------
    for pk in parks:
        size = PARK_SIZE[pk]
        g.amount(pk, "E14", size, growth=(0.08, 0.15))
        g.amount(pk, "E15", max(3.0, round(size / 60)), growth=(0.0, 0.3))
        g.amount(pk, "E18", size * 0.06, growth=(0.05, 0.2))
        g.amount(pk, "E17", size * 0.035, growth=(0.0, 0.2))
        mu = 18 + size / 60
        g.rate(pk, "E16", {2020: mu, 2021: mu * 1.08}, _level_center(-0.3), 0.08 * mu, 1.0, None)
        g.rate(pk, "M06", {y: 95.0 for y in YEARS}, _level_center(-0.3), 3.5, 60.0, 100.0)
        g.rate(pk, "G08", {y: 95.0 for y in YEARS}, _level_center(-0.5), 3.0, 60.0, 100.0)
        for p in QUARTERS:  # 零死亡
            g.put(p, pk, "S01", 0.0, 0.0)

    # ---- 市州: growth rates, actuals only ----------------------------------------------------
    for pf in prefs:
        for ind in ("E02", "E04", "E05", "E07", "E09"):
            ref = 7.8 + (1.0 if ind in ("E04", "E07") else 0.0) + (0.6 if pf == "430100" else 0.0)
            g.rate(pf, ind, {2020: None, 2021: None}, _growth_center(ind, ref), sd=1.1, ar=0.7)

    _special_cases(g)
    return g.rows


def _special_cases(g: _Gen) -> None:
    rows = g.rows
    # exact tie: same completion, same group, same period
    ind = TIE["indicator"]
    for unit, target, actual, pace in zip(TIE["units"], TIE["targets"], TIE["actuals"], (0.93, 1.04),
                                          strict=True):
        for p in g.periods("quarter", 2021):
            r = rows[(p, unit, ind)]
            r["target"] = target
            if p != TIE["period"]:  # earlier quarters: a plausible pace toward the tied figure
                r["actual"] = rnd(actual * expected_progress(p) / 0.75 * pace, 0)
        rows[(TIE["period"], unit, ind)]["actual"] = actual
    # 零死亡 breached in one park
    br = ZERO_DEATH["breach"]
    for p in QUARTERS:
        if p >= br["from"] and p[:4] == br["from"][:4]:
            rows[(p, br["unit"], "S01")]["actual"] = br["actual"]
    # milestones (2021, quarterly)
    for (ind, unit), shares in MILESTONES.items():
        for p, share in zip(("2021Q1", "2021Q2", "2021Q3"), shares, strict=True):
            r = rows[(p, unit, ind)]
            r["milestone"] = rnd(r["target"] * share, DECIMALS[ind])
    # a unit without any target for one indicator
    for key, r in rows.items():
        if key[1] == NO_TARGET["unit"] and key[2] == NO_TARGET["indicator"]:
            r["target"] = None
    # missing submissions
    for m in MISSING:
        rows[(m["period"], m["unit"], m["indicator"])]["actual"] = None
    # the city's own targets on its 市州 row (the bulletin's city-level sentences read them)
    for (period, unit, ind), r in rows.items():
        if unit == CITY and ind in CITY_TARGETS:
            r["target"] = CITY_TARGETS[ind][int(period[:4])]
    # one county with exactly two reds at the year's end
    year_end = dt.date(TWO_REDS["year"], 12, 31)
    for (p, unit, ind), r in rows.items():
        if (unit == TWO_REDS["unit"] and ind not in TWO_REDS["red"] and period_end(p) == year_end
                and _red_at_year_end(g.ind.loc[ind], r["target"], r["actual"])):
            r["actual"] = r["target"]


def _red_at_year_end(ind: pd.Series, target: float | None, actual: float | None) -> bool:
    """Red by the domain's rules at a year's end (e = 1, no milestone), for the planted cases only."""
    if target is None or actual is None:
        return False
    if ind["kind"] == "amount":
        if ind["direction"] == "higher":
            return target > 0 and actual / target < 0.9
        return actual > 0 and target / actual < 0.9
    band = ind["band"] if not np.isnan(ind["band"]) else (1.0 if ind["measure"] == "%" else 0.05 * abs(target))
    gap = actual - target if ind["direction"] == "higher" else target - actual
    return round(gap, 6) < -band


# ----------------------------------------------------------------------------------------------
# What each sheet writes: targets given in the year's first period, repeated in some later ones
# ----------------------------------------------------------------------------------------------

WIDE_FILES = {  # quarter -> (extension, layout)
    "2020Q1": ("xlsx", "full"), "2020Q2": ("xls", "compact"), "2020Q3": ("xlsx", "compact"),
    "2020Q4": ("xls", "full"), "2021Q1": ("xlsx", "full"), "2021Q2": ("xlsx", "full"),
    "2021Q3": ("xlsx", "compact"), "2021Q4": ("xlsx", "full"),
}
GROWTH_OF = {"E01": "E02", "E03": "E04"}  # amount -> its 增速 indicator (sub-column in compact layouts)


def _target_written(period: str, unit_type: str, ind: str, freq: str) -> bool:
    kind = period_kind(period)
    if unit_type == "市州":  # only the city has targets: given in the year's first quarter or month
        return period.endswith(("Q1", "-01"))
    if unit_type == "县市区" and kind == "quarter":  # wide report
        return not (WIDE_FILES[period][1] == "compact" and ind in GROWTH_OF.values())
    if kind == "quarter":  # long template: given at Q1, repeated at Q3, blank at Q2 and Q4
        return period[-1] in "13"
    if kind == "month":  # monthly CSV: given in January, repeated at quarter ends
        return int(period[5:7]) in (1, 3, 6, 9, 12)
    # 旬: first dekad of the year and the last dekad of each quarter
    return period.endswith("-01-D1") or (period.endswith("D3") and int(period[5:7]) % 3 == 0)


def build() -> DemoData:
    """The catalog and the figures the sheets carry (pure: seeded, same result every call)."""
    units = _units()
    indicators = _indicators()
    rows = _generate(units, indicators)
    utype = dict(zip(units["code"], units["type"], strict=True))
    freq = dict(zip(indicators["code"], indicators["frequency"], strict=True))
    order = {c: i for i, c in enumerate(units["code"])}
    out = []
    for (period, unit, ind), r in rows.items():
        target = r["target"] if _target_written(period, utype[unit], ind, freq[ind]) else None
        rec = {"period": period, "unit_code": unit, "indicator_code": ind,
               "target": np.nan if target is None else float(target),
               "milestone": np.nan if r["milestone"] is None else float(r["milestone"]),
               "actual": np.nan if r["actual"] is None else float(r["actual"])}
        if all(np.isnan(rec[f]) for f in ("target", "milestone", "actual")):
            continue
        out.append(rec)
    figures = pd.DataFrame(out)
    figures["_d"] = figures["period"].map(period_end)
    figures["_k"] = figures["period"].map(lambda p: ("quarter", "month", "dekad").index(period_kind(p)))
    figures["_u"] = figures["unit_code"].map(order)
    figures = (figures.sort_values(["_k", "_d", "indicator_code", "_u"], kind="stable")
               .drop(columns=["_d", "_k", "_u"]).reset_index(drop=True))
    for col in ("target", "milestone", "actual"):
        figures[col] = figures[col].astype("float64")
    return DemoData(units=units, indicators=indicators, figures=figures)


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------

QN = {1: "一", 2: "二", 3: "三", 4: "四"}


def _num(v):
    """A cell value: int when integral, float otherwise, None when blank."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    v = float(v)
    return int(v) if v.is_integer() else v


def _csv_num(v) -> str:
    v = _num(v)
    return "" if v is None else repr(v)


class _Ctx:
    def __init__(self, data: DemoData):
        self.data = data
        self.u = {r["code"]: r for r in data.units.to_dict("records")}
        self.i = {r["code"]: r for r in data.indicators.to_dict("records")}
        names = pd.concat([data.units["name"], data.units["aliases"].explode().dropna()])
        self.ambiguous = set(names[names.duplicated()])
        self.fig = data.figures
        self.rec = {(r["period"], r["unit_code"], r["indicator_code"]): r for r in data.figures.to_dict("records")}
        self.written: set[tuple] = set()

    def unit_label(self, code: str, style: str = "name") -> str:
        name = self.u[code]["name"]
        if name in self.ambiguous:
            if style == "code":
                return code
            return f"{COUNTY_NAME[self.u[code]['parent']]}/{name}"
        if style == "alias" and self.u[code]["aliases"]:
            return self.u[code]["aliases"][0]
        return name

    def ind_label(self, code: str, style: str = "name") -> str:
        if style == "alias" and self.i[code]["aliases"]:
            return self.i[code]["aliases"][0]
        if style == "code":
            return code
        return self.i[code]["name"]

    def mark(self, rec, fields=("target", "milestone", "actual")):
        for f in fields:
            if not np.isnan(rec[f]):
                self.written.add((rec["period"], rec["unit_code"], rec["indicator_code"], f))


def _stable_xlsx(wb, path: Path) -> None:
    """Save an openpyxl workbook with fixed timestamps (byte-stable output)."""
    wb.properties.creator = "云绩效 demo generator"
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2021, 10, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)


def _explain_sheet(wb, extra: str = "") -> None:
    ws = wb.create_sheet("说明")
    ws["A1"] = "说明"
    ws["A2"] = EXPLAIN
    if extra:
        ws["A3"] = extra
    ws.column_dimensions["A"].width = 110


# -- catalog ------------------------------------------------------------------------------------

def _write_catalog(ctx: _Ctx, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["编码", "名称", "类型", "分组", "上级", "别名"])
    for r in ctx.data.units.itertuples(index=False):
        ws.append([r.code, r.name, r.type, r.group, r.parent, "、".join(r.aliases)])
    ws2 = wb.create_sheet("指标")
    ws2.append(["编码", "名称", "类别", "计量单位", "类型", "方向", "权重", "计分方式", "频次", "牵头单位",
                "适用类型", "别名", "容差", "可加", "小数位", "报送时限"])
    for (code, name, cat, measure, kind, direction, weight, scoring, freq, lead, applies, aliases,
         band, additive, dec) in _I:
        ws2.append([code, name, cat, measure, kind, direction, weight, scoring or None, freq or None, lead,
                    applies, aliases or None, band, additive or None, dec, DUE_OVERRIDES.get(code)])
    for sheet, widths in ((ws, (12, 26, 10, 14, 10, 30)),
                          (ws2, (8, 24, 10, 10, 6, 6, 6, 8, 6, 22, 16, 36, 6, 6, 8, 10))):
        for col, w in zip("ABCDEFGHIJKLMNOP", widths, strict=False):
            sheet.column_dimensions[col].width = w
    _stable_xlsx(wb, path)


# -- long template ------------------------------------------------------------------------------

LONG_HEAD = ["期间", "单位", "指标", "目标值", "节点目标", "完成值", "备注"]
LONG_HEAD_EN = ["period", "unit", "indicator", "target", "milestone", "actual", "note"]


def _quarter_text(period: str, form: str):
    y, q = int(period[:4]), int(period[5])
    m = 3 * q
    return {
        "code": period,
        "季度": f"{y}年第{QN[q]}季度",
        "累计": f"{y}年1-{m}月",
        "前三季度": f"{y}年前三季度" if q == 3 else f"{y}年1-{m}月",
        "半年": {2: f"{y}年上半年", 4: f"{y}年全年"}.get(q, f"{y}年1-{m}月"),
        "date": dt.datetime(y, m, calendar.monthrange(y, m)[1]),
    }[form]


LONG_Q_FORMS = {  # quarter -> (period form for 乡镇, 市直部门, 园区; headers; unit style; indicator style)
    "2020Q1": (("code", "code", "code"), "zh", "code", "name"),
    "2020Q2": (("累计", "半年", "半年"), "zh", "name", "name"),
    "2020Q3": (("季度", "季度", "季度"), "zh", "name", "alias"),
    "2020Q4": (("code", "半年", "code"), "en", "name", "name"),
    "2021Q1": (("季度", "code", "code"), "zh", "name", "name"),
    "2021Q2": (("date", "date", "date"), "zh", "name", "name"),
    "2021Q3": (("累计", "前三季度", "季度"), "zh", "alias", "name"),
    "2021Q4": (("半年", "累计", "code"), "zh", "name", "name"),
}
DEKAD_FORMS = ((None, None, None), "zh", "name", "name")


def _row_note(rec) -> str | None:
    key = (rec["period"], rec["unit_code"], rec["indicator_code"])
    if any(key == (m["period"], m["unit"], m["indicator"]) for m in MISSING):
        return "未报送"
    if (rec["unit_code"], rec["indicator_code"]) == (NO_TARGET["unit"], NO_TARGET["indicator"]):
        return "未下达目标任务"
    return None


def _write_long_xlsx(ctx: _Ctx, path: Path, recs: pd.DataFrame, forms, title_note: str) -> None:
    from openpyxl import Workbook

    period_forms, head, unit_style, ind_style = forms
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(LONG_HEAD_EN if head == "en" else LONG_HEAD)
    seen = set()
    for rec in recs.to_dict("records"):
        key = (rec["unit_code"], rec["indicator_code"], rec["period"])
        assert key not in seen, key
        seen.add(key)
        utype = ctx.u[rec["unit_code"]]["type"]
        kind = period_kind(rec["period"])
        if kind == "dekad":
            y, m, k = int(rec["period"][:4]), int(rec["period"][5:7]), rec["period"][-1]
            ptext = f"{y}年{m}月{'上中下'[int(k) - 1]}旬"
        else:
            ptext = _quarter_text(rec["period"], period_forms[("乡镇", "市直部门", "园区").index(utype)])
        style = unit_style if (unit_style != "code" or utype == "乡镇") else "name"
        ws.append([ptext, ctx.unit_label(rec["unit_code"], style), ctx.ind_label(rec["indicator_code"], ind_style),
                   _num(rec["target"]), _num(rec["milestone"]), _num(rec["actual"]), _row_note(rec)])
        if isinstance(ptext, dt.datetime):
            ws.cell(ws.max_row, 1).number_format = 'yyyy"年"m"月"'
        ctx.mark(rec)
    for col, w in zip("ABCDEFG", (16, 22, 22, 10, 10, 10, 14), strict=True):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    _explain_sheet(wb, title_note)
    _stable_xlsx(wb, path)


# -- CSV ----------------------------------------------------------------------------------------

def _month_text(period: str, style: str) -> str:
    y, m = int(period[:4]), int(period[5:7])
    if style == "code":
        return period
    if style == "累计" and m not in (1, 3, 6, 9, 12):
        return f"{y}年1-{m}月"
    return f"{y}年{m}月"


def _write_csv(ctx: _Ctx, path: Path, recs: pd.DataFrame, encoding: str, ptext, unit_style: str,
               ind_style: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LONG_HEAD)
    for rec in recs.to_dict("records"):
        w.writerow([ptext(rec["period"]), ctx.unit_label(rec["unit_code"], unit_style),
                    ctx.ind_label(rec["indicator_code"], ind_style), _csv_num(rec["target"]),
                    _csv_num(rec["milestone"]), _csv_num(rec["actual"]), NOTE])
        ctx.mark(rec)
    path.write_bytes(buf.getvalue().encode(encoding))


# -- wide report --------------------------------------------------------------------------------

# sheet -> groups of (indicator, header measure, sub-columns); "增速" is the 增速 indicator's actual
WIDE_SHEETS = {
    "经济发展": [
        ("E01", "亿元", ("目标", "完成", "完成率", "排名")),
        ("E02", "%", ("目标", "完成", "排名")),
        ("E03", "亿元", ("目标", "节点目标", "完成", "完成率", "排名")),
        ("E04", "%", ("目标", "完成", "排名")),
        ("E10", "%", ("目标", "完成", "排名")),
        ("E11", "万美元", ("目标", "完成", "完成率", "排名")),
        ("E12", "万元", ("目标", "完成", "完成率", "排名")),
        ("E13", "户", ("目标", "完成", "完成率", "排名")),
    ],
    "民生": [
        ("M01", "人", ("目标", "完成", "完成率", "排名")),
        ("M02", "%", ("目标", "完成", "排名")),
        ("M03", "元", ("目标", "完成", "完成率", "排名")),
        ("R08", "元", ("目标", "完成", "完成率", "排名")),
        ("M04", "个", ("目标", "完成", "完成率", "排名")),
        ("M07", "%", ("目标", "完成", "排名")),
        ("M09", "套", ("目标", "完成", "完成率", "排名")),
    ],
    "生态与安全": [
        ("G01", "μg/m³", ("目标", "完成", "排名")),
        ("G02", "%", ("目标", "完成", "排名")),
        ("G03", "%", ("目标", "完成", "排名")),
        ("G04", "%", ("目标", "完成", "排名")),
        ("G05", "%", ("目标", "完成", "排名")),
        ("G06", "万亩", ("目标", "完成", "完成率", "排名")),
        ("S01", "人", ("目标", "完成", "排名")),
        ("S02", "%", ("目标", "完成", "排名")),
        ("S03", "起", ("目标", "完成", "排名")),
        ("S04", "人", ("目标", "完成", "排名")),
        ("S06", "%", ("目标", "完成", "排名")),
    ],
}
SHEET_UNITS_NOTE = {"经济发展": "（单位：亿元、%）", "民生": "（单位：人、元、个、套、%）",
                    "生态与安全": "（单位：μg/m³、%、万亩、人、起）"}
MEASURE_FACTOR = {("亿元", "万元"): 10000, ("亿美元", "万美元"): 10000, ("万人", "人"): 10000}


def wide_groups(quarter: str, sheet: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The indicator groups of one wide sheet for a quarter, after the file's layout."""
    layout = WIDE_FILES[quarter][1]
    out = []
    for ind, measure, subs in WIDE_SHEETS[sheet]:
        if layout == "compact" and ind in GROWTH_OF.values():
            continue
        if layout == "compact" and ind in GROWTH_OF:
            subs = tuple(s for s in subs if s != "排名") + ("增速", "排名")
        if "节点目标" in subs and not quarter.startswith("2021"):
            subs = tuple(s for s in subs if s != "节点目标")
        out.append((ind, measure, subs))
    return out


def _sub_label(sub: str, quarter: str, layout: str, ind: str) -> str:
    if sub == "目标" and quarter.startswith("2020"):
        return "年度目标"
    if sub == "完成" and layout == "compact" and ind in GROWTH_OF:
        return "绝对额"
    if sub == "完成" and quarter == "2021Q1":
        return "完成值"
    return sub


def _pct1(x: float) -> float:
    return float(Decimal(repr(x)).scaleb(2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _quarter_figures(data: DemoData, quarter: str) -> dict[tuple[str, str], dict]:
    sel = data.figures[data.figures["period"] == quarter]
    return {(r["unit_code"], r["indicator_code"]): r for r in sel.to_dict("records")}


def wide_title(quarter: str) -> str:
    y, q = int(quarter[:4]), int(quarter[5])
    span = {1: "1-3月", 2: "上半年" if y == 2021 else "1-6月", 3: "1-9月", 4: "全年" if y == 2020 else "1-12月"}[q]
    return f"{y}年{span}各县市区主要指标完成情况（{NOTE}）"


def wide_table(data: DemoData, quarter: str, sheet: str, group: str, f: dict | None = None) -> dict:
    """Rows of one wide sheet: {unit_code: {(ind, sub): value in the written measure}} plus totals.

    完成率 is completion in percent (1 decimal); 排名 is recomputed by the domain's rules among the
    sheet's units (one ranking group per sheet): by the 增速 column when the group has one, else by the
    indicator's key (amount higher → completion, amount lower → attainment, rate → actual).
    """
    units = data.units
    codes = list(units.loc[(units["type"] == "县市区") & (units["group"] == group), "code"])
    ind = {r["code"]: r for r in data.indicators.to_dict("records")}
    f = _quarter_figures(data, quarter) if f is None else f
    e = expected_progress(quarter)
    table: dict[str, dict] = {c: {} for c in codes}
    for code, measure, subs in wide_groups(quarter, sheet):
        factor = MEASURE_FACTOR.get((ind[code]["measure"], measure), 1)
        kd = (ind[code]["kind"], ind[code]["direction"])
        keys = {}
        for c in codes:
            row = f.get((c, code))
            t = None if row is None or np.isnan(row["target"]) else float(row["target"])
            a = None if row is None or np.isnan(row["actual"]) else float(row["actual"])
            m = None if row is None or np.isnan(row["milestone"]) else float(row["milestone"])
            cells = table[c]
            cells[(code, "目标")] = None if t is None else scale_exact(t, factor)
            cells[(code, "节点目标")] = None if m is None else scale_exact(m, factor)
            cells[(code, "完成")] = None if a is None else scale_exact(a, factor)
            if t is not None and a is not None and t != 0:
                cells[(code, "完成率")] = _pct1(a / t)
            if "增速" in subs:
                gr = f.get((c, GROWTH_OF[code]))
                ga = None if gr is None or np.isnan(gr["actual"]) else float(gr["actual"])
                cells[(code, "增速")] = ga
                if ga is not None:
                    keys[c] = ga
            elif a is not None:
                if kd[0] == "rate":
                    keys[c] = a
                elif t is not None and (t != 0 or kd[1] == "lower"):
                    keys[c] = a / t if kd[1] == "higher" else attainment(kd, t, a, e)
        descending = "增速" in subs or kd[1] == "higher" or kd[0] == "amount"
        for c, r in min_ranks(keys, descending).items():
            table[c][(code, "排名")] = r
    return {"units": codes, "cells": table}


def _totals(data: DemoData, quarter: str, sheet: str, codes: list[str], label: str, f: dict) -> dict:
    """A total row (全市 or a 小计): sums for additive amounts; GDP-weighted means for others."""
    ind = {r["code"]: r for r in data.indicators.to_dict("records")}
    cells = {}
    w = {c: GDP_2020[c] for c in codes}
    for code, measure, subs in wide_groups(quarter, sheet):
        factor = MEASURE_FACTOR.get((ind[code]["measure"], measure), 1)
        kind, additive = ind[code]["kind"], ind[code]["additive"]
        dec = DECIMALS[code]
        for sub, field, icode in (("目标", "target", code), ("完成", "actual", code),
                                  ("增速", "actual", GROWTH_OF.get(code))):
            if sub not in subs:
                continue
            vals = {c: f[(c, icode)][field] for c in codes if (c, icode) in f}
            vals = {c: float(v) for c, v in vals.items() if not np.isnan(v)}
            if not vals:
                continue
            if sub != "增速" and kind == "amount" and (additive or ind[code]["direction"] == "lower"):
                cells[(code, sub)] = scale_exact(rnd(sum(vals.values()), dec), factor)
            elif label == "全市":
                mean = sum(v * w[c] for c, v in vals.items()) / sum(w[c] for c in vals)
                d = DECIMALS[icode]
                cells[(code, sub)] = scale_exact(rnd(mean, d), factor)
        t, a = cells.get((code, "目标")), cells.get((code, "完成"))
        if "完成率" in subs and t and a is not None:
            cells[(code, "完成率")] = _pct1(a / t)
    return cells


def _write_wide(ctx: _Ctx, path: Path, quarter: str) -> None:
    ext, layout = WIDE_FILES[quarter]
    data = ctx.data
    sheets = []
    for sheet in WIDE_SHEETS:
        for group in ("城区", "县市"):
            sheets.append((f"{sheet}-{group}", sheet, group))
    grids = []
    f = _quarter_figures(data, quarter)
    for sheet_name, sheet, group in sheets:
        groups = wide_groups(quarter, sheet)
        tab = wide_table(data, quarter, sheet, group, f)
        codes = tab["units"]
        all_codes = [c for c, _, _, _ in COUNTIES]
        head1 = ["序号", "县市区"]
        head2 = [None, None]
        spans = []
        col = 2
        for code, measure, subs in groups:
            name = ctx.i[code]["name"]
            spans.append((col, col + len(subs) - 1, f"{name}（{measure}）"))
            for s in subs:
                head1.append(None)
                head2.append(_sub_label(s, quarter, layout, code))
            col += len(subs)
        ncol = col

        def line(label, serial, cells, codes_, _groups=groups):
            out = [serial, label]
            for code, _m, subs in _groups:
                for s in subs:
                    v = cells.get((code, s))
                    if s == "完成" and v is None and label not in ("全市",) and not label.endswith("小计"):
                        v = "—"
                    out.append(v)
            return out

        body = [line("全市", None, _totals(data, quarter, sheet, all_codes, "全市", f), all_codes)]
        for n, c in enumerate(codes, 1):
            cells = dict(tab["cells"][c])
            if (quarter, sheet_name, c) == (*_wrong_rank_at(), WRONG_RANK["unit"]):
                key = (WRONG_RANK["indicator"], "排名")
                cells[key] = cells[key] + 1 if cells[key] < len(codes) else cells[key] - 1
            body.append(line(ctx.u[c]["name"], n, cells, codes))
            for code, _m, subs in groups:
                if (quarter, c, code) in ctx.rec:
                    ctx.mark(ctx.rec[(quarter, c, code)], ("target", "milestone", "actual"))
                if "增速" in subs and (quarter, c, GROWTH_OF[code]) in ctx.rec:
                    ctx.mark(ctx.rec[(quarter, c, GROWTH_OF[code])], ("actual",))
        body.append(line(f"{group}小计", None, _totals(data, quarter, sheet, codes, "小计", f), codes))
        notes = [
            f"注：1.本表为{NOTE}（synthetic demonstration data），由云绩效演示数据生成器生成，不是真实统计数据。"
            "2.完成率=完成/目标；排名为本组（城区、县市分组）内排名，增速栏后的排名按增速排序。",
            "数据来源：云绩效演示数据生成器（合成）。",
        ]
        grids.append((sheet_name, ncol, head1, head2, spans, body, notes, SHEET_UNITS_NOTE[sheet]))
    if ext == "xlsx":
        _wide_xlsx(path, quarter, grids)
    else:
        _wide_xls(path, quarter, grids)


def _wrong_rank_at() -> tuple[str, str]:
    return WRONG_RANK["file"].split("_")[0], WRONG_RANK["sheet"]


def _wide_xlsx(path: Path, quarter: str, grids) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    pct_format = quarter == "2021Q1"  # 完成率 as percent-formatted fractions in this file
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for sheet_name, ncol, head1, head2, spans, body, notes, unit_note in grids:
        ws = wb.create_sheet(sheet_name)
        last = get_column_letter(ncol)
        ws["A1"] = wide_title(quarter)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = center
        ws.merge_cells(f"A1:{last}1")
        ws["A2"] = unit_note
        ws["A2"].alignment = Alignment(horizontal="right")
        ws.merge_cells(f"A2:{last}2")
        ws["A3"], ws["B3"] = head1[0], head1[1]
        ws.merge_cells("A3:A4")
        ws.merge_cells("B3:B4")
        for c0, c1, label in spans:
            ws.cell(3, c0 + 1, label).alignment = center
            ws.merge_cells(start_row=3, start_column=c0 + 1, end_row=3, end_column=c1 + 1)
        for j, label in enumerate(head2):
            if label is not None:
                ws.cell(4, j + 1, label).alignment = center
        ws["A3"].alignment = ws["B3"].alignment = center
        sub_of_col = dict(enumerate(head2))
        for i, row in enumerate(body):
            for j, v in enumerate(row):
                cell = ws.cell(5 + i, j + 1, v)
                if pct_format and sub_of_col.get(j) == "完成率" and isinstance(v, (int, float)):
                    cell.value = float(Decimal(repr(float(v))) / 100)
                    cell.number_format = "0.0%"
        r = 5 + len(body)
        for k, note in enumerate(notes):
            ws.cell(r + k, 1, note)
            ws.merge_cells(start_row=r + k, start_column=1, end_row=r + k, end_column=ncol)
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 12
        for j in range(3, ncol + 1):
            ws.column_dimensions[get_column_letter(j)].width = 10
        ws.row_dimensions[3].height = 42
        ws.freeze_panes = "C5"
    _stable_xlsx(wb, path)


def _wide_xls(path: Path, quarter: str, grids) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf("font: bold on, height 280; align: horiz center, vert center")
    head_style = xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on")
    for sheet_name, ncol, head1, head2, spans, body, notes, unit_note in grids:
        ws = wb.add_sheet(sheet_name)
        ws.write_merge(0, 0, 0, ncol - 1, wide_title(quarter), title_style)
        ws.write_merge(1, 1, 0, ncol - 1, unit_note, xlwt.easyxf("align: horiz right"))
        ws.write_merge(2, 3, 0, 0, head1[0], head_style)
        ws.write_merge(2, 3, 1, 1, head1[1], head_style)
        for c0, c1, label in spans:
            ws.write_merge(2, 2, c0, c1, label, head_style)
        for j, label in enumerate(head2):
            if label is not None:
                ws.write(3, j, label, head_style)
        for i, row in enumerate(body):
            for j, v in enumerate(row):
                if v is not None:
                    ws.write(4 + i, j, v)
        r = 4 + len(body)
        for k, note in enumerate(notes):
            ws.write_merge(r + k, r + k, 0, ncol - 1, note)
        ws.col(1).width = 12 * 256
    wb.save(str(path))


# -- all files ----------------------------------------------------------------------------------

def write(out_dir: Path, data: DemoData | None = None) -> list[Path]:
    """Write every demo sheet into out_dir; returns the paths written (catalog first)."""
    data = build() if data is None else data
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = _Ctx(data)
    fig = data.figures
    utype = fig["unit_code"].map({c: r["type"] for c, r in ctx.u.items()})
    freq = fig["indicator_code"].map({c: r["frequency"] for c, r in ctx.i.items()})
    paths: list[Path] = []

    p = out_dir / "catalog.xlsx"
    _write_catalog(ctx, p)
    paths.append(p)

    # long template, quarterly: 乡镇, 市直部门, 园区
    for q in QUARTERS:
        sel = fig[(fig["period"] == q) & (freq == "quarter") & utype.isin(["乡镇", "市直部门", "园区"])]
        p = out_dir / f"{q}_乡镇部门园区指标.xlsx"
        _write_long_xlsx(ctx, p, sel, LONG_Q_FORMS[q], f"期间：{q}（季度指标，乡镇、市直部门、园区）。")
        paths.append(p)

    # wide report, quarterly: 县市区
    for q, (ext, _layout) in WIDE_FILES.items():
        p = out_dir / f"{q}_县市区主要指标.{ext}"
        _write_wide(ctx, p, q)
        paths.append(p)

    # monthly CSVs (县市区 and 市州); 2020 in GBK with short names, 2021 in UTF-8 (BOM except July)
    for m in MONTHS:
        sel = fig[(fig["period"] == m)]
        y = int(m[:4])
        if y == 2020:
            enc, pt, us, ist = "gbk", (lambda p: _month_text(p, "name")), "alias", "alias"
        else:
            enc = "utf-8" if m == "2021-07" else "utf-8-sig"
            style = "累计" if m in ("2021-07", "2021-08") else "code"
            pt, us, ist = (lambda p, s=style: _month_text(p, s)), "name", "name"
        p = out_dir / f"{m}_月度指标.csv"
        _write_csv(ctx, p, sel, enc, pt, us, ist)
        paths.append(p)

    # 市州 province ranking, quarterly rates, actuals only
    for y, enc, form in ((2020, "gbk", "半年"), (2021, "utf-8-sig", "累计")):
        sel = fig[fig["period"].str.startswith(f"{y}Q") & (utype == "市州")]
        p = out_dir / f"{y}_全省市州季度指标.csv"
        _write_csv(ctx, p, sel, enc, lambda q, f=form: _quarter_text(q, f if q[-1] != "1" else "季度"),
                   "alias" if y == 2020 else "name", "name")
        paths.append(p)

    # 旬 sheets, one workbook per quarter
    for q in QUARTERS:
        y, qn = int(q[:4]), int(q[5])
        months = {f"{y}-{m:02d}" for m in range(3 * qn - 2, 3 * qn + 1)}
        sel = fig[(freq == "dekad") & fig["period"].str[:7].isin(months)]
        p = out_dir / f"{q}_旬报指标.xlsx"
        _write_long_xlsx(ctx, p, sel, DEKAD_FORMS if y == 2021 else (*DEKAD_FORMS[:3], "alias"),
                         f"旬报：{q} 各旬（防返贫监测户帮扶率、重点项目完成投资）。")
        paths.append(p)

    expected = {(r.period, r.unit_code, r.indicator_code, f)
                for r in fig.itertuples(index=False) for f in ("target", "milestone", "actual")
                if not np.isnan(getattr(r, f))}
    missing = expected - ctx.written
    assert not missing, f"figures not written: {sorted(missing)[:5]} …"
    return paths


def clean(out_dir: Path) -> None:
    """Remove previously generated sheets (not README.md or this script)."""
    for p in Path(out_dir).iterdir():
        if p.suffix in (".xlsx", ".xls", ".csv") and p.is_file():
            p.unlink()


def write_events(out_dir: Path, data: DemoData | None = None) -> Path:
    """The 2021 加扣分事项 workbook (data/demo/assessment_events.py) into out_dir/events/."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo_assessment_events", DEMO_DIR / "assessment_events.py")
    events = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(events)
    data = build() if data is None else data
    path = Path(out_dir) / "events" / events.FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    _stable_xlsx(events.workbook(data.units), path)
    return path


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else DEMO_DIR
    if out.resolve() == DEMO_DIR:
        clean(out)
    data = build()
    paths = [*write(out, data), write_events(out, data)]
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files ({size / 1e6:.2f} MB) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
