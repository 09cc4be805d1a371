"""A straightforward Polars implementation of the formulas in docs/metrics.md (domain.md).

Not used by the product: the benchmark times it against metrics.compute and checks that both give
identical results, and a test runs both on random catalogs.  It is written the obvious way (joins,
an as-of join for carried-forward targets, window ranks, group-by sums) so that it is an independent
second reading of the rules, not a copy of the engine's array code.  Sums run in catalog order
(``cum_sum().last()``), as the engine's do, so composites agree to the last bit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import polars as pl

from metrics import periods as per
from metrics.scheme import SCORING_NAMES, Scheme

STATUSES = ["green", "yellow", "red", "no_target", "missing"]
KINDS = {"总量": "amount", "比率": "rate", "amount": "amount", "rate": "rate"}
DIRECTIONS = {"正向": "higher", "逆向": "lower", "higher": "higher", "lower": "lower"}
PROVENANCE = ["version", "file", "sheet", "row"]


def round_half_up(s: pl.Series, digits: int) -> pl.Series:
    """Half away from zero on the shortest decimal form (Decimal(repr(x))), exact near halves."""
    scale = 10.0 ** digits
    scaled = s * scale
    # true division (Polars turns a division by a scalar into a multiplication by its reciprocal)
    out = pl.Series(s.name, scaled.round(0).to_numpy() / scale, nan_to_null=True)
    mag = scaled.abs()
    doubtful = (((mag - mag.floor() - 0.5).abs() <= mag.clip(lower_bound=1.0) * 2.0 ** -48)
                | (mag >= 2.0 ** 50)) & s.is_finite()
    idx = doubtful.fill_null(False).arg_true()
    if len(idx):
        q = Decimal(1).scaleb(-digits)
        exact = [float(Decimal(repr(v)).quantize(q, rounding=ROUND_HALF_UP)) for v in s.gather(idx).to_list()]
        out = out.scatter(idx, exact)
    return out


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def inputs(units: pd.DataFrame, indicators: pd.DataFrame, figures: pd.DataFrame) -> dict[str, pl.DataFrame]:
    """The catalog and figures as Polars frames (not timed: the store could hand them over so)."""
    cat = pl.Categorical
    u = pl.DataFrame({
        "unit_code": [_text(v) for v in units["code"]],
        "unit_name": [_text(v) for v in units["name"]],
        "unit_type": [_text(v) for v in units["type"]],
        "group": [_text(g) or _text(t) for g, t in zip(units["group"], units["type"], strict=True)],
        "unit_pos": list(range(len(units))),
    }).with_columns(pl.col("unit_code", "unit_name", "unit_type", "group").cast(cat))
    ind = pl.DataFrame({
        "indicator_code": [_text(v) for v in indicators["code"]],
        "indicator_name": [_text(v) for v in indicators["name"]],
        "kind": [KINDS[_text(v)] for v in indicators["kind"]],
        "direction": [DIRECTIONS[_text(v)] for v in indicators["direction"]],
        "pct": [_text(v) in ("%", "％") for v in indicators["measure"]],
        "band_given": pd.to_numeric(indicators["band"], errors="coerce").astype(float).tolist(),
        "weight_cat": pd.to_numeric(indicators["weight"], errors="coerce").fillna(0.0).astype(float).tolist(),
        "scoring_cat": [SCORING_NAMES.get(_text(v)) for v in indicators["scoring"]],
        "frequency": [per.FREQUENCIES.get(_text(v), _text(v)) for v in indicators["frequency"]],
        "applies_to": [list(v) for v in indicators["applies_to"]],
        "ind_pos": list(range(len(indicators))),
    }).with_columns(pl.col("band_given").fill_nan(None),
                    pl.col("indicator_code", "indicator_name", "kind", "direction").cast(cat),
                    pl.col("applies_to").cast(pl.List(cat)))
    f = figures.drop(columns=[c for c in ("period", "note") if c in figures.columns])
    fig = pl.from_pandas(f).with_columns(
        pl.col("date").cast(pl.Date),
        pl.col("unit_code", "indicator_code").cast(pl.String).cast(cat),
        *[pl.col(c).cast(pl.Int64) for c in f.columns if c.endswith(("_version", "_row"))],
        *[pl.col(c).cast(pl.String).cast(cat) for c in f.columns if c.endswith(("_file", "_sheet"))],
    )
    return {"units": u, "indicators": ind, "figures": fig}


def _period_frames(inp: dict[str, pl.DataFrame], codes: list[str], scheme_of) -> tuple[pl.DataFrame, pl.DataFrame]:
    prows, pi = [], []
    ind = inp["indicators"]
    for pos, code in enumerate(codes):
        d = per.end_date(code)
        s: Scheme = scheme_of(d.year)
        prows.append({"period": code, "period_pos": pos, "date": d, "year": d.year,
                      "e_time": per.expected_progress(d), "green": s.green, "yellow": s.yellow, "cap": s.cap,
                      "band_percent": s.band_percent, "band_share": s.band_share, "spread": s.rank_spread})
        for row in ind.iter_rows(named=True):
            if not per.is_reporting_date(row["frequency"], d):
                continue
            code_i = row["indicator_code"]
            method = SCORING_NAMES.get(s.scoring.get(code_i, "")) or row["scoring_cat"] or s.default_scoring(row["kind"])
            pi.append({"period": code, "indicator_code": code_i,
                       "weight": float(s.weights.get(code_i, row["weight_cat"])),
                       "rank_scored": method == "rank"})
    pf = pl.DataFrame(prows, schema_overrides={"date": pl.Date})
    pif = pl.DataFrame(pi, schema={"period": pl.String, "indicator_code": pl.String, "weight": pl.Float64,
                                   "rank_scored": pl.Boolean}).with_columns(pl.col("indicator_code").cast(pl.Categorical))
    return pf, pif


def indicator_rows(inp: dict[str, pl.DataFrame], codes: list[str], scheme_of) -> pl.DataFrame:
    pf, pif = _period_frames(inp, codes, scheme_of)
    ind, units, fig = inp["indicators"], inp["units"], inp["figures"]
    # only the years asked for matter (targets carry forward within a year)
    fig = fig.filter(pl.col("date").dt.year().is_in(sorted({per.end_date(c).year for c in codes})))
    # small tables first (period x indicator, period x unit), then one expansion that comes out in
    # (period, unit, indicator) order, which is also date order when the periods are chronological
    cells = (pif.join(ind.drop("frequency"), on="indicator_code", maintain_order="left")
             .explode("applies_to").rename({"applies_to": "unit_type"}))
    chronological = pf["date"].is_sorted()
    pu = pf.join(units, how="cross").sort("period_pos", "unit_pos")
    rows = pu.join(cells, on=["period", "unit_type"], maintain_order="left_right")
    if not chronological:
        rows = rows.sort("date")
    here = fig.select("date", "unit_code", "indicator_code", "actual", "milestone",
                      *[f"actual_{p}" for p in PROVENANCE if f"actual_{p}" in fig.columns])
    rows = rows.join(here, on=["date", "unit_code", "indicator_code"], how="left", maintain_order="left")
    targets = (fig.filter(pl.col("target").is_not_null() & pl.col("target").is_not_nan())
               .select("date", "unit_code", "indicator_code", pl.col("date").dt.year().cast(pl.Int64).alias("year"),
                       "target", *[f"target_{p}" for p in PROVENANCE if f"target_{p}" in fig.columns])
               .rename({"date": "target_date"}).sort("target_date"))
    rows = (rows.with_columns(pl.col("year").cast(pl.Int64))
            .join_asof(targets, left_on="date", right_on="target_date",
                       by=["unit_code", "indicator_code", "year"], strategy="backward", check_sortedness=False))
    for c in ("actual", "milestone", "target"):
        rows = rows.with_columns(pl.col(c).fill_nan(None))

    rate = pl.col("kind") == "rate"
    lower = pl.col("direction") == "lower"
    has_t = pl.col("target").is_not_null()
    has_a = pl.col("actual").is_not_null()
    rows = rows.with_columns(
        pl.when(rate).then(None)
        .when((pl.col("milestone") > 0) & (pl.col("target") > 0)).then(pl.col("milestone") / pl.col("target"))
        .otherwise(pl.col("e_time")).alias("expected_progress"),
    ).with_columns(
        pl.when((pl.col("target") == 0) | (rate & (pl.col("target") <= 0))).then(None)
        .otherwise(pl.col("actual") / pl.col("target")).alias("completion"),
        (pl.col("target") * pl.col("expected_progress")).alias("te"),
    ).with_columns(
        pl.when(~rate & ~lower & (pl.col("te") != 0)).then(pl.col("actual") / pl.col("te"))
        .when(~rate & lower & has_t & (pl.col("actual") == 0)).then(pl.col("cap"))
        .when(~rate & lower & has_t & (pl.col("target") == 0) & (pl.col("actual") > 0)).then(0.0)
        .when(~rate & lower).then(pl.col("te") / pl.col("actual"))
        .otherwise(None).alias("attainment"),
        pl.when(rate & ~lower).then(pl.col("actual") - pl.col("target"))
        .when(rate & lower).then(pl.col("target") - pl.col("actual")).otherwise(None).alias("gap_pp"),
        pl.when(~rate).then(None).when(pl.col("band_given").is_not_null()).then(pl.col("band_given"))
        .when(pl.col("pct")).then(pl.col("band_percent"))
        .otherwise(pl.col("band_share") * pl.col("target").abs()).alias("band"),
    )
    rows = rows.with_columns(
        round_half_up(rows["attainment"], 6).alias("att6"),
        round_half_up(rows["gap_pp"], 6).alias("gap6"),
        round_half_up(rows["band"], 6).alias("band6"),
    )
    no_target = ~has_t | (~rate & ~lower & (pl.col("target") == 0))
    rows = rows.with_columns(
        pl.when(no_target).then(pl.lit("no_target"))
        .when(~has_a).then(pl.lit("missing"))
        .when(rate).then(pl.when(pl.col("gap6") >= 0).then(pl.lit("green"))
                         .when(pl.col("gap6") >= -pl.col("band6")).then(pl.lit("yellow")).otherwise(pl.lit("red")))
        .otherwise(pl.when(pl.col("att6") >= pl.col("green")).then(pl.lit("green"))
                   .when(pl.col("att6") >= pl.col("yellow")).then(pl.lit("yellow")).otherwise(pl.lit("red")))
        .alias("status"),
    )
    rows = rows.drop("att6", "gap6", "band6", "te", "band_given", "pct", "band", "e_time", "green", "yellow",
                     "band_percent", "band_share", "weight_cat", "scoring_cat", "target_date")
    lit = pl.col("status").is_in(["green", "yellow", "red"])
    rows = rows.with_columns(
        pl.when(rate & has_a).then(pl.col("actual"))
        .when(~rate & lit).then(pl.when(lower).then(pl.col("attainment")).otherwise(pl.col("completion")))
        .otherwise(None).alias("key"),
    )
    rows = rows.with_columns(round_half_up(rows["key"], 4).alias("key4"))
    part = ["period", "indicator_code", "unit_type", "group"]
    rows = rows.with_columns(
        pl.when(rate & lower).then(pl.col("key4")).otherwise(-pl.col("key4")).alias("rank_key"),
    ).with_columns(
        pl.col("rank_key").rank("min").over(part).cast(pl.Int64).alias("rank"),
        pl.col("rank_key").count().over(part).cast(pl.Int64).alias("rank_of_all"),
    ).with_columns(
        pl.when(pl.col("rank").is_not_null()).then(pl.col("rank_of_all")).otherwise(None).alias("rank_of"),
    )
    r = pl.col("rank").cast(pl.Float64)
    ro = pl.col("rank_of").cast(pl.Float64)
    rows = rows.with_columns(
        pl.when(pl.col("status") == "no_target").then(None)
        .when(pl.col("status") == "missing").then(0.0)
        .when(pl.col("rank_scored")).then(
            pl.when(ro == 1).then(1.0).otherwise(1 - pl.col("spread") * (r - 1) / (ro - 1)))
        .otherwise(pl.col("attainment").clip(0.0, pl.col("cap"))).alias("score"),
    ).drop("key", "key4", "rank_key", "rank_of_all", "cap", "spread")
    if chronological:
        return rows
    n_u, n_i = len(units), len(ind)
    return rows.sort((pl.col("period_pos").cast(pl.Int64) * n_u + pl.col("unit_pos")) * n_i + pl.col("ind_pos"))


def unit_rows(rows: pl.DataFrame) -> pl.DataFrame:
    counted = pl.col("status") != "no_target"
    agg = (rows.with_columns(
        pl.when(counted).then(pl.col("weight") * pl.col("score")).otherwise(0.0).alias("ws"),
        pl.when(counted).then(pl.col("weight")).otherwise(0.0).alias("wc"),
    ).group_by(["period", "period_pos", "unit_code", "unit_pos", "unit_name", "unit_type", "group"],
               maintain_order=True)
        .agg(pl.col("ws").cum_sum().last().alias("S"), pl.col("wc").cum_sum().last().alias("W"),
             pl.col("status").is_in(["green", "yellow", "red"]).any().alias("reported"),
             *[(pl.col("status") == s).sum().cast(pl.Int64).alias(s) for s in STATUSES],
             pl.len().cast(pl.Int64).alias("indicators")))
    agg = agg.with_columns(
        pl.when(pl.col("reported") & (pl.col("W") > 0)).then(100 * pl.col("S") / pl.col("W"))
        .otherwise(None).alias("composite"))
    agg = agg.with_columns(round_half_up(agg["composite"], 2).alias("c2"))
    part = ["period", "unit_type", "group"]
    return agg.with_columns(
        (-pl.col("c2")).rank("min").over(part).cast(pl.Int64).alias("rank"),
    ).with_columns(
        pl.when(pl.col("rank").is_not_null()).then(pl.col("c2").count().over(part).cast(pl.Int64))
        .otherwise(None).alias("rank_of"))


def compute(inp: dict[str, pl.DataFrame], periods: list[str], scheme_of) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(indicator rows, unit rows) for the periods, in the engine's row order."""
    codes = list(dict.fromkeys(periods))
    rows = indicator_rows(inp, codes, scheme_of)
    units = unit_rows(rows)
    extra = [c for c in dict.fromkeys(per.previous(c) for c in codes) if c not in codes]
    ranks = units.select("period", "unit_code", "unit_type", "group", "rank")
    if extra:
        prev = unit_rows(indicator_rows(inp, extra, scheme_of))
        ranks = pl.concat([ranks, prev.select("period", "unit_code", "unit_type", "group", "rank")])
    prev_of = pl.DataFrame({"period": codes, "previous": [per.previous(c) for c in codes]})
    ranks = ranks.filter(pl.col("rank").is_not_null()).rename(
        {"period": "previous", "rank": "previous_rank", "unit_type": "pt", "group": "pg"})
    units = (units.join(prev_of, on="period", how="left")
             .join(ranks, on=["previous", "unit_code"], how="left")
             .with_columns(pl.when(pl.col("rank").is_not_null() & (pl.col("pt") == pl.col("unit_type"))
                                   & (pl.col("pg") == pl.col("group")))
                           .then(pl.col("previous_rank") - pl.col("rank")).otherwise(None).alias("rank_change"))
             .sort("period_pos", "unit_pos"))
    return rows, units
