"""Driver shifts, rebuilt from the trips: a long enough idle gap ends a shift.

The trips service knows nothing of shifts (drivers log on and off in the app, and that
log is not exported), so supply planning's shift features are reconstructed from the
completed trips of an operating day: sorted by pickup, a new shift starts wherever the
driver sat idle longer than ``SHIFT_GAP_MINUTES``: no rider aboard since the latest
dropoff of the day's earlier trips (a trip may begin before another has ended).

Everything is vectorised over the whole day table (one sort, shifted columns and a
cumulative sum per driver-day) rather than a Python loop per driver: a night's run has
a few hundred thousand trips.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from pipeline.config import SHIFT_GAP_MINUTES

KEY = ["driver_id", "date"]


@dataclasses.dataclass(frozen=True)
class ShiftTable:
    """One row per shift: its driver-day, its number within the day, its bounds."""

    frame: pd.DataFrame

    def per_day(self) -> pd.DataFrame:
        """n_shifts, longest_shift_hours, idle_hours and shift_hours (summed) per driver-day."""
        if self.frame.empty:
            return pd.DataFrame(
                {k: pd.Series(dtype="object") for k in KEY}
                | {
                    "n_shifts": pd.Series(dtype="int64"),
                    "longest_shift_hours": pd.Series(dtype="float64"),
                    "idle_hours": pd.Series(dtype="float64"),
                    "shift_hours": pd.Series(dtype="float64"),
                }
            )
        days = self.frame.groupby(KEY, sort=True).agg(
            n_shifts=("shift", "size"),
            longest_shift_hours=("hours", "max"),
            idle_hours=("idle_hours", "sum"),
            shift_hours=("hours", "sum"),
        )
        return days.reset_index()


def gaps(trips: pd.DataFrame) -> pd.Series:
    """Minutes each trip's pickup came after the latest dropoff of its driver-day's earlier
    trips (``trips`` sorted by pickup within each driver-day).

    The day's first trip has no gap (NaN). Trips may overlap in the records (a driver who
    accepted the next ride before ending the last one): a negative gap is no idle time, and
    a short trip inside a long one does not end the long one's ride.
    """
    by_day = [trips[k] for k in KEY]
    latest_end = trips["end_ts"].groupby(by_day, sort=False).cummax()
    previous_end = latest_end.groupby(by_day, sort=False).shift(1)
    minutes = (trips["pickup_ts"] - previous_end).dt.total_seconds() / 60.0
    return minutes.clip(lower=0.0)


def rebuild(trips: pd.DataFrame) -> ShiftTable:
    """Shifts of the given completed trips (columns driver_id, date, pickup_ts, dropoff_ts)."""
    # A record whose dropoff never arrived ends where it began.
    ordered = trips[[*KEY, "pickup_ts", "dropoff_ts"]]
    ordered = ordered.assign(end_ts=ordered["dropoff_ts"].fillna(ordered["pickup_ts"]))
    # Trips picked up at the same moment are taken in dropoff order, whatever order the
    # records came in.
    ordered = ordered.sort_values([*KEY, "pickup_ts", "end_ts"], kind="stable")
    ordered = ordered.reset_index(drop=True)
    gap = gaps(ordered)
    starts = gap.isna() | (gap > SHIFT_GAP_MINUTES)
    # Shift numbers within a driver-day: 1 at its first trip, +1 at every long gap.
    number = starts.astype("int64").groupby([ordered[k] for k in KEY], sort=False).cumsum()
    idle = gap.where(~starts, 0.0).fillna(0.0)
    ordered = ordered.assign(shift=number.to_numpy(), idle_minutes=idle.to_numpy())
    shifts = ordered.groupby([*KEY, "shift"], sort=True).agg(
        start=("pickup_ts", "min"),
        end=("end_ts", "max"),
        trips=("pickup_ts", "size"),
        idle_minutes=("idle_minutes", "sum"),
    )
    shifts = shifts.reset_index()
    span = (shifts["end"] - shifts["start"]).dt.total_seconds() / 3600.0
    shifts["hours"] = span.to_numpy(dtype=np.float64)
    shifts["idle_hours"] = shifts.pop("idle_minutes") / 60.0
    return ShiftTable(shifts)


def per_day(trips: pd.DataFrame) -> pd.DataFrame:
    """The shift features of every driver-day that has completed trips."""
    return rebuild(trips).per_day()
