"""The demo's 云督查 (合成演示数据, synthetic): ≈60 ledger items over 2021 in every state (some overdue,
some carried over three meetings), a 乡村振兴 key-task list of ≈40 tasks imported from a generated
workbook, and four past 周调度 meetings with their agendas and decisions.  Seeded: the same every time.

    python data/demo/supervision.py [--store DIR]     # scripts/start.sh runs this

Everything is written through the same services a person uses (role check and audit row each time),
in date order, as the synthetic 演示数据生成器 operator.  A database that already holds ledger items is
left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.access import PERMISSIONS, Actor  # noqa: E402
from metrics.db import database_url  # noqa: E402
from metrics.store import Store  # noqa: E402
from metrics.supervision import agenda, importing, ledger, meetings, queries, tasks, watch  # noqa: E402
from metrics.supervision.ledger import ItemInput  # noqa: E402

SEED = 2021_10
LABEL = "合成演示数据"
ACTOR = Actor(name="demo-generator", role="operator", permissions=frozenset(PERMISSIONS), operator=True,
              display_name=f"演示数据生成器（{LABEL}）")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强海涛明华立新红梅文军春生卫东小平国庆丽娟永刚"
POSTS = {"县市区": ("副县长", "县长", "常务副县长"), "市直部门": ("局长", "副局长", "主任"), "园区": ("管委会主任", "副主任"),
         "乡镇": ("镇长", "党委书记")}
REQUIREMENTS = ("制定专项整改方案，明确责任人和时间表", "建立问题台账，逐项对账销号", "加快重点项目入库纳统",
                "开展一次专题调度并形成会议纪要", "落实要素保障，协调解决堵点问题", "每周报送整改进展")
INSPECTION = ("督查发现{what}工作台账不完整、佐证材料缺失", "暗访发现{what}工作推进滞后，群众反映强烈",
              "{what}工作存在数据填报不实问题")
WHAT = ("防返贫监测", "农村人居环境整治", "高标准农田建设", "招商引资", "重点项目建设", "安全生产")
MEETINGS = [dt.date(2021, 9, 6), dt.date(2021, 9, 13), dt.date(2021, 9, 22), dt.date(2021, 9, 27)]
CATEGORIES = ("巩固脱贫成果", "乡村产业", "乡村建设", "乡村治理", "农村改革")
TASKS = ("防返贫动态监测和帮扶", "脱贫人口小额信贷", "高标准农田建设", "粮食生产功能区建设", "生猪稳产保供", "农产品加工园区建设",
         "乡村旅游示范点创建", "农村公路提质改造", "农村供水保障工程", "农村改厕", "农村生活垃圾治理", "农村生活污水治理",
         "村庄规划编制", "美丽乡村示范村建设", "农村集体经济发展", "农村宅基地改革试点", "新型农业经营主体培育", "农业社会化服务",
         "农村电商服务站建设", "数字乡村建设", "乡村医生队伍建设", "农村义务教育薄弱学校改造", "农村养老服务", "移风易俗",
         "平安乡村建设", "农村人居环境整治提升", "耕地保护和撂荒地整治", "种业振兴行动", "农田水利设施建设", "农村危房改造",
         "乡村振兴驻村帮扶", "消费帮扶", "易地搬迁后续扶持", "脱贫劳动力稳岗就业", "以工代赈项目", "特色产业基地建设",
         "品牌农业创建", "冷链物流设施建设", "农村金融服务", "乡村人才振兴")


def _after(day: dt.date, rng: np.random.Generator, lo: int, hi: int) -> dt.date:
    return day + dt.timedelta(days=int(rng.integers(lo, hi)))


def _name(rng: np.random.Generator) -> str:
    return SURNAMES[int(rng.integers(len(SURNAMES)))] + GIVEN[int(rng.integers(len(GIVEN)))] + \
        GIVEN[int(rng.integers(len(GIVEN)))]


def _leader(rng, unit_type: str) -> str:
    posts = POSTS.get(unit_type, ("负责人",))
    return f"{_name(rng)}（{posts[int(rng.integers(len(posts)))]}）"


def _reds(store: Store) -> list[dict]:
    """Red (unit, indicator) rows of 2021's quarters Q1–Q3 (the figures an office would hang first)."""
    from metrics.compute import Engine

    units, indicators = store.catalog()
    figures = store.figures()
    engine = Engine(units, indicators, figures)
    out = []
    for period in ("2021Q1", "2021Q2", "2021Q3"):
        table = engine.indicator_table(period)
        table = table[(table["status"].astype(str) == "red") & table["unit_type"].astype(str).isin(
            ["县市区", "市直部门", "园区"])]
        for r in table.itertuples():
            out.append({"period": period, "unit_code": str(r.unit_code), "unit_name": str(r.unit_name),
                        "unit_type": str(r.unit_type), "indicator_code": str(r.indicator_code),
                        "indicator_name": str(r.indicator_name), "gap": r.gap_pp, "attainment": r.attainment,
                        "source": f"{r.actual_file} {r.actual_sheet} 第{r.actual_row}行"})
    return out


