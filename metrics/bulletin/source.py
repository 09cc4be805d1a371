"""The engine's results a bulletin is written from: one period, as of one store version.

The page passes the context the dashboard already computed (ui.cache), so the bulletin reads the
very frames the screen shows; the command line builds the same context here, the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import periods as per
from metrics import views
from metrics.compute import Engine, _as_list
from metrics.scheme import Scheme, resolve
from metrics.store import Store


class SourceError(ValueError):
    """Nothing to write a bulletin from; carries both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en


@dataclass
class Source:
    ctx: views.Context
    version: int
    scheme: Scheme


def context(units: pd.DataFrame, indicators: pd.DataFrame, engine: Engine, period: str) -> views.Context:
    """A views.Context for one period, as ui.cache builds it.

    The bulletin reads history only for the city's 全省排名 over the year, and a rank is taken within
    its group, so the 市州 alone give the same ranks: that history is computed on them only (at
    province scale, the whole history of every unit would cost gigabytes for five lines)."""
    figures = engine.fig.frame
    codes = views.trend_periods(views.period_options(figures), period)
    return views.Context(units=units, indicators=indicators, period=period, now=engine.compute(period),
                         prev=engine.compute(per.previous(period)), figures=figures,
                         hist_loader=lambda: province_history(units, indicators, figures, codes))


def province_history(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame,
                     codes: tuple[str, ...]):
    """Engine results of the 市州 (and the indicators that apply to them) over ``codes``."""
    prefs = units[units["type"] == views.PROVINCE_TYPE]
    applies = [views.PROVINCE_TYPE in _as_list(v) for v in indicators["applies_to"]]
    own = figures[figures["unit_code"].isin(prefs["code"]).to_numpy()]
    return Engine(prefs, indicators[applies], own).compute(list(codes), provenance=False)


def load(store: Store, period: str, as_of: int | None = None) -> Source:
    """The context of ``period`` as of store version ``as_of`` (default: the latest)."""
    version = store.latest_version() if as_of is None else int(as_of)
    if version == 0:
        raise SourceError("数据库为空：请先导入目录和数据", "the store is empty: import a catalog and figures first")
    catalog = store.catalog(version)
    if catalog is None:
        raise SourceError("数据库中还没有目录（单位、指标）：请先导入目录", "the store has no catalog yet: import one first")
    units, indicators = catalog
    engine = Engine(units, indicators, store.figures(version))
    return Source(ctx=context(units, indicators, engine, period), version=version, scheme=resolve(None, per.year_of(period)))
