"""Item codes ``DC-<year>-<sequence>``: four digits, widened past 9999 as needed."""

from __future__ import annotations

import re

_CODE = re.compile(r"DC-(\d{4})-(\d{4,})")


def format_code(year: int, seq: int) -> str:
    return f"DC-{year}-{seq:04d}"


def parse_code(code: str) -> tuple[int, int] | None:
    m = _CODE.fullmatch(code.strip())
    return (int(m[1]), int(m[2])) if m else None
