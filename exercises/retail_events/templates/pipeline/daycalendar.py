"""The store's calendar: business days and parts of the day.

A business day runs from DAY_START_HOUR local time to the same hour the next day, in the
store's timezone, so a business day is 23 or 25 hours long around a change of daylight
saving time. Parts of the day follow the local clock, not the business day.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import DAY_START_HOUR, DAYPARTS


def business_days(stamps: pd.Series, timezone: str) -> pd.Series:
    """The store's business day of each UTC timestamp."""
    # A business day starts at DAY_START_HOUR on the local clock: an order at 00:30 may belong
    # to the day before. The shift is of clock time, not elapsed time: on the night the
    # clocks go back, the second 01:30 is still before a 02:00 start.
    wall_clock = stamps.dt.tz_convert(timezone).dt.tz_localize(None)
    return (wall_clock - pd.Timedelta(hours=DAY_START_HOUR)).dt.date


def dayparts(local_hours: pd.Series) -> pd.Series:
    """The part of the day (a DAYPARTS name) of each local clock hour."""
    bounds = sorted(DAYPARTS.items(), key=lambda item: item[1])
    index = np.searchsorted([hour for _, hour in bounds], local_hours.to_numpy(), side="right") - 1
    names = np.array([name for name, _ in bounds], dtype=object)
    return pd.Series(names[index], index=local_hours.index)


def hours_since_day_start(local_hours: pd.Series) -> pd.Series:
    """Whole hours from the business day's start to each local clock hour."""
    return (local_hours - DAY_START_HOUR) % 24
