"""The cardholder's clock: the issuer market's local time of each attempt.

Timestamps stay UTC everywhere in the job; local time is derived here only, from the
export's timezone (daylight saving included), for the features and the daily counts.
"""
from __future__ import annotations

import pandas as pd


def local_times(event_time: pd.Series, timezone: str) -> pd.Series:
    """Each UTC timestamp on the issuer's wall clock."""
    if event_time.dt.tz is None:
        raise ValueError("event_time must be timezone-aware (UTC)")
    return event_time.dt.tz_convert(timezone)


def local_hour(event_time: pd.Series, timezone: str) -> pd.Series:
    """Hour of the day on the cardholder's clock, 0 to 23."""
    return local_times(event_time, timezone).dt.hour.astype("int64")


def attempts_per_day(event_time: pd.Series, timezone: str) -> dict[str, int]:
    """How many attempts fall on each local calendar day (the run summary's daily counts)."""
    days = local_times(event_time, timezone).dt.strftime("%Y-%m-%d")
    counts = days.value_counts().sort_index()
    return {str(day): int(n) for day, n in counts.items()}
