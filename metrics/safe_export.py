"""Text that Excel or WPS could take for a formula, made inert before it leaves in a CSV or xlsx file.

A unit name, an event's 事项 or a note comes from a workbook someone else wrote; ``=HYPERLINK(…)`` or
``@SUM(…)`` in it must stay text when an office worker opens the download.  Text beginning with
``= + - @``, a tab or a carriage return gets a leading apostrophe; numbers are left as numbers.
"""

from __future__ import annotations

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value, with a leading ``'`` when it is text Excel could evaluate."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (object and categorical columns) are neutralised; headers too."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if col.dtype == object or isinstance(col.dtype, pd.CategoricalDtype | pd.StringDtype):
            out[name] = col.astype(object).map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out
