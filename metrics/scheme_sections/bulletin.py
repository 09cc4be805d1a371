"""Scheme table ``[bulletin]``: who issues the 通报, its masthead, and how many units each group's
表彰 (commend) and 通报批评 (criticise) lists name.

    [bulletin]
    commend_top = 1          # per ranking group: the first N by composite are commended
    criticise_bottom = 1     # per ranking group: the last N by composite are criticised
    issuer = "{city}绩效评估工作领导小组办公室"
    masthead = "绩效评估工作通报"

``{city}`` in ``issuer`` is replaced by the city's name from the catalog (its 市州 unit).
"""

from __future__ import annotations

from typing import Any

NAME = "bulletin"
DEFAULTS: dict[str, Any] = {
    "commend_top": 1,
    "criticise_bottom": 1,
    "issuer": "{city}绩效评估工作领导小组办公室",
    "masthead": "绩效评估工作通报",
}
_MAX_LIST = 50
_MAX_TEXT = 60


def validate(values: dict[str, Any], where: str) -> None:
    from metrics.scheme import SchemeError

    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise SchemeError(f"{where}: unknown key bulletin.{unknown[0]} (known: {', '.join(DEFAULTS)})")
    for key in ("commend_top", "criticise_bottom"):
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_LIST:
            raise SchemeError(f"{where}: bulletin.{key} must be a whole number from 0 to {_MAX_LIST} ({value!r})")
    for key in ("issuer", "masthead"):
        value = values[key]
        if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
            raise SchemeError(f"{where}: bulletin.{key} must be a text of 1 to {_MAX_TEXT} characters ({value!r})")
        if "{" in value.replace("{city}", ""):
            raise SchemeError(f"{where}: bulletin.{key} may only use the placeholder {{city}} ({value!r})")
