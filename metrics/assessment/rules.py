"""The year's grading rules for one unit type, as exact decimals (from the scheme's [assessment] section)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from metrics.scheme import Scheme
from metrics.scheme_sections import assessment as section


@dataclass(frozen=True)
class Rules:
    bonus_cap: Decimal | None = Decimal(5)       # None: no cap
    deduction_cap: Decimal | None = None
    excellent_share: Decimal = Decimal("0.30")
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(60)


def _dec(value: object) -> Decimal:
    """A scheme number as written (0.3 stays 0.3, not 0.299999…)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(int(value))  # type: ignore[call-overload]


def rules_of(values: dict, unit_type: str) -> Rules:
    """Rules for a unit type from a scheme section's values (type table over the section's keys)."""
    r = section.rules_for(values, unit_type)
    cap = lambda v: None if section.is_no_cap(v) else _dec(v)  # noqa: E731
    return Rules(bonus_cap=cap(r["bonus_cap"]), deduction_cap=cap(r["deduction_cap"]),
                 excellent_share=_dec(r["excellent_share"]), excellent_min=_dec(r["excellent_min"]),
                 good_min=_dec(r["good_min"]), pass_min=_dec(r["pass_min"]))


def rules_from(scheme: Scheme) -> Callable[[str], Rules]:
    """unit type -> Rules, for the scheme of the assessed year."""
    values = dict(scheme.section(section.NAME))
    cache: dict[str, Rules] = {}

    def of(unit_type: str) -> Rules:
        if unit_type not in cache:
            cache[unit_type] = rules_of(values, unit_type)
        return cache[unit_type]

    return of
