"""The shift and activity families: hand-made trips, and invariants of the table."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline import shifts, windows
from pipeline.config import (
    ACTIVE_DAYS_LONG,
    LONG_WINDOW_DAYS,
    SHIFT_GAP_MINUTES,
    SHORT_WINDOW_DAYS,
    TRIPS_LONG,
    TRIPS_SHORT,
    Settings,
)

DAY = dt.date(2025, 1, 20)


def _day_of_trips(starts_and_ends: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "driver_id": "drv-1",
            "date": DAY,
            "pickup_ts": pd.to_datetime([s for s, _ in starts_and_ends], utc=True),
            "dropoff_ts": pd.to_datetime([e for _, e in starts_and_ends], utc=True),
        }
    )


def test_a_long_gap_starts_a_new_shift() -> None:
    late = pd.Timestamp("2025-01-20T08:30:00Z") + pd.Timedelta(minutes=SHIFT_GAP_MINUTES + 1)
    trips = _day_of_trips(
        [("2025-01-20T08:00:00Z", "2025-01-20T08:20:00Z"), ("2025-01-20T08:25:00Z", "2025-01-20T08:30:00Z"),
         (late.isoformat(), (late + pd.Timedelta(minutes=10)).isoformat())]
    )
    day = shifts.per_day(trips).iloc[0]
    assert day["n_shifts"] == 2
    assert day["longest_shift_hours"] == 0.5
    assert abs(day["idle_hours"] - 5 / 60) < 1e-9


def test_overlapping_trips_leave_no_idle_time() -> None:
    trips = _day_of_trips(
        [("2025-01-20T08:00:00Z", "2025-01-20T08:30:00Z"), ("2025-01-20T08:20:00Z", "2025-01-20T08:40:00Z")]
    )
    day = shifts.per_day(trips).iloc[0]
    assert day["n_shifts"] == 1
    assert day["idle_hours"] == 0.0


def test_trailing_windows_count_days_off_as_zero() -> None:
    settings = Settings(DAY, DAY + dt.timedelta(days=9))
    table = pd.DataFrame(
        {
            "driver_id": ["drv-1"] * 3,
            "date": [DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=9)],
            "n_trips": [4, 6, 5],
            "earnings": [10.0, 20.0, 30.0],
        }
    )
    out = windows.add_trailing(table, settings)
    assert out[TRIPS_SHORT].tolist() == [4, 10, 5]
    assert out[ACTIVE_DAYS_LONG].tolist() == [1, 2, 1]
    assert out["days_since_prev_active"].tolist()[1:] == [1, 8]
    assert pd.isna(out["days_since_prev_active"].iloc[0])


def test_windows_nest(features: pd.DataFrame) -> None:
    assert (features["n_trips"] <= features[TRIPS_SHORT]).all()
    assert (features[TRIPS_SHORT] <= features[TRIPS_LONG]).all()
    assert features[ACTIVE_DAYS_LONG].between(1, LONG_WINDOW_DAYS).all()
    assert SHORT_WINDOW_DAYS < LONG_WINDOW_DAYS


def test_shift_features_are_consistent(features: pd.DataFrame) -> None:
    assert (features["n_shifts"] >= 1).all()
    assert (features["n_shifts"] <= features["n_trips"]).all()
    assert (features["idle_hours"] >= 0).all()
    assert features["cancel_ratio"].between(0.0, 1.0).all()
