"""What an import (or a rollback) changes, before it is committed: rows added, figures changed with
before → after, figures that would disappear from the view.

The store merges field by field and a blank never overwrites, so an import never removes a figure;
the preview still computes what disappears (always none for an import) from the same comparison a
rollback uses, so the page and ``import --dry-run`` say it rather than assume it.  :func:`diff_views`
compares two whole views (tests compare a preview with what the commit then did; the 数据 page shows
a rollback's diff with it); :func:`view_hash` fingerprints what a view says (values, not provenance).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KEY = ["date", "unit_code", "indicator_code"]
VALUE_FIELDS = ["target", "milestone", "actual"]
FIELDS = [*VALUE_FIELDS, "note"]
FIELD_LABELS = {"target": ("目标值", "target"), "milestone": ("节点目标", "milestone"),
                "actual": ("完成值", "actual"), "note": ("备注", "note")}
CHANGE_COLUMNS = ["period", "date", "unit_code", "indicator_code", "field", "before", "after", "sheet", "row"]
ADDED_COLUMNS = ["period", "date", "unit_code", "indicator_code", *FIELDS, "sheet", "row"]
MAX_LINES = 200


@dataclass
class FigureDiff:
    """Field-level changes: ``changed`` rows are (key, field, before, after); ``added`` are new keys."""

    added: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ADDED_COLUMNS))
    changed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    removed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["period", *KEY]))
    unchanged_fields: int = 0

    @property
    def changed_fields(self) -> int:
        """Fields the commit writes anew (changed plus every field of an added row), as the store counts."""
        added = int(self.added[FIELDS].notna().to_numpy().sum()) if len(self.added) else 0
        return len(self.changed) + added

    @property
    def empty(self) -> bool:
        return self.added.empty and self.changed.empty and self.removed.empty

    def counts(self) -> dict[str, int]:
        return {"added_rows": len(self.added), "changed_fields": len(self.changed), "removed_rows": len(self.removed),
                "unchanged_fields": self.unchanged_fields}

    def to_dict(self, names: dict[str, str] | None = None) -> dict:
        """For JSON output and the audit summary (values as JSON can hold them)."""
        def rows(frame: pd.DataFrame) -> list[dict]:
            out = []
            for rec in frame.to_dict("records"):
                rec = {k: _plain(v) for k, v in rec.items()}
                if names:
                    rec["unit_name"] = names.get(rec["unit_code"], rec["unit_code"])
                    rec["indicator_name"] = names.get(rec["indicator_code"], rec["indicator_code"])
                out.append(rec)
            return out
        return {**self.counts(), "added": rows(self.added), "changed": rows(self.changed),
                "removed": rows(self.removed)}


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    out["unit_code"] = out["unit_code"].astype(str)
    out["indicator_code"] = out["indicator_code"].astype(str)
    for f in VALUE_FIELDS:
        out[f] = pd.to_numeric(out[f]).astype("float64") if f in out else np.nan
    if "note" in out:
        note = out["note"].astype(object)
        out["note"] = note.where(note.notna() & note.astype(str).str.strip().ne(""), None)
    else:
        out["note"] = None
    return out


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal values, or both missing (floats exactly, notes as text)."""
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = (a == b).fillna(False).to_numpy(dtype=bool)
    return both_missing | equal


def figure_diff(incoming: pd.DataFrame, view: pd.DataFrame) -> FigureDiff:
    """What committing the tidy ``incoming`` rows onto ``view`` changes (a blank is "not supplied")."""
    if incoming.empty:
        return FigureDiff()
    new = _keyed(incoming)
    for col in ("sheet", "row"):
        if col not in new:
            new[col] = None
    cur = _keyed(view[["period", *KEY, *FIELDS]]) if len(view) else pd.DataFrame(columns=["period", *KEY, *FIELDS])
    cur = cur.rename(columns={f: f"_old_{f}" for f in FIELDS}).drop(columns=["period"])
    if cur.empty:
        cur["date"] = cur["date"].astype("datetime64[ns]")
    merged = new.merge(cur.assign(_known=True), on=KEY, how="left", sort=False)
    known = merged["_known"].eq(True).to_numpy()
    added = merged.loc[~known, ADDED_COLUMNS].reset_index(drop=True)
    changes, unchanged = [], 0
    old_rows = merged.loc[known]
    for f in FIELDS:
        supplied = old_rows[f].notna().to_numpy()
        same = _same(old_rows[f], old_rows[f"_old_{f}"])
        unchanged += int((supplied & same).sum())
        hit = old_rows[supplied & ~same]
        if len(hit):
            changes.append(pd.DataFrame({"period": hit["period"].to_numpy(), "date": hit["date"].to_numpy(),
                                         "unit_code": hit["unit_code"].to_numpy(),
                                         "indicator_code": hit["indicator_code"].to_numpy(), "field": f,
                                         "before": hit[f"_old_{f}"].astype(object).to_numpy(),
                                         "after": hit[f].astype(object).to_numpy(),
                                         "sheet": hit["sheet"].to_numpy(), "row": hit["row"].to_numpy()}))
    changed = (pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=CHANGE_COLUMNS))
    changed = changed.sort_values(["date", "unit_code", "indicator_code", "field"], kind="stable").reset_index(drop=True)
    return FigureDiff(added=added, changed=changed, unchanged_fields=unchanged)


