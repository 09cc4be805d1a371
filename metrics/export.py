"""Tables written for Excel and WPS that can never run a formula from data (CSV and xlsx alike).

A unit named ``=HYPERLINK("http://…")`` or a note ``+cmd|' /C calc'!A0`` would be evaluated by a
spreadsheet that opens an export ("CSV injection"). Every export goes through here — the ``report``
command, the dashboard's downloads, the bulletin — so that:

- in CSV, a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (how
  Excel and WPS are told "this is text"); numbers stay numbers (``-3.2`` is not text);
- in xlsx, every text cell is a string cell, never a formula, whatever it starts with.
"""

from __future__ import annotations

import io
import json

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral_text(value: object) -> object:
    """``'=1+1`` for a text that a spreadsheet would evaluate; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a formula (text columns and headers only)."""
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if col.dtype == object or isinstance(col.dtype, pd.CategoricalDtype | pd.StringDtype):
            out[name] = col.astype(object).map(neutral_text)
    out.columns = [neutral_text(c) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame, *, bom: bool = True, **options: object) -> bytes:
    """CSV in UTF-8 (with a BOM by default, so Excel and WPS read the Chinese headers), neutralised.

    Lines end in CRLF (RFC 4180): the csv writer quotes a field holding a character of the line
    terminator only, so with CRLF a CR inside a text is quoted too and cannot split a row."""
    options.setdefault("index", False)
    options["lineterminator"] = "\r\n"
    text = csv_safe(df).to_csv(**options)
    return text.encode("utf-8-sig" if bom else "utf-8")


def strings_as_text(ws: Worksheet) -> None:
    """Every cell openpyxl took for a formula (a string starting with ``=``) written as a string."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data", *, widths: bool = True, freeze: bool = True) -> bytes:
    """One sheet of xlsx whose text cells are strings, never formulas."""
    name = (sheet or "data")[:31]
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    plain = df.copy()
    for col in plain.columns:
        if isinstance(plain[col].dtype, pd.CategoricalDtype | pd.StringDtype):
            plain[col] = plain[col].astype(object)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        plain.to_excel(writer, index=False, sheet_name=name or "data")
        ws = writer.sheets[name or "data"]
        strings_as_text(ws)
        if widths:
            for i, col in enumerate(plain.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in plain[col].head(200)]) + 2
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width * 1.6)
        if freeze:
            ws.freeze_panes = "A2"
    return buf.getvalue()


def finite(value: object) -> object:
    """The value with every NaN/Infinity (at any depth) as None: what strict JSON allows."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def json_text(value: object, **options: object) -> str:
    """Strict JSON (RFC 8259): no bare NaN or Infinity, which most parsers other than Python's refuse."""
    return json.dumps(finite(value), allow_nan=False, **options)
