"""The bulletin's content, written from one period's engine results as the dashboard shows them.

Sections (numbered in order of presence):
  总体情况 · 排名 · 红灯及落后序时进度指标 · 全省排名 (city scope) · 督查事项 · 未按时报送 · 表彰和通报批评

City-level sentences use the city's own 市州 row (its figures and targets); unit-level ones use the
same selections as the overview's cards (metrics.views.headline), so a sentence and the screen say
the same numbers.  Sections fed by other features go through :mod:`metrics.bulletin.providers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from metrics import periods as per
from metrics import views
from metrics.bulletin import honours, providers, tables, wording
from metrics.bulletin.model import Bulletin, IssueMark, Note, Paragraph, Scope, Section, Table
from metrics.bulletin.numbers import missing, score
from metrics.scheme_sections import bulletin as bulletin_section

CITY_TZ = ZoneInfo("Asia/Shanghai")
TITLES = {  # scope kind -> title
    "city": "{city}{period}省考重点工作绩效评估指标进展情况通报",
    "group": "{city}{period}{scope}组绩效评估指标进展情况通报",
    "unit": "{city}{scope}{period}绩效评估指标进展情况通报",
}


def today() -> dt.date:
    return dt.datetime.now(CITY_TZ).date()


@dataclass
class Options:
    """What the bulletin needs besides the engine's results."""

    version: int
    settings: dict[str, Any]                # the scheme's [bulletin] section
    issue: IssueMark | None = None
    on: dt.date | None = None               # the bulletin's date (default: the issue's, else today)
    db_url: str | None = None
    store_root: str | None = None           # the store (the reporting calendar's received dates)


def build(ctx: views.Context, scope: Scope, options: Options) -> Bulletin:
    """The whole bulletin for ``scope`` (see the module's docstring)."""
    settings = {**bulletin_section.DEFAULTS, **(options.settings or {})}
    city_code = views.city_code(ctx.units)
    city = str(ctx.unit_meta.at[city_code, "name"]) if city_code else "全市"
    on = options.on or (options.issue.date if options.issue else today())
    w = _Writer(ctx, scope, city_code, city, settings, options, on)
    parts = [w.overview(), w.rankings(), w.behind(), w.province(), w.supervision(), w.reporting(), w.honours()]
    sections = []
    for key, title, blocks in (p for p in parts if p is not None):
        sections.append(Section(key, wording.heading(len(sections) + 1, title), blocks))
    label = per.label(ctx.period)
    return Bulletin(
        title=TITLES[scope.kind].format(city=city if city_code else "", period=label, scope=scope.label),
        masthead=settings["masthead"], issuer=settings["issuer"].replace("{city}", city),
        city=city, period=ctx.period, period_label=label, scope=scope, store_version=options.version, date=on,
        issue=options.issue, sections=sections, generated_at=dt.datetime.now(CITY_TZ).replace(microsecond=0))


