"""``--received DATE`` on an import: a day the sheet arrived, not in the future, not before the end
of a period the file holds (domain rulings)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.messages import Problem, register
from metrics.reporting.received import today

register({
    "received_future": ("收到日期 {value} 晚于今天（{today}），不能登记未来的日期",
                        "the received date {value} is after today ({today}); a future date cannot be recorded"),
    "received_early": ("收到日期 {value} 早于文件中期间的截止日 {end}：报表不可能在期末之前收到",
                       "the received date {value} is before {end}, the end of a period in the file"),
})


def received_problems(file: str, received: dt.date, dates: pd.Series) -> list[Problem]:
    """Errors for a received date in the future or before the latest period's end in the file."""
    out = []
    now = today()
    if received > now:
        out.append(Problem("error", "received_future", file, value=received.isoformat(),
                           params={"today": now.isoformat()}))
    end = pd.to_datetime(dates).max().date()
    if received < end:
        out.append(Problem("error", "received_early", file, value=received.isoformat(),
                           params={"end": end.isoformat()}))
    return out
