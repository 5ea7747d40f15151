"""Unit tests of single pipeline steps on hand-made records."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.clean import deduplicate, normalise_distance, split_by_status
from pipeline.config import DAY_START_HOUR, Settings
from pipeline.localtime import localise, restrict_to_window

CITIES = pd.DataFrame(
    {
        "city": ["berlin", "singapore"],
        "timezone": ["Europe/Berlin", "Asia/Singapore"],
        "utc_offset_hours": [1.0, 8.0],
        "distance_unit": ["km", "km"],
        "currency": ["EUR", "SGD"],
    }
)
WINTER = Settings(dt.date(2025, 1, 13), dt.date(2025, 1, 26))


def _trips(**columns: list[object]) -> pd.DataFrame:
    base: dict[str, object] = {
        "trip_id": ["t1", "t2"],
        "driver_id": ["drv-1", "drv-2"],
        "city": ["berlin", "singapore"],
        "status": ["completed", "cancelled"],
        "pickup_ts": pd.to_datetime(["2025-01-20T23:30:00Z", "2025-01-20T12:00:00Z"]),
        "dropoff_ts": pd.to_datetime(["2025-01-20T23:50:00Z", "2025-01-20T12:25:00Z"]),
        "distance": [4.0, 7.5],
        "fare": [14.0, 20.0],
        "updated_at": pd.to_datetime(["2025-01-20T23:51:00Z", "2025-01-20T12:26:00Z"]),
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_deduplicate_keeps_one_record_per_trip() -> None:
    trips = pd.concat([_trips(), _trips()], ignore_index=True)
    assert sorted(deduplicate(trips)["trip_id"]) == ["t1", "t2"]


def test_kilometres_stay_kilometres() -> None:
    out = normalise_distance(_trips(), CITIES)
    assert out["distance_km"].tolist() == [4.0, 7.5]


def test_local_date_and_hour() -> None:
    out = localise(_trips(), CITIES, WINTER)
    # 23:30 UTC is half past midnight of the next day in Berlin in January: the next
    # operating day only if that day starts at midnight.
    night = dt.date(2025, 1, 21) if DAY_START_HOUR == 0 else dt.date(2025, 1, 20)
    assert out["date"].tolist() == [night, dt.date(2025, 1, 20)]
    assert out["hour"].tolist() == [0, 20]


def test_window_is_inclusive() -> None:
    trips = _trips(pickup_ts=pd.to_datetime(["2025-01-13T06:30:00Z", "2025-01-26T12:00:00Z"]))
    kept = restrict_to_window(localise(trips, CITIES, WINTER), WINTER)
    assert kept["trip_id"].tolist() == ["t1", "t2"]


def test_status_split() -> None:
    completed, cancelled = split_by_status(_trips())
    assert completed["trip_id"].tolist() == ["t1"]
    assert cancelled["trip_id"].tolist() == ["t2"]
