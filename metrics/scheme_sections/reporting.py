"""Scheme table ``[reporting]``: the due day of each frequency's figures (报送时限).

    [reporting]
    week = 1            # days after the period's end
    dekad = 2           # 旬: two days after the 旬 ends
    month = "次月5日"    # the 5th of the next month
    quarter = "次月10日"

A number is days after the period's end; ``次月N日`` is the N-th of the next month.  An indicator's
``报送时限`` in the catalog overrides its frequency's default (metrics.reporting.rules).
"""

from __future__ import annotations

from typing import Any

NAME = "reporting"
DEFAULTS: dict[str, Any] = {"week": 1, "dekad": 2, "month": "次月5日", "quarter": "次月10日"}


def validate(values: dict[str, Any], where: str) -> None:
    from metrics.reporting.rules import parse_rule
    from metrics.scheme import SchemeError

    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise SchemeError(f"{where}: unknown key reporting.{unknown[0]} (known: {', '.join(DEFAULTS)})")
    for key, value in values.items():
        try:
            ok = not isinstance(value, bool) and parse_rule(value) is not None
        except ValueError:
            ok = False
        if not ok:
            raise SchemeError(f"{where}: reporting.{key} must be days after the period (e.g. 2) or 次月N日 ({value!r})")