def task_workbook(path: Path, units, rng) -> Path:
    """The 2021 乡村振兴 key-task list as an office writes it: merged task cells over its milestones."""
    from openpyxl import Workbook

    counties = units[units["type"] == "县市区"]
    depts = units[units["type"] == "市直部门"]
    wb = Workbook()
    ws = wb.active
    ws.title = "重点任务"
    ws.append([f"2021年乡村振兴重点任务分解清单（{LABEL}）"])
    ws.append(["序号", "重点任务", "类别", "牵头单位", "配合单位", "责任领导", "节点目标", "完成时限"])
    r = 3
    for n, title in enumerate(TASKS, 1):
        lead = counties.iloc[int(rng.integers(len(counties)))] if rng.random() < 0.6 else \
            depts.iloc[int(rng.integers(len(depts)))]
        coop = "、".join(sorted(set(depts.iloc[int(rng.integers(len(depts)))]["name"] for _ in range(2))))
        k = int(rng.integers(2, 5))
        months = sorted(rng.choice(np.arange(3, 13), size=k, replace=False).tolist())
        for j, month in enumerate(months):
            text = ["完成摸底调查和方案制定", "启动实施并完成年度任务的30%", "完成年度任务的60%", "完成年度任务的90%",
                    "全面完成并通过验收"][min(j, 4) if j < k - 1 else 4]
            due = "年底" if month == 12 else (f"{month}月底" if rng.random() < 0.5 else dt.date(2021, month, 28))
            ws.append([str(n) if j == 0 else None, title if j == 0 else None,
                       CATEGORIES[n % len(CATEGORIES)] if j == 0 else None, lead["name"] if j == 0 else None,
                       coop if j == 0 else None, _leader(rng, lead["type"]) if j == 0 else None, text, due])
        if k > 1:
            for col in "ABCDEF":
                ws.merge_cells(f"{col}{r}:{col}{r + k - 1}")
        r += k
    wb.save(path)
    return path


