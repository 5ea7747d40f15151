"""Trailing-window and recency features over the day table.

Supply planning wants each driver-day to carry the driver's recent activity: trips and
earnings over the last few operating days, how many of them the driver worked, and how
long since the previous working day. A day without a row is a day off (zero trips, zero
earnings), so the windows run over the calendar, not over the rows: the day table is
laid out as a dense (driver x day) grid and every window is a difference of cumulative
sums along the day axis. The windows are truncated at the reporting window's start: an
export holds no earlier days.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from pipeline.config import (
    ACTIVE_DAYS_LONG,
    EARNINGS_LONG,
    LONG_WINDOW_DAYS,
    SHORT_WINDOW_DAYS,
    TRIPS_LONG,
    TRIPS_SHORT,
    Settings,
)


@dataclasses.dataclass(frozen=True)
class Grid:
    """The day table's positions on a dense (driver x operating day) grid."""

    drivers: pd.Index
    days: int
    row: np.ndarray  # each table row's driver position
    col: np.ndarray  # each table row's day position

    @classmethod
    def of(cls, table: pd.DataFrame, settings: Settings) -> Grid:
        drivers = pd.Index(table["driver_id"].unique()).sort_values()
        dates = pd.to_datetime(pd.Series(table["date"], dtype="object"))
        col = (dates - pd.Timestamp(settings.start_date)).dt.days.to_numpy(dtype=np.int64)
        return cls(
            drivers=drivers,
            days=(settings.end_date - settings.start_date).days + 1,
            row=drivers.get_indexer(table["driver_id"]),
            col=col,
        )

    def dense(self, values: pd.Series) -> np.ndarray:
        """The values on the grid, 0 where the driver has no row that day."""
        grid = np.zeros((len(self.drivers), self.days), dtype=np.float64)
        grid[self.row, self.col] = values.fillna(0.0).to_numpy(dtype=np.float64)
        return grid

    def trailing_sum(self, values: pd.Series, width: int) -> np.ndarray:
        """For each table row, the sum of ``values`` over its driver's last ``width`` days."""
        total = np.cumsum(self.dense(values), axis=1)
        # total[:, t] - total[:, t - width] sums days t - width + 1 .. t; before the grid's
        # first day there is nothing to subtract.
        earlier = np.concatenate([np.zeros((len(self.drivers), width)), total], axis=1)[:, : self.days]
        window = total - earlier
        return window[self.row, self.col]


def days_since_previous(table: pd.DataFrame) -> pd.Series:
    """Operating days since the driver's previous row in the window; empty on the first."""
    order = table.sort_values(["driver_id", "date"], kind="stable")
    dates = pd.to_datetime(pd.Series(order["date"], dtype="object"))
    previous = dates.groupby(order["driver_id"].to_numpy(), sort=False).shift(1)
    days = (dates - previous).dt.days
    return days.astype("Int64").reindex(table.index)


def add_trailing(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The activity family: trailing trips, earnings and working days, and recency."""
    if table.empty:
        return table.assign(
            **{TRIPS_SHORT: 0, TRIPS_LONG: 0, EARNINGS_LONG: 0.0, ACTIVE_DAYS_LONG: 0},
            days_since_prev_active=pd.array([], dtype="Int64"),
        )
    grid = Grid.of(table, settings)
    worked = pd.Series(1.0, index=table.index)
    out = {
        TRIPS_SHORT: np.rint(grid.trailing_sum(table["n_trips"], SHORT_WINDOW_DAYS)).astype(np.int64),
        TRIPS_LONG: np.rint(grid.trailing_sum(table["n_trips"], LONG_WINDOW_DAYS)).astype(np.int64),
        # Each day's earnings are already rounded to the cent: their sum is, up to float noise.
        EARNINGS_LONG: np.round(grid.trailing_sum(table["earnings"], LONG_WINDOW_DAYS), 2),
        ACTIVE_DAYS_LONG: np.rint(grid.trailing_sum(worked, LONG_WINDOW_DAYS)).astype(np.int64),
    }
    return table.assign(**out, days_since_prev_active=days_since_previous(table))
