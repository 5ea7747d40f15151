"""A trailing-window engine over many small time series at once.

Every card (or card and category) is one series; windows are found with two binary
searches on one sorted axis instead of a grouped rolling window, which keeps a night's
millions of attempts to a few vectorised passes and gives exact integer sums. The axis
counts whole milliseconds (the feed's resolution), so a row exactly one window earlier is
found by integer arithmetic, never by a float that rounds to either side of the edge.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

CLOSED = ("left", "right", "both", "neither")
# Longer than any window: keeps the groups apart on the shared time axis below.
LOOKBACK = pd.Timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class Timeline:
    """Rows ordered by (group, time) on one numeric axis, for trailing-window lookups.

    Each group is shifted along the axis by more than the data's time range plus the
    longest window, so a window that starts before a group's first row finds no row of
    another group.
    """

    order: np.ndarray  # row positions, sorted by (group, time)
    axis: np.ndarray  # the sorted rows' positions on the axis, in milliseconds (int64)
    groups: np.ndarray  # the sorted rows' groups

    @classmethod
    def build(cls, groups: np.ndarray, seconds: np.ndarray) -> Timeline:
        """``groups`` are integer codes, ``seconds`` non-negative times of the rows."""
        if groups.shape != seconds.shape:
            raise ValueError(f"{len(groups)} groups for {len(seconds)} times")
        if len(seconds) and (np.isnan(seconds).any() or seconds.min() < 0):
            raise ValueError("times must be present and non-negative (seconds since the first row)")
        millis = np.rint(np.asarray(seconds, dtype="float64") * 1000.0).astype("int64")
        # A day beyond the longest window: a window never reaches the previous group's last row.
        span = (int(millis.max()) if len(millis) else 0) + _millis(LOOKBACK) + 86_400_000
        codes = np.asarray(groups, dtype="float64")
        # A row without a group (NaN: a grouping that dropped its key) is a group of its own.
        alone = np.isnan(codes)
        groups = np.where(alone, 0.0, codes).astype("int64")
        groups[alone] = int(groups.max(initial=0)) + 1 + np.arange(int(alone.sum()))
        key = groups * span + millis
        order = np.argsort(key, kind="stable")
        return cls(order=order, axis=key[order], groups=groups[order])

    def bounds(self, window: pd.Timedelta, closed: str) -> tuple[np.ndarray, np.ndarray]:
        """Each sorted row's window as [lo, hi) positions in the sorted order.

        ``closed`` says which ends of (time - window, time) are included, as in pandas'
        ``rolling``: "left" includes the start and leaves out the row's own time.
        """
        if closed not in CLOSED:
            raise ValueError(f"closed must be one of {CLOSED}, not {closed!r}")
        if window > LOOKBACK:
            raise ValueError(f"windows longer than {LOOKBACK} are not supported")
        start = self.axis - _millis(window)
        lo = np.searchsorted(self.axis, start, side="left" if closed in ("left", "both") else "right")
        hi = np.searchsorted(self.axis, self.axis, side="right" if closed in ("right", "both") else "left")
        return lo, hi

    def trailing_sum(
        self, values: np.ndarray, window: pd.Timedelta, closed: str = "left"
    ) -> np.ndarray:
        """For each row, the sum of ``values`` over the rows of its group in its window."""
        lo, hi = self.bounds(window, closed)
        running = np.concatenate([[0], np.cumsum(values[self.order])])
        out = np.empty(len(values), dtype=running.dtype)
        out[self.order] = running[hi] - running[lo]
        return out

    def trailing_count(self, window: pd.Timedelta, closed: str = "left") -> np.ndarray:
        """For each row, how many rows of its group lie in its window."""
        return self.trailing_sum(np.ones(len(self.order), dtype="int64"), window, closed)

    def since_previous(self, seconds: np.ndarray) -> np.ndarray:
        """Seconds since the previous row of the same group; NaN for a group's first row."""
        ordered = seconds[self.order]
        gap = np.full(len(ordered), np.nan)
        gap[1:] = ordered[1:] - ordered[:-1]
        first = np.ones(len(ordered), dtype=bool)
        first[1:] = self.groups[1:] != self.groups[:-1]
        gap[first] = np.nan
        out = np.empty(len(ordered))
        out[self.order] = gap
        return out

    def trailing_distinct(
        self, keys: np.ndarray, seconds: np.ndarray, window: pd.Timedelta, counted: np.ndarray | None = None
    ) -> np.ndarray:
        """For each row, how many distinct ``keys`` its group's rows in [t - window, t) carry.

        ``keys`` are integer codes; rows where ``counted`` is False carry no key and take no
        part. A row j is counted at time t when it is the last row of its key before t, which
        makes every row count on one stretch of the axis: (t_j, min(t_j + window, next time
        of its key)]. The number of stretches covering a row is then two binary searches.
        """
        if counted is None:
            counted = np.ones(len(keys), dtype=bool)
        kept = np.flatnonzero(np.asarray(counted, dtype=bool)[self.order])
        keys = np.asarray(keys).astype("int64")[self.order][kept]
        axis = self.axis[kept]
        pair = self.groups[kept] * (int(keys.max(initial=0)) + 1) + keys
        by_key = np.lexsort((axis, pair))
        following = np.full(len(kept), np.iinfo(np.int64).max)
        same = pair[by_key][1:] == pair[by_key][:-1]
        following[by_key[:-1][same]] = axis[by_key[1:][same]]
        starts = np.sort(axis)
        ends = np.sort(np.minimum(axis + _millis(window), following))
        covering = np.searchsorted(starts, self.axis, side="left") - np.searchsorted(ends, self.axis, side="left")
        out = np.empty(len(self.order), dtype="int64")
        out[self.order] = covering
        return out


def _millis(span: pd.Timedelta) -> int:
    """A window's length in whole milliseconds, the axis' unit."""
    return int(span // pd.Timedelta(milliseconds=1))
