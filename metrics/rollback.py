"""Rollback: a 管理员 reverts a version by committing a new one that restores, field by field, the
values in force before it.  No version is ever deleted.

For a figures version V, a field is reverted when V still supplies it (no later version corrected
it): its value as of V-1 is restored, or — when it had none before V — withdrawn (the store's
``cleared`` list).  A row V added that no later version mentions disappears again.  Reverting the
latest version therefore gives back exactly the view as of V-1 (:func:`metrics.preview.view_hash`
equal).  A catalog version is reverted by committing the catalog before it, while it is still the
catalog in force.  Rows at a locked period refuse the rollback like an import.  The diff shown before
and recorded after is :func:`metrics.preview.diff_views` of the view before and after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from metrics import period_lock, preview, writes
from metrics.access import Actor, check
from metrics.messages import ImportRefused
from metrics.store import KEY, Store, StoreError

VALUE_FIELDS = ["target", "milestone", "actual"]
FIELDS = [*VALUE_FIELDS, "note"]


class RollbackError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class Plan:
    """What reverting ``version`` would commit, and the diff of the view it gives."""

    version: int
    kind: str
    restored: pd.DataFrame = field(default_factory=pd.DataFrame)   # tidy rows (figures)
    cleared: pd.DataFrame = field(default_factory=pd.DataFrame)    # date, unit_code, indicator_code, field
    catalog: tuple[pd.DataFrame, pd.DataFrame] | None = None
    diff: preview.FigureDiff | None = None

    @property
    def empty(self) -> bool:
        return self.kind == "figures" and self.restored.empty and self.cleared.empty


def _later_mentions(store: Store, version: int, latest: int) -> tuple[set, set]:
    """Keys any later version mentions, and keys a later version gives a note."""
    mentioned, noted = set(), set()
    for v in range(version + 1, latest + 1):
        rows = store.version_figures(v)
        if rows.empty:
            continue
        keys = list(zip(rows["date"], rows["unit_code"], rows["indicator_code"], strict=True))
        mentioned.update(keys)
        noted.update(k for k, n in zip(keys, rows["note"].notna(), strict=True) if n)
    return mentioned, noted


def plan(store: Store, version: int) -> Plan:
    """The rollback of ``version`` against the latest version (RollbackError when there is nothing to revert)."""
    latest = store.latest_version()
    try:
        manifest = store.manifest(version)
    except StoreError:
        raise RollbackError(f"没有版本 {version}（最新为 {latest}）", f"no version {version} (latest is {latest})") from None
    if manifest["kind"] == "catalog":
        return _plan_catalog(store, version, latest)
    own = store.version_figures(version)
    before = store.figures(version - 1)
    now = store.figures()
    mentioned, noted = _later_mentions(store, version, latest)
    before_at = before.set_index(KEY)
    now_at = now.set_index(KEY)
    restored, cleared = [], []
    for row in own.itertuples(index=False):
        key = (row.date, row.unit_code, row.indicator_code)
        existed = key in before_at.index
        if not existed and key not in mentioned:
            cleared.append((*key, "*"))
            continue
        if key not in now_at.index:
            continue
        current = now_at.loc[key]
        fields: dict[str, object] = {}
        for f in FIELDS:
            if pd.isna(getattr(row, f)):
                continue                                   # V did not supply it
            still = (current[f"{f}_version"] == version) if f in VALUE_FIELDS else key not in noted
            if pd.isna(still) or not still:
                continue
            old = before_at.loc[key, f] if existed else None
            if old is None or pd.isna(old):
                cleared.append((*key, f))
            else:
                fields[f] = old
        if fields or (existed and key not in mentioned):
            period = before_at.loc[key, "period"] if existed else row.period
            restored.append({"period": period, "date": key[0], "unit_code": key[1], "indicator_code": key[2],
                             **{f: fields.get(f) for f in FIELDS}})
    restored.extend(_undo_cleared(store, version, before_at, now_at, mentioned, {(r["date"], r["unit_code"],
                                                                                  r["indicator_code"]) for r in restored}))
    restored = _combine(restored)
    restored_frame = pd.DataFrame(restored, columns=["period", *KEY, *FIELDS])
    for f in VALUE_FIELDS:
        restored_frame[f] = pd.to_numeric(restored_frame[f]).astype("float64")
    cleared_frame = pd.DataFrame(cleared, columns=[*KEY, "field"])
    return Plan(version, "figures", restored_frame, cleared_frame)


def _undo_cleared(store: Store, version: int, before_at: pd.DataFrame, now_at: pd.DataFrame, mentioned: set,
                  seen: set) -> list[dict]:
    """Reverting a rollback: what it withdrew comes back (as of the version before it), unless a later
    version supplied it again."""
    out = []
    for row in store.version_cleared(version).itertuples(index=False):
        key = (row.date, row.unit_code, row.indicator_code)
        if key not in before_at.index:
            continue
        old = before_at.loc[key]
        if row.field == "*":
            if key in now_at.index:
                continue
            out.append({"period": old["period"], "date": key[0], "unit_code": key[1], "indicator_code": key[2],
                        **{f: (None if pd.isna(old[f]) else old[f]) for f in FIELDS}})
        elif key in now_at.index and pd.isna(now_at.loc[key, row.field]) and not pd.isna(old[row.field]):
            out.append({"period": now_at.loc[key, "period"], "date": key[0], "unit_code": key[1],
                        "indicator_code": key[2], **{f: None for f in FIELDS}, row.field: old[row.field]})
    return out


def _combine(rows: list[dict]) -> list[dict]:
    """One row per key (fields of several entries for the same key put together)."""
    merged: dict[tuple, dict] = {}
    for r in rows:
        key = (r["date"], r["unit_code"], r["indicator_code"])
        if key not in merged:
            merged[key] = dict(r)
        else:
            merged[key].update({f: r[f] for f in FIELDS if r[f] is not None})
    return list(merged.values())


def _plan_catalog(store: Store, version: int, latest: int) -> Plan:
    later = [v for v in range(version + 1, latest + 1) if store.manifest(v)["kind"] == "catalog"]
    if later:
        raise RollbackError(f"版本 {version} 的目录已被版本 {later[-1]} 取代，不能回退",
                            f"the catalog of version {version} was replaced by version {later[-1]}; nothing to revert")
    previous = store.catalog(version - 1) if version > 1 else None
    if previous is None:
        raise RollbackError(f"版本 {version} 之前没有目录，不能回退到无目录状态",
                            f"there is no catalog before version {version} to go back to")
    return Plan(version, "catalog", catalog=previous)


def preview_plan(store: Store, version: int) -> Plan:
    """The plan with the diff of the view it would give (what the 数据 page shows before 确认回退)."""
    p = plan(store, version)
    if p.kind == "figures":
        now = store.figures()
        p.diff = preview.diff_views(now, _simulate(store, p, now))
    return p


def _simulate(store: Store, p: Plan, now: pd.DataFrame) -> pd.DataFrame:
    """The view after committing ``p`` (computed without writing: restored fields over the current
    view, cleared fields and rows withdrawn)."""
    view = now.set_index(KEY).copy()
    for rec in p.restored.to_dict("records"):
        key = (rec["date"], rec["unit_code"], rec["indicator_code"])
        view.loc[key, "period"] = rec["period"]
        for f in FIELDS:
            if rec[f] is not None and not (isinstance(rec[f], float) and pd.isna(rec[f])):
                view.loc[key, f] = rec[f]
    for rec in p.cleared.to_dict("records"):
        key = (rec["date"], rec["unit_code"], rec["indicator_code"])
        if rec["field"] == "*":
            view = view.drop(index=key)
        else:
            view.loc[key, rec["field"]] = None
    return view.reset_index()


def rollback(store: Store, db_url: str, actor: Actor, version: int, reason: str) -> tuple[int, Plan]:
    """Revert ``version`` as ``actor`` (``versions.rollback``) with a reason; returns the new version."""
    check(actor, "versions.rollback")
    if not (reason or "").strip():
        raise RollbackError("回退必须填写原因（--reason）", "a rollback needs a reason (--reason)")
    p = preview_plan(store, version)
    if p.empty:
        raise RollbackError(f"版本 {version} 的数值已全部被后来的版本更正，没有可回退的内容",
                            f"every figure of version {version} was corrected by a later version; nothing to revert")
    name = f"回退版本{version}.json"
    original = json.dumps({"rollback_of": version, "reason": reason.strip(), "by": actor.name},
                          ensure_ascii=False).encode("utf-8")
    acting = {"acting": "operator"} if actor.operator else {"acting": "account", "role": actor.role}
    with writes.write(db_url, actor, "versions.rollback") as w:
        if p.kind == "figures":
            touched = pd.concat([p.restored[KEY + ["period"]],
                                 p.cleared[KEY].assign(period=p.cleared["date"].map(
                                     lambda d: pd.Timestamp(d).strftime("%Y-%m-%d")))], ignore_index=True)
            touched["sheet"], touched["row"] = None, pd.NA
            locked = period_lock.locked_rows(w.session, touched, name)
            if locked:
                raise ImportRefused(locked)
            result = store.commit_figures(p.restored, original=original, file_name=name, user=actor.name,
                                          cleared=p.cleared, summary={"rollback_of": version, "reason": reason.strip(),
                                                                      "units": int(p.restored["unit_code"].nunique()),
                                                                      **acting})
        else:
            units, indicators = p.catalog
            result = store.commit_catalog(units, indicators, original=original, file_name=name, user=actor.name,
                                          summary={"rollback_of": version, "reason": reason.strip(), **acting})
        if result.version is None:
            raise RollbackError(f"回退版本 {version} 不改变任何数值", f"reverting version {version} changes nothing")
        w.audit("version.rollback", "version", version, reason=reason.strip(),
                after={"new_version": result.version, "kind": p.kind,
                       **(p.diff.counts() if p.diff is not None else {})},
                before={"changed": p.diff.to_dict()["changed"][:50]} if p.diff is not None else None)
    return result.version, p