def generate(store: Store) -> dict:
    url = database_url(store.root)
    if len(queries.items(url)):
        return {"skipped": True}
    rng = np.random.default_rng(SEED)
    units, _ = store.catalog()
    types = dict(zip(units["code"], units["type"], strict=True))
    reds = _reds(store)
    picks = rng.choice(len(reds), size=min(48, len(reds)), replace=False)
    schedule: list[tuple[dt.date, int, str, dict]] = []   # (day, order, what, data)
    inputs: list[tuple[dt.date, ItemInput]] = []
    for k in picks:
        red = reds[int(k)]
        found_end = {"2021Q1": dt.date(2021, 3, 31), "2021Q2": dt.date(2021, 6, 30), "2021Q3": dt.date(2021, 9, 30)}
        opened = found_end[red["period"]] + dt.timedelta(days=int(rng.integers(12, 25)))
        deadline = opened + dt.timedelta(days=int(rng.integers(30, 100)))
        reqs = [(REQUIREMENTS[int(j)], opened + dt.timedelta(days=int(rng.integers(10, 30))) if n == 0 else None)
                for n, j in enumerate(rng.choice(len(REQUIREMENTS), size=int(rng.integers(1, 4)), replace=False))]
        gap = "" if red["gap"] != red["gap"] else f"差 {abs(float(red['gap'])):.1f} 个百分点"
        inputs.append((opened, ItemInput(
            source="指标", unit_code=red["unit_code"], indicator_code=red["indicator_code"], period=red["period"],
            problem=f"{red['indicator_name']}{red['period'][:4]}年{red['period'][-1]}季度亮红灯，落后序时进度", gap=gap,
            figure_source=red["source"], responsible_unit=red["unit_code"], leader=_leader(rng, red["unit_type"]),
            contact=f"{_name(rng)}（{LABEL}）", deadline=deadline, requirements=reqs,
            severity=("一般", "较重", "严重")[int(rng.choice(3, p=[0.6, 0.3, 0.1]))], source_file=LABEL)))
    pool = units[units["type"].isin(["县市区", "市直部门"])]
    for _ in range(12):
        u = pool.iloc[int(rng.integers(len(pool)))]
        opened = dt.date(2021, 1, 10) + dt.timedelta(days=int(rng.integers(0, 300)))
        what = WHAT[int(rng.integers(len(WHAT)))]
        inputs.append((opened, ItemInput(
            source="督查", unit_code=u["code"], problem=INSPECTION[int(rng.integers(3))].format(what=what),
            responsible_unit=u["code"], leader=_leader(rng, u["type"]), contact=f"{_name(rng)}（{LABEL}）",
            deadline=opened + dt.timedelta(days=int(rng.integers(20, 60))),
            requirements=[(REQUIREMENTS[int(rng.integers(len(REQUIREMENTS)))], None)], source_file=LABEL)))
    inputs.sort(key=lambda x: x[0])
    fates = rng.choice(["挂账", "整改中", "申请销号", "已销号", "撤销", "退回"], size=len(inputs),
                       p=[0.12, 0.25, 0.13, 0.38, 0.05, 0.07])
    for n, ((opened, item), fate) in enumerate(zip(inputs, fates, strict=True)):
        schedule.append((opened, 0, "open", {"n": n, "item": item}))
        day = opened
        if fate == "挂账":
            if rng.random() < 0.6:
                schedule.append((_after(day, rng, 8, 20), 2, "urge", {"n": n}))
            continue
        day = _after(day, rng, 2, 8)
        schedule.append((day, 1, "start", {"n": n}))
        for _ in range(int(rng.integers(1, 4))):
            day = _after(day, rng, 5, 10)
            schedule.append((day, 1, "feedback", {"n": n, "percent": int(rng.integers(20, 90))}))
        if fate == "整改中":
            if rng.random() < 0.5:
                schedule.append((_after(day, rng, 8, 15), 2, "urge", {"n": n}))
            continue
        if fate == "撤销":
            schedule.append((_after(day, rng, 3, 10), 1, "withdraw", {"n": n}))
            continue
        day = _after(day, rng, 5, 20)
        schedule.append((day, 1, "apply", {"n": n}))
        if fate in ("已销号", "退回"):
            day = _after(day, rng, 2, 10)
            schedule.append((day, 1, "reject" if fate == "退回" else "accept", {"n": n}))
    for k, day in enumerate(MEETINGS):
        schedule.append((day, 3, "meeting", {"k": k}))
    schedule.sort(key=lambda x: (x[0], x[1]))
    codes: dict[int, str] = {}
    counts = {"items": 0, "meetings": 0}
    for day, _o, what, data in schedule:
        if what == "open":
            codes[data["n"]] = ledger.open_item(url, ACTOR, data["item"], day)
            counts["items"] += 1
            continue
        if what == "meeting":
            mid = _meeting(store, url, day, data["k"], rng, types)
            counts["meetings"] += 1
            counts[f"meeting_{mid}"] = day.isoformat()
            continue
        code = codes[data["n"]]
        if what == "feedback":
            ledger.feedback(url, ACTOR, code, f"已完成整改任务约{data['percent']}%（{LABEL}）", data["percent"], on=day)
        elif what == "urge":
            ledger.urge(url, ACTOR, code, f"请于一周内报送整改进展（{LABEL}）", on=day)
        elif what == "start":
            ledger.transition(url, ACTOR, code, "start", on=day)
        elif what == "apply":
            ledger.transition(url, ACTOR, code, "apply", reason=f"整改已完成，附整改报告（{LABEL}）",
                              files=[("整改报告（合成演示数据）.txt", f"{code} 整改报告（{LABEL}）".encode())],
                              store_root=store.root, on=day)
        elif what == "accept":
            ledger.transition(url, ACTOR, code, "accept", reason=f"经核实整改到位，同意销号（{LABEL}）", on=day)
        elif what == "reject":
            ledger.transition(url, ACTOR, code, "reject", reason=f"佐证材料不足，退回继续整改（{LABEL}）", on=day)
        elif what == "withdraw":
            ledger.transition(url, ACTOR, code, "withdraw", reason=f"与其他事项重复，予以撤销（{LABEL}）", on=day)
    with tempfile.TemporaryDirectory() as tmp:
        path = task_workbook(Path(tmp) / "2021年乡村振兴重点任务分解清单.xlsx", units, rng)
        result = importing.import_task_list(path, path.name, store, url, ACTOR)
    frame = tasks.tasks(url, on=dt.date(2021, 10, 8))
    for r in frame.itertuples():
        if rng.random() < 0.7:
            detail = tasks.task_detail(url, int(r.id))
            due = [m for m in detail["milestones"] if m["due"] and m["due"] <= dt.date(2021, 10, 8)]
            for m in due[:-1] if rng.random() < 0.4 else due:
                tasks.report(url, ACTOR, int(r.id), f"节点“{m['text']}”已完成（{LABEL}）", int(rng.integers(30, 80)),
                             milestone_done=m["seq"], on=m["due"])
    counts["tasks"] = result["added"]
    return counts