def diff_views(before: pd.DataFrame, after: pd.DataFrame) -> FigureDiff:
    """Every difference between two views: keys added, keys removed, fields changed (before → after)."""
    a = _keyed(before[["period", *KEY, *FIELDS]]) if len(before) else None
    b = _keyed(after[["period", *KEY, *FIELDS]]) if len(after) else None
    empty = pd.DataFrame(columns=["period", *KEY, *FIELDS])
    a = empty if a is None else a
    b = empty if b is None else b
    for frame in (a, b):
        frame["date"] = frame["date"].astype("datetime64[ns]")
    m = a.merge(b, on=KEY, how="outer", suffixes=("_a", "_b"), indicator=True, sort=True)
    removed = m.loc[m["_merge"] == "left_only", ["period_a", *KEY]].rename(columns={"period_a": "period"})
    added_rows = m.loc[m["_merge"] == "right_only"]
    added = pd.DataFrame({"period": added_rows["period_b"], **{k: added_rows[k] for k in KEY},
                          **{f: added_rows[f"{f}_b"] for f in FIELDS}, "sheet": None, "row": None})
    both = m.loc[m["_merge"] == "both"]
    changes = []
    for f in FIELDS:
        hit = both[~_same(both[f"{f}_a"], both[f"{f}_b"])]
        if len(hit):
            changes.append(pd.DataFrame({"period": hit["period_b"].to_numpy(), "date": hit["date"].to_numpy(),
                                         "unit_code": hit["unit_code"].to_numpy(),
                                         "indicator_code": hit["indicator_code"].to_numpy(), "field": f,
                                         "before": hit[f"{f}_a"].astype(object).to_numpy(),
                                         "after": hit[f"{f}_b"].astype(object).to_numpy(), "sheet": None, "row": None}))
    changed = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=CHANGE_COLUMNS)
    changed = changed.sort_values(["date", "unit_code", "indicator_code", "field"], kind="stable").reset_index(drop=True)
    return FigureDiff(added=added.reset_index(drop=True)[ADDED_COLUMNS], changed=changed,
                      removed=removed.reset_index(drop=True))


def view_hash(view: pd.DataFrame) -> str:
    """SHA-256 of what a view says: period, key and the four fields, rows in key order (provenance left
    out: after a rollback the values are in force because of the rollback version, and say so)."""
    if view.empty:
        return hashlib.sha256(b"empty view").hexdigest()
    v = _keyed(view[["period", *KEY, *FIELDS]]).sort_values(KEY, kind="stable").reset_index(drop=True)
    h = hashlib.sha256()
    h.update(v["date"].to_numpy().astype("datetime64[ns]").astype("int64").tobytes())
    for col in ("period", "unit_code", "indicator_code", "note"):
        h.update("\x1f".join("\x00" if x is None else str(x) for x in v[col].tolist()).encode("utf-8"))
    for f in VALUE_FIELDS:
        h.update(v[f].to_numpy(dtype="float64").tobytes())
    return h.hexdigest()


def _num(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "（空）"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def lines(diff: FigureDiff, names: dict[str, str], lang: str = "zh", limit: int = MAX_LINES) -> list[str]:
    """The diff as a clerk reads it, one line per added row or changed figure (the CLI's --dry-run)."""
    en = lang == "en"
    c = diff.counts()
    out = [(f"  preview: {c['added_rows']} row(s) added, {c['changed_fields']} figure(s) changed, "
            f"{c['removed_rows']} row(s) would disappear from the view"
            + (" (none: an import only adds and corrects)" if not c["removed_rows"] else "")) if en else
           (f"  预览：新增 {c['added_rows']} 行，变更 {c['changed_fields']} 个数值，"
            f"从当前数据中消失 {c['removed_rows']} 行" + ("（无：导入只增加和更正，不删除）" if not c["removed_rows"] else ""))]
    def where(rec: dict) -> str:
        if rec.get("row") is None or pd.isna(rec.get("row")):
            return ""
        sheet = rec.get("sheet")
        sheet = "" if sheet is None or (isinstance(sheet, float) and np.isnan(sheet)) else str(sheet)
        return (f" (sheet {sheet}, row {int(rec['row'])})" if en else f"（工作表 {sheet} 第 {int(rec['row'])} 行）") \
            if sheet else (f" (row {int(rec['row'])})" if en else f"（第 {int(rec['row'])} 行）")
    shown = 0
    for rec in diff.added.to_dict("records"):
        if shown >= limit:
            break
        what = "，".join(f"{FIELD_LABELS[f][1 if en else 0]} {_num(rec[f])}" for f in FIELDS
                        if rec[f] is not None and not (isinstance(rec[f], float) and np.isnan(rec[f])))
        out.append(f"    + {rec['period']} {names.get(rec['unit_code'], rec['unit_code'])} / "
                   f"{names.get(rec['indicator_code'], rec['indicator_code'])}：{what}{where(rec)}")
        shown += 1
    for rec in diff.changed.to_dict("records"):
        if shown >= limit:
            break
        out.append(f"    ~ {rec['period']} {names.get(rec['unit_code'], rec['unit_code'])} / "
                   f"{names.get(rec['indicator_code'], rec['indicator_code'])} {FIELD_LABELS[rec['field']][1 if en else 0]}："
                   f"{_num(rec['before'])} → {_num(rec['after'])}{where(rec)}")
        shown += 1
    for rec in diff.removed.to_dict("records"):
        if shown >= limit:
            break
        out.append(f"    - {rec['period']} {names.get(rec['unit_code'], rec['unit_code'])} / "
                   f"{names.get(rec['indicator_code'], rec['indicator_code'])}")
        shown += 1
    total = len(diff.added) + len(diff.changed) + len(diff.removed)
    if total > shown:
        out.append(f"    … and {total - shown} more" if en else f"    …另有 {total - shown} 项")
    return out


def names_of(catalog) -> dict[str, str]:
    """Code → name for units and indicators (a Catalog, or (units, indicators) frames)."""
    units, indicators = (catalog.units, catalog.indicators) if hasattr(catalog, "units") else catalog
    out = dict(zip(indicators["code"].astype(str), indicators["name"].astype(str), strict=True))
    out.update(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    return out
