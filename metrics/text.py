"""Labels and cell values as offices type them: full-width characters, stray spaces, 85.3%, 1,234.5, —."""

from __future__ import annotations

import math
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_MISSING = {"", "-", "—", "——", "–", "－", "/", "\\", "—/—", "--", "---", "无", "n/a", "na", "nan", "none", "null", "#n/a"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def normalize_label(value: object) -> str:
    """Full-width to half-width (NFKC), runs of whitespace to one space, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def match_key(value: object) -> str:
    """What two labels must share to be the same name: no whitespace at all, case folded."""
    return normalize_label(value).replace(" ", "").casefold()


def is_missing(value: object) -> bool:
    """Blank, a dash or a NaN: "not supplied here", never zero."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return normalize_label(value).casefold() in _MISSING
    return False


class ValueParseError(ValueError):
    """A cell that should hold a number and does not."""


def parse_number(value: object) -> tuple[float | None, bool]:
    """Return (number, written_with_percent_sign); None for a missing value.

    ``85.3%`` gives (85.3, True): a value written with a percent sign is in percent units.
    """
    if isinstance(value, bool):
        raise ValueParseError(value)
    if isinstance(value, int | float):
        number = float(value)
        return (None, False) if math.isnan(number) else (number, False)
    if is_missing(value):
        return None, False
    text = normalize_label(value).replace(",", "").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if not _NUMBER.match(text):
        raise ValueParseError(value)
    return float(text), percent