def _meeting(store: Store, url: str, day: dt.date, k: int, rng, types) -> int:
    items = queries.items(url, on=day)
    # the demo store is imported today, after every meeting date: its latest version, periods ended by the day
    figures = agenda.figure_sections(store, day, items, meetings.explained_reds(url), version=store.latest_version())
    mid = meetings.create(url, ACTOR, "周调度", day, title=f"2021年第{k + 1}次周调度会（{LABEL}）",
                          attendees=["市委督查室", "市绩效办", "各县市区分管负责同志"], figures=figures)
    unl = figures.unledgered[:1]
    for row in unl:
        meetings.decide(url, ACTOR, mid, f"{row['unit_name']}{row['indicator_name']}红灯问题挂账督办（{LABEL}）",
                        item=ItemInput(source="会议", unit_code=row["unit_code"], indicator_code=row["indicator_code"],
                                       period=row["period"], problem=f"{row['indicator_name']}红灯未挂账，会议决定挂账督办",
                                       responsible_unit=row["unit_code"],
                                       leader=_leader(rng, types.get(row["unit_code"], "")),
                                       deadline=day + dt.timedelta(days=int(rng.integers(20, 60))),
                                       requirements=[("一周内报送整改方案", day + dt.timedelta(days=7))],
                                       source_file=LABEL))
    return mid


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store directory (default: $METRICS_STORE or data/store)")
    store = Store(parser.parse_args(argv).store)
    if store.catalog() is None:
        print("no catalog in the store: import the demo first", file=sys.stderr)
        return 1
    counts = generate(store)
    if counts.get("skipped"):
        return 0
    print(f"督查演示数据（{LABEL}）：事项 {counts['items']} 条，任务 {counts['tasks']} 项，调度会 {counts['meetings']} 次")
    return 0


_ = watch

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
