"""The catalog workbook: sheet 单位 (who is assessed) and sheet 指标 (on what), with their checks.

A catalog error would mis-rank every unit afterwards, so it is refused with the row and column of
each mistake: duplicate codes, unknown types or parents, non-positive weights, names that point at
two entries, 完成率 scoring on a rate.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from metrics.catalog import (
    DIRECTIONS,
    INDICATOR_COLUMNS,
    KINDS,
    SCORINGS,
    UNIT_COLUMNS,
    UNIT_TYPES,
    YES_NO,
)
from metrics.matching import closest, hint
from metrics.measures import normalize_measure
from metrics.messages import Problem
from metrics.periods import FREQUENCIES
from metrics.reporting.rules import parse_rule
from metrics.sheets.common import Findings, cell_text, find_header
from metrics.sheets.workbook import Grid
from metrics.text import ValueParseError, match_key, parse_number

UNIT_SHEET = ("单位", "units")
INDICATOR_SHEET = ("指标", "indicators")
UNIT_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "单位编码", "代码", "code"), "name": ("名称", "单位名称", "name"),
    "type": ("类型", "单位类型", "type"), "group": ("分组", "group"), "parent": ("上级", "上级单位", "parent"),
    "aliases": ("别名", "aliases"),
}
INDICATOR_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "指标编码", "code"), "name": ("名称", "指标名称", "name"), "category": ("类别", "分类", "category"),
    "measure": ("计量单位", "measure"), "kind": ("类型", "指标类型", "kind"), "direction": ("方向", "direction"),
    "weight": ("权重", "weight"), "scoring": ("计分方式", "scoring"), "frequency": ("频次", "报送频次", "frequency"),
    "lead": ("牵头单位", "lead"), "applies_to": ("适用类型", "适用单位类型", "applies_to"),
    "aliases": ("别名", "aliases"), "band": ("容差", "band"), "additive": ("可加", "additive"),
    "decimals": ("小数位", "小数位数", "decimals"), "due": ("报送时限", "due"),
}
#: columns a catalog may leave out; the frame carries them only when the sheet has them, so an older
#: catalog re-imported stays a no-op
OPTIONAL_INDICATOR_COLUMNS = ("decimals", "due")
_LIST_SPLIT = re.compile(r"[、,，;；]")


def is_catalog(grids: list[Grid]) -> bool:
    names = {match_key(g.sheet) for g in grids}
    return bool(names & set(UNIT_SHEET)) and bool(names & set(INDICATOR_SHEET))


def split_list(value: object) -> list[str]:
    text = cell_text(value)
    return [part.strip() for part in _LIST_SPLIT.split(text)] if text else []


def read_catalog(grids: list[Grid]) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Units and indicators frames (columns as in catalog.UNIT_COLUMNS / INDICATOR_COLUMNS) and problems."""
    by_name = {match_key(g.sheet): g for g in grids}
    unit_grid = next(by_name[n] for n in UNIT_SHEET if n in by_name)
    indicator_grid = next(by_name[n] for n in INDICATOR_SHEET if n in by_name)
    units, unit_problems = _read_units(unit_grid)
    indicators, indicator_problems = _read_indicators(indicator_grid)
    return units, indicators, unit_problems + indicator_problems


def _records(grid: Grid, findings: Findings, fields: dict[str, tuple[str, ...]]) -> tuple[list[dict], dict]:
    header = find_header(grid, fields, {"code", "name"})
    if header is None:
        findings.error("missing_column", 0, column="编码 / 名称")
        return [], {}
    header_row, columns = header
    records = []
    for r in range(header_row + 1, len(grid.rows)):
        if r in grid.hidden_rows or all(v is None for v in grid.rows[r]):
            continue
        record = {name: grid.rows[r][c] for name, c in columns.items()}
        record["_row"] = r
        records.append(record)
    return records, columns


def _required(findings: Findings, record: dict, columns: dict, field: str, header: str) -> str | None:
    text = cell_text(record.get(field))
    if text is None:
        findings.error("empty_required", record["_row"], columns.get(field), None, header, column=header)
    return text


