"""Scheme table ``[supervision]``: the rhythm of 挂账销号 and of the key-task list.

    [supervision]
    feedback_every_days = 7     # an open item expects a progress feedback this often (一周一调度)
    close_after_green = 2       # consecutive green periods after which an item is 可申请销号
    warn_days = 7               # a task milestone due within this many days is 黄
    evidence_max_mb = 20        # the largest evidence file accepted (any type)
"""

from __future__ import annotations

from typing import Any

NAME = "supervision"
DEFAULTS: dict[str, Any] = {
    "feedback_every_days": 7,
    "close_after_green": 2,
    "warn_days": 7,
    "evidence_max_mb": 20,
}
_RANGES = {"feedback_every_days": (1, 366), "close_after_green": (1, 24), "warn_days": (0, 366),
           "evidence_max_mb": (1, 2048)}


def validate(values: dict[str, Any], where: str) -> None:
    from metrics.scheme import SchemeError

    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise SchemeError(f"{where}: unknown key supervision.{unknown[0]} (known: {', '.join(DEFAULTS)})")
    for key, (low, high) in _RANGES.items():
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SchemeError(f"{where}: supervision.{key} must be a whole number from {low} to {high} ({value!r})")
