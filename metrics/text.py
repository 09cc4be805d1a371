"""Labels and cell values as offices type them: full-width characters, stray spaces, 85.3%, 1,234.5, —."""

from __future__ import annotations

import math
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_MISSING = {"", "-", "—", "——", "–", "－", "/", "\\", "—/—", "--", "---", "…", "……", "...", "无", "n/a", "na",
            "none", "null"}
#: words that mean "no figure this time" and are worth keeping as the figure's note (the domain's list)
NO_FIGURE_WORDS = {"同期为0", "去年同期为0", "上年同期为0", "基期为0", "同期无数据", "无同期数"}
#: 持平 (level with last year) is a growth of 0
LEVEL_WORDS = {"持平"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Excel's error values, as cells show them (and as CSV and HTML exports write them)
ERROR_VALUES = ("#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!",
                "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
_ERROR_KEYS = {e.casefold(): e for e in ERROR_VALUES}
#: the largest magnitude a figure may have (beyond it a value is a typo or an attack, never a statistic)
MAX_FIGURE = 1e15


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


class CellError(str):
    """An Excel error value (``#DIV/0!``) read from a cell: text for labels, refused as a figure."""

    __slots__ = ()


class UncachedFormula(str):
    """A formula cell saved without its result (written by a program, never opened in Excel/WPS)."""

    __slots__ = ()


def error_value(value: object) -> str | None:
    """The Excel error a cell holds ("#DIV/0!"), whether read as an error cell or written as text."""
    if isinstance(value, CellError):
        return str(value)
    if isinstance(value, str) and value[:1] in "#＃":
        return _ERROR_KEYS.get(normalize_label(value).replace(" ", "").casefold())
    return None


#: dashes that say "no figure" and are kept as the note like the words
NO_FIGURE_MARKS = {"—", "——", "-", "－", "–", "/", "…", "……", "..."}


def no_figure_word(value: object) -> str | None:
    """同期为0, 去年同期为0, —, -, / …: a cell saying there is no figure, kept as the note (None otherwise)."""
    if isinstance(value, str):
        text = normalize_label(value).replace(" ", "")
        if text in NO_FIGURE_WORDS or text in NO_FIGURE_MARKS:
            return text
    return None


class ValueParseError(ValueError):
    """A cell that should hold a number and does not; ``key`` names the message (messages.py)."""

    def __init__(self, value: object, key: str = "bad_number") -> None:
        super().__init__(value)
        self.value = value
        self.key = key


def check_figure(number: float, value: object) -> float:
    """A finite number no larger than MAX_FIGURE, else ValueParseError (inf, NaN, 1e400, 1e16)."""
    if math.isnan(number) or math.isinf(number):
        raise ValueParseError(value, "number_not_finite")
    if abs(number) > MAX_FIGURE:
        raise ValueParseError(value, "number_too_large")
    return number


def parse_number(value: object, *, growth: bool = False) -> tuple[float | None, bool]:
    """Return (number, written_with_percent_sign); None for a missing value.

    ``85.3%`` gives (85.3, True): a value written with a percent sign is in percent units. Excel error
    values, formulas without a result, ``inf``/``NaN``/``1e400`` and numbers beyond 1e15 raise
    ValueParseError with their own message key. ``持平`` is 0 only in a growth (``growth=True``).
    """
    if isinstance(value, bool):
        raise ValueParseError(value)
    if isinstance(value, UncachedFormula):
        raise ValueParseError(value, "formula_no_value")
    if isinstance(value, int | float):
        if value != value:
            return None, False  # an absent value as pandas holds it, not a cell that says NaN
        return check_figure(float(value), value), False
    if error_value(value) is not None:
        raise ValueParseError(value, "excel_error")
    if is_missing(value) or no_figure_word(value) is not None:
        return None, False
    text = normalize_label(value).replace(",", "").replace(" ", "")
    if text in LEVEL_WORDS:
        if growth:
            return 0.0, False
        raise ValueParseError(value, "level_word_not_growth")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if not _NUMBER.match(text):
        if text.casefold().lstrip("+-") in ("inf", "infinity", "nan", "∞"):
            raise ValueParseError(value, "number_not_finite")
        raise ValueParseError(value)
    return check_figure(float(text), value), percent


_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


def safe_file_name(name: object, max_bytes: int = 180) -> str:
    """A name a server can create for an uploaded file whatever the user called it: the last path part
    only, no control characters or signs a file system reserves, no leading dots, at most ``max_bytes``
    bytes in UTF-8 (file systems allow 255; 200 Chinese characters are 600), the extension kept."""
    base = re.split(r"[\\/]", str(name))[-1].strip()
    base = _UNSAFE_IN_NAME.sub("_", base).lstrip(". ") or "upload"
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = base, ""
    suffix = f".{ext}" if ext else ""
    budget = max_bytes - len(suffix.encode("utf-8"))
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    return (stem or "upload") + suffix