def _choice(findings: Findings, record: dict, columns: dict, field: str, header: str, choices: dict,
            default: str | None = None) -> str | None:
    text = cell_text(record.get(field))
    if text is None:
        if default is None:
            findings.error("empty_required", record["_row"], columns.get(field), None, header, column=header)
        return default
    found = choices.get(text) or choices.get(text.casefold())
    if found is None:
        expected = "、".join(k for k in choices if not k.isascii())
        findings.error("bad_choice", record["_row"], columns[field], text, header, expected=expected)
    return found


def _check_codes(findings: Findings, records: list[dict], columns: dict, codes: list[str | None]) -> None:
    first: dict[str, int] = {}
    for record, code in zip(records, codes, strict=True):
        if code is None:
            continue
        if code in first:
            findings.error("duplicate_code", record["_row"], columns["code"], code, "编码", other=first[code] + 1)
        else:
            first[code] = record["_row"]


def _read_units(grid: Grid) -> tuple[pd.DataFrame, list[Problem]]:
    findings = Findings(grid)
    records, columns = _records(grid, findings, UNIT_FIELDS)
    rows = []
    for rec in records:
        code = _required(findings, rec, columns, "code", "编码")
        name = _required(findings, rec, columns, "name", "名称")
        utype = cell_text(rec.get("type"))
        if utype not in UNIT_TYPES:
            findings.error("unknown_type", rec["_row"], columns.get("type"), utype, "类型",
                           expected="、".join(UNIT_TYPES))
        rows.append({"code": code, "name": name, "type": utype, "group": cell_text(rec.get("group")) or utype,
                     "parent": cell_text(rec.get("parent")) or "", "aliases": split_list(rec.get("aliases"))})
    _check_codes(findings, records, columns, [row["code"] for row in rows])
    _resolve_parents(findings, records, columns, rows)
    _check_unit_names(findings, records, columns, rows)
    frame = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    return frame, findings.problems


def _resolve_parents(findings: Findings, records: list[dict], columns: dict, rows: list[dict]) -> None:
    """上级 may be written as a code or a name; it is stored as a code."""
    by_code = {row["code"]: row for row in rows if row["code"]}
    by_name: dict[str, list[str]] = {}
    for row in rows:
        for label in (row["name"], *row["aliases"]):
            if label:
                by_name.setdefault(match_key(label), []).append(row["code"])
    for rec, row in zip(records, rows, strict=True):
        parent = row["parent"]
        if not parent or parent in by_code:
            continue
        named = by_name.get(match_key(parent), [])
        if len(named) == 1 and named[0] != row["code"]:
            row["parent"] = named[0]
        else:
            names = closest(parent, [r["name"] for r in rows if r["name"]])
            findings.error("unknown_parent", rec["_row"], columns.get("parent"), parent, "上级", hint=hint(names))


def _check_unit_names(findings: Findings, records: list[dict], columns: dict, rows: list[dict]) -> None:
    """A name or alias may point at one unit per parent: towns in different counties may share a name."""
    seen: dict[tuple[str, str], dict] = {}
    for rec, row in zip(records, rows, strict=True):
        for label, field in ((row["name"], "name"), *((a, "aliases") for a in row["aliases"])):
            if not label:
                continue
            key = (row["parent"], match_key(label))
            other = seen.get(key)
            if other is not None and other["code"] != row["code"]:
                findings.error("name_clash", rec["_row"], columns.get(field), label, "名称" if field == "name" else "别名",
                               first=f"{other['name']}（{other['code']}）", second=f"{row['name']}（{row['code']}）")
            else:
                seen[key] = row


def _number(findings: Findings, rec: dict, columns: dict, field: str, header: str) -> float | None:
    raw = rec.get(field)
    try:
        number, _ = parse_number(raw)
    except ValueParseError:
        findings.error("bad_number", rec["_row"], columns[field], raw, header)
        return None
    return number


