"""Trailing-window counts over (entity, day) rows, vectorised with sorted keys.

A row per entity and day is assumed (the feature grain). Each row's count is the number of
the same entity's rows whose day lies in the ``window_days`` days ending on its own day:
the rows sorted by (entity, day ordinal) make every window a contiguous slice, found with
two binary searches instead of a self-join per day of the window.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Days of one entity are packed into a single sortable integer: entity code x SPAN + ordinal.
# Day ordinals stay far below SPAN for any calendar date.
SPAN = 10_000_000


def day_ordinals(days: pd.Series) -> np.ndarray:
    """Proleptic Gregorian ordinals (1 = 0001-01-01) of dates or timestamps."""
    stamps = pd.to_datetime(days)
    epoch = pd.Timestamp("1970-01-01").to_pydatetime().toordinal()
    return (stamps.to_numpy(dtype="datetime64[D]").astype("int64") + epoch).astype("int64")


def packed_keys(entity: pd.Series, days: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(entity, sort=True)
    return codes.astype("int64") * SPAN + day_ordinals(days)


def trailing_count(entity: pd.Series, days: pd.Series, window_days: int) -> pd.Series:
    """Rows of the same entity within the trailing ``window_days`` days, the row's day included."""
    if window_days < 1:
        raise ValueError(f"a trailing window needs at least one day, not {window_days}")
    keys = packed_keys(entity, days)
    ordered = np.sort(keys)
    # Both ends of each window stay inside the entity's block: SPAN is wider than any window.
    high = np.searchsorted(ordered, keys, side="right")
    low = np.searchsorted(ordered, keys - (window_days - 1), side="left")
    return pd.Series(high - low, index=entity.index, dtype="int64")