class _Writer:
    """One method per section; each returns (key, title, blocks) or None when it does not apply."""

    def __init__(self, ctx: views.Context, scope: Scope, city_code: str | None, city: str,
                 settings: dict[str, Any], options: Options, on: dt.date) -> None:
        self.ctx, self.scope, self.city_code, self.city = ctx, scope, city_code, city
        self.settings, self.options, self.on = settings, options, on
        meta = ctx.unit_meta
        if scope.kind == "city":
            self.units = meta.index[meta["type"].isin(views.ASSESSED_TYPES)].tolist()
        elif scope.kind == "group":
            unit_type, group = views.split_group(scope.code)
            self.units = meta.index[(meta["type"] == unit_type) & (meta["group"] == group)].tolist()
        else:
            towns = meta.index[(meta["type"] == views.TOWN_TYPE) & (meta["parent"] == scope.code)].tolist()
            self.units = [scope.code, *towns]
            self.towns = towns

    # -- 一、总体情况 --------------------------------------------------------------------------------

    def overview(self):
        ctx, blocks = self.ctx, []
        if self.scope.kind == "city":
            if self.city_code:
                now = tables.counts(tables.rows_of(ctx, ctx.now, [self.city_code]))
                prev = tables.counts(tables.rows_of(ctx, ctx.prev, [self.city_code]))
                blocks.append(Paragraph(self._standing("全市", now, prev)))
                ranks = self._province_ranks()
                if ranks:
                    blocks.append(Paragraph(wording.province_sentence(
                        self.city, max(r["rank_of"] for r in ranks), ranks)))
            blocks.append(Paragraph(self._units_sentence("全市各考核单位（县市区、乡镇、市直部门、园区）", self.units)))
            blocks.append(Paragraph(self._movers(None)))
            chart = tables.matrix_chart(ctx, views.matrix_units(ctx, None), "各县市区指标状态")
        elif self.scope.kind == "group":
            blocks.append(Paragraph(self._units_sentence(f"{self.scope.label}组{len(self.units)}个单位", self.units)))
            blocks.append(Paragraph(self._movers(self.scope.code)))
            chart = tables.matrix_chart(ctx, views.matrix_units(ctx, self.scope.code), f"{self.scope.label}组指标状态")
        else:
            name = self.scope.label
            now = tables.counts(tables.rows_of(ctx, ctx.now, [self.scope.code]))
            prev = tables.counts(tables.rows_of(ctx, ctx.prev, [self.scope.code]))
            blocks.append(Paragraph(self._standing(name, now, prev)))
            blocks.append(Paragraph(self._unit_rank(self.scope.code, name)))
            if self.towns:
                blocks.append(Paragraph(self._units_sentence(f"所辖{len(self.towns)}个乡镇", self.towns)))
            chart = tables.matrix_chart(ctx, self.towns[: views.MATRIX_LIMIT], f"{name}所辖乡镇指标状态")
        if chart is not None:
            blocks.append(chart)
        return "overview", "总体情况", blocks

    def _standing(self, subject: str, now: dict[str, int], prev: dict[str, int]) -> str:
        return wording.standing(subject, now["total"], now["green"], now["red"], prev["red"] if prev["total"] else None,
                                missing_=now["missing"], no_target=now["no_target"])

    def _units_sentence(self, subject: str, codes: list[str]) -> str:
        h = views.headline(self.ctx, codes, None)
        if h["rows"] == 0:
            return f"{subject}本期没有应报指标。"
        behind = f"落后序时进度{h['behind']}项，其中红灯{h['red']}项"
        change = wording.count_change(h["red"], h["red_prev"])
        missing_units = tables.display_names(self.ctx, pd.Series(h["missing_unit_codes"], dtype=str))
        tail = (f"未报送{h['missing']}项，涉及{wording.names(missing_units, 10)}" if h["missing"] else "无未报送")
        return (f"{subject}应报指标{h['rows']}项（单位×指标），达到序时进度的{h['green']}项，占"
                f"{wording.share(h['green'], h['rows'])}；{behind}{'，' + change if change else ''}；{tail}。")

    def _movers(self, group: str | None) -> str:
        m = views.movers(self.ctx, group)
        up = [(r["unit_name"], int(r["rank_change"])) for r in m[m["direction"] == "up"].to_dict("records")]
        down = [(r["unit_name"], int(r["rank_change"])) for r in m[m["direction"] == "down"].to_dict("records")]
        return wording.movers_sentence(up, down)

    def _unit_rank(self, code: str, name: str) -> str:
        units = self.ctx.now.units
        row = units[units["unit_code"] == code]
        if row.empty or missing(row["composite"].iloc[0]):
            return f"{name}本期没有综合得分。"
        r = row.iloc[0]
        group = str(r["group"])
        rank = None if missing(r["rank"]) else int(r["rank"])
        rank_of = None if missing(r["rank_of"]) else int(r["rank_of"])
        change = None if missing(r["rank_change"]) else int(r["rank_change"])
        return wording.rank_sentence(name, f"综合得分{score(r['composite'])}分，", rank, rank_of, change, f"{group}组")

    def _province_ranks(self) -> list[dict]:
        ranks = views.province_ranks(self.ctx)
        return [{"name": str(r["indicator_name"]), "rank": int(r["rank"]), "rank_of": int(r["rank_of"]),
                 "change": None if missing(r["change"]) else int(r["change"])} for r in ranks.to_dict("records")]

    # -- 二、排名 ---------------------------------------------------------------------------------

    def rankings(self):
        ctx, blocks = self.ctx, []
        if self.scope.kind == "city":
            groups = tables.group_rankings(ctx, views.RANKED_TYPES)
            title = "各县市区、市直部门、园区排名"
            chart_groups = [(label, r) for key, label, r in groups if key.startswith(views.COUNTY_TYPE + "/")]
            highlight = None
        elif self.scope.kind == "group":
            groups = tables.group_rankings(ctx, (views.split_group(self.scope.code)[0],), only=self.scope.code)
            title = f"{self.scope.label}组排名"
            chart_groups = [(label, r) for _key, label, r in groups]
            highlight = None
        else:
            group = f"{views.COUNTY_TYPE}/{ctx.unit_meta.at[self.scope.code, 'group']}"
            groups = tables.group_rankings(ctx, (views.COUNTY_TYPE,), only=group)
            town_ranking = views.towns(ctx, self.scope.code)["ranking"]
            if len(town_ranking):
                groups.append(("towns", f"{self.scope.label}所辖乡镇", town_ranking))
            title = f"{self.scope.label}及所辖乡镇排名"
            chart_groups = [(label, r) for _key, label, r in groups]
            highlight = self.scope.code
        if not groups:
            return "rankings", title, [Note("本期没有可排名的单位。")]
        for k, (_key, label, ranking) in enumerate(groups, start=1):
            blocks.append(tables.ranking_table(wording.subheading(k, f"{label}组" if _key != "towns" else label),
                                               ranking))
        if chart_groups:
            blocks.append(tables.ranking_chart("综合得分排名", chart_groups, highlight))
        return "rankings", title, blocks

    # -- 三、红灯及落后序时进度指标 ---------------------------------------------------------------------

    def behind(self):
        """Per indicator, the red and yellow units.  The city's bulletin lists the units it ranks
        (县市区, 市直部门, 园区) and counts the towns' lights in a sentence: towns are listed in
        their county's bulletin."""
        title = "红灯及落后序时进度指标"
        listed = self.units
        blocks: list = []
        if self.scope.kind == "city":
            meta = self.ctx.unit_meta
            listed = [u for u in self.units if meta.at[u, "type"] in views.RANKED_TYPES]
            towns = tables.counts(tables.rows_of(self.ctx, self.ctx.now,
                                                 [u for u in self.units if meta.at[u, "type"] == views.TOWN_TYPE]))
            if towns["total"]:
                blocks.append(Note(f"乡镇红灯{towns['red']}项、黄灯{towns['yellow']}项，按县市区分别通报，本表不再列出。"))
        rows = tables.rows_of(self.ctx, self.ctx.now, listed)
        c = tables.counts(rows)
        table = tables.behind_table(self.ctx, rows)
        if not table.rows:
            return "behind", title, [Paragraph("本期无红灯及落后序时进度指标。红灯单位：无。"), *blocks]
        worst = sorted(table.rows, key=lambda r: -r["red_count"])[:3]
        worst_text = wording.names([f"{r['indicator_name']}（{r['red_count']}个单位）" for r in worst if r["red_count"]])
        text = (f"本期红灯{c['red']}项、黄灯{c['yellow']}项，涉及{len(table.rows)}项指标；红灯单位最多的指标："
                f"{worst_text}。各指标的红灯单位及其与序时进度（或目标）的差距见下表。")
        return "behind", title, [Paragraph(text), *blocks, table]

    # -- 四、全省排名 --------------------------------------------------------------------------------

    def province(self):
        if self.scope.kind != "city" or not self.city_code:
            return None
        ranks = views.province_ranks(self.ctx)
        if ranks.empty:
            return "province", "全省排名情况", [Note(f"本期没有{self.city}的全省排名数据。")]
        blocks: list = [Paragraph(wording.gains_and_losses(self._province_ranks())), tables.province_table(ranks)]
        chart = tables.province_trend_chart(views.province(self.ctx)["history"], self.city)
        if chart is not None:
            blocks.append(chart)
        return "province", "全省排名情况", blocks

    # -- 五、督查事项 ----------------------------------------------------------------------------------

    def supervision(self):
        got = providers.supervision(self.options.db_url, self.ctx.period, self.units, self.on)
        if isinstance(got, providers.Unavailable):
            return "supervision", "督查事项", [Note(got.reason)]
        text = (f"截至{self.on.month}月{self.on.day}日，在账督查事项{got.open}项，其中逾期{got.overdue}项；"
                f"本期销号{got.closed}项；结转事项{len(got.carried)}项。")
        blocks: list = [Paragraph(text)]
        if got.carried:
            blocks.append(Paragraph("结转事项：" + wording.names(
                [f"{self.ctx.unit_meta['name'].get(c['unit_code'], c['unit_code'])}{c['problem']}（第{c['times']}次调度）"
                 for c in got.carried]) + "。"))
        return "supervision", "督查事项", blocks

    # -- 六、未按时报送 --------------------------------------------------------------------------------

    def reporting(self):
        rows = tables.rows_of(self.ctx, self.ctx.now, self.units)
        missing_rows = rows[rows["status"] == "missing"].copy()
        missing_rows["unit_name"] = tables.display_names(self.ctx, missing_rows["unit_code"])
        got = providers.late_reports(self.options.db_url, self.ctx.period, self.units, self.on, missing_rows,
                                     store_root=self.options.store_root, as_of=self.options.version,
                                     figures=self.ctx.figures)
        if isinstance(got, providers.Unavailable):
            return "reporting", "未按时报送情况", [Note(got.reason)]
        blocks: list = [Note(got.source)] if got.source else []
        if got.rows:   # towns as 县 + 乡镇, as everywhere in the bulletin
            shown = list(tables.display_names(self.ctx, pd.Series([r["unit_code"] for r in got.rows])))
            got.rows = [{**r, "unit_name": n} for r, n in zip(got.rows, shown, strict=True)]
        names = [r["unit_name"] for r in got.rows]
        blocks.append(Paragraph(f"未按时报送的单位：{wording.names(names, 20, unit='个单位')}。"))
        if got.rows:
            blocks.append(Table("未按时报送", tables.REPORTING_COLUMNS, got.rows))
        return "reporting", "未按时报送情况", blocks

    # -- 七、表彰和通报批评 ---------------------------------------------------------------------------

    def honours(self):
        top, bottom = int(self.settings["commend_top"]), int(self.settings["criticise_bottom"])
        if self.scope.kind == "unit":
            town_ranking = views.towns(self.ctx, self.scope.code)["ranking"]
            groups = [(f"{self.scope.label}所辖乡镇", town_ranking)] if len(town_ranking) else []
        else:
            only = self.scope.code if self.scope.kind == "group" else None
            types = (views.split_group(only)[0],) if only else views.RANKED_TYPES
            groups = [(label, r) for _key, label, r in tables.group_rankings(self.ctx, types, only)]
        blocks: list = []
        annual = per.kind(self.ctx.period) == "quarter" and self.ctx.period.endswith("Q4")
        grades = providers.annual_grades(self.ctx, self.options.db_url, self.on) if annual else None
        if isinstance(grades, providers.Unavailable):
            blocks.append(Note(grades.reason))
            grades = None
        if grades is not None:
            rule = "根据年度考核结果，对评为优秀的单位予以表彰，对评为较差的单位予以通报批评。"
            rows = [_honours_row(label, *honours.by_grade(grades[grades["unit_name"].isin(r["unit_name"])]))
                    for label, r in groups]
        else:
            rule = (f"根据考核方案，对各组综合得分前{top}名的单位予以表彰，对后{bottom}名的单位予以通报批评"
                    "（并列者一并列出）。")
            rows = [_honours_row(label, *honours.by_rank(r, top, bottom)) for label, r in groups]
        blocks.insert(0, Paragraph(rule))
        blocks.append(Table("表彰和通报批评", tables.HONOURS_COLUMNS, rows) if rows else Note("本期没有可排名的单位。"))
        return "honours", "表彰和通报批评", blocks


def _honours_row(label: str, commended: list[str], criticised: list[str]) -> dict:
    return {"group": label, "commended": wording.names(commended), "criticised": wording.names(criticised)}