def _read_indicators(grid: Grid) -> tuple[pd.DataFrame, list[Problem]]:
    findings = Findings(grid)
    records, columns = _records(grid, findings, INDICATOR_FIELDS)
    rows = []
    for rec in records:
        r = rec["_row"]
        code = _required(findings, rec, columns, "code", "编码")
        name = _required(findings, rec, columns, "name", "名称")
        kind = _choice(findings, rec, columns, "kind", "类型", KINDS)
        direction = _choice(findings, rec, columns, "direction", "方向", DIRECTIONS)
        scoring = _choice(findings, rec, columns, "scoring", "计分方式", SCORINGS,
                          default={"amount": "ratio", "rate": "rank"}.get(kind or "", "rank"))
        frequency = _choice(findings, rec, columns, "frequency", "频次", FREQUENCIES, default="quarter")
        weight = _number(findings, rec, columns, "weight", "权重") if "weight" in columns else None
        if weight is None or not weight > 0:
            findings.error("bad_weight", r, columns.get("weight"), rec.get("weight"), "权重")
        if kind == "rate" and scoring == "ratio" and cell_text(rec.get("scoring")):
            findings.error("ratio_on_rate", r, columns.get("scoring"), rec.get("scoring"), "计分方式")
        applies = split_list(rec.get("applies_to"))
        if not applies:
            findings.error("no_applies_to", r, columns.get("applies_to"), None, "适用类型")
        for t in applies:
            if t not in UNIT_TYPES:
                findings.error("unknown_type", r, columns.get("applies_to"), t, "适用类型",
                               expected="、".join(UNIT_TYPES))
        band = _number(findings, rec, columns, "band", "容差") if "band" in columns else None
        extra = _optional_fields(findings, rec, columns)
        additive_text = cell_text(rec.get("additive"))
        additive = YES_NO.get(additive_text.casefold()) if additive_text else kind == "amount"
        if additive is None:
            findings.error("bad_choice", r, columns["additive"], additive_text, "可加", expected="是、否")
        rows.append({
            "code": code, "name": name, "category": cell_text(rec.get("category")) or "",
            "measure": normalize_measure(rec.get("measure")) if cell_text(rec.get("measure")) else "",
            "kind": kind, "direction": direction, "weight": weight, "scoring": scoring, "frequency": frequency,
            "lead": cell_text(rec.get("lead")) or "", "applies_to": applies, "aliases": split_list(rec.get("aliases")),
            "band": math.nan if band is None else band, "additive": bool(additive) and kind == "amount",
            **extra,
        })
    _check_codes(findings, records, columns, [row["code"] for row in rows])
    _check_indicator_names(findings, records, columns, rows)
    optional = [c for c in OPTIONAL_INDICATOR_COLUMNS if c in columns]
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS + optional), findings.problems


def _optional_fields(findings: Findings, rec: dict, columns: dict) -> dict:
    """小数位 (decimals shown, 0–6; blank = by measure) and 报送时限 (days after the period's end or
    次月N日; blank = the scheme's default for the frequency)."""
    out: dict = {}
    if "decimals" in columns:
        raw = rec.get("decimals")
        number = _number(findings, rec, columns, "decimals", "小数位")
        if number is not None and (number != int(number) or not 0 <= number <= 6):
            findings.error("bad_choice", rec["_row"], columns["decimals"], raw, "小数位", expected="0–6 的整数")
            number = None
        out["decimals"] = math.nan if number is None else float(int(number))
    if "due" in columns:
        raw = rec.get("due")
        text = cell_text(raw) or ""
        try:
            parse_rule(raw if isinstance(raw, int | float) else text)
        except ValueError:
            findings.error("bad_choice", rec["_row"], columns["due"], raw, "报送时限",
                           expected="期末后天数（如 2）或 次月N日（如 次月5日）")
            text = ""
        out["due"] = text
    return out


def _check_indicator_names(findings: Findings, records: list[dict], columns: dict, rows: list[dict]) -> None:
    seen: dict[str, dict] = {}
    for rec, row in zip(records, rows, strict=True):
        for label, field in ((row["code"], "code"), (row["name"], "name"), *((a, "aliases") for a in row["aliases"])):
            if not label:
                continue
            other = seen.get(match_key(label))
            if other is not None and other["code"] != row["code"]:
                findings.error("name_clash", rec["_row"], columns.get(field), label,
                               {"code": "编码", "name": "名称"}.get(field, "别名"),
                               first=f"{other['name']}（{other['code']}）", second=f"{row['name']}（{row['code']}）")
            else:
                seen[match_key(label)] = row
