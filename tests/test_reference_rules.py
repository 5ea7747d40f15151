"""Rules of the references' contracts that audits found broken, on small hand-made cases.

- retail: a business day runs from DAY_START_HOUR local time to the same hour the next
  day. The reference shifted by elapsed time: on the night the clocks go back, the second
  01:30 (after 01:59 came round again) landed on the next business day.
- ride: a gap that ends a shift is measured from the latest dropoff of the day's earlier
  trips. The reference measured from the previous trip's, so a short trip inside a long
  one opened a shift while the long one's rider was still aboard.
"""
from __future__ import annotations

import types

import pandas as pd

from faultline.exercises.retail_events import TEMPLATES as RETAIL
from faultline.exercises.ride_trips import TEMPLATES as RIDE
from tests.helpers import template_module


def _calendar(day_start_hour: int) -> types.ModuleType:
    dayparts = {"night": 0, "morning": 6, "afternoon": 12, "evening": 18}
    return template_module(
        RETAIL / "pipeline" / "daycalendar.py", DAY_START_HOUR=day_start_hour, DAYPARTS=dayparts
    )


def test_business_days_follow_the_local_clock_when_it_goes_back() -> None:
    calendar = _calendar(2)
    stamps = pd.Series(pd.to_datetime([
        "2025-11-02T08:30:00Z",  # 01:30 PDT, the first time round: the day before
        "2025-11-02T09:30:00Z",  # 01:30 PST, the second time round: still the day before
        "2025-11-02T10:30:00Z",  # 02:30 PST: the new day has begun
    ]))
    days = calendar.business_days(stamps, "America/Los_Angeles")
    assert [str(d) for d in days] == ["2025-11-01", "2025-11-01", "2025-11-02"]


def test_business_days_when_the_clock_goes_forward() -> None:
    calendar = _calendar(2)
    stamps = pd.Series(pd.to_datetime([
        "2025-03-09T09:30:00Z",  # 01:30 PST: the day before
        "2025-03-09T10:30:00Z",  # 03:30 PDT (02:00 to 03:00 never happened): the new day
    ]))
    days = calendar.business_days(stamps, "America/Los_Angeles")
    assert [str(d) for d in days] == ["2025-03-08", "2025-03-09"]


def test_a_trip_inside_another_does_not_open_a_shift() -> None:
    shifts = template_module(RIDE / "pipeline" / "shifts.py", SHIFT_GAP_MINUTES=30)
    day = pd.Timestamp("2026-09-24", tz="UTC")
    trips = pd.DataFrame({
        "driver_id": "d1",
        "date": day.date(),
        # A long airport run from 10:00 to 11:30, a short hop 10:10-10:20 inside it, and the
        # next trip at 11:45: the driver was never idle for more than 15 minutes.
        "pickup_ts": [day + pd.Timedelta(hours=h) for h in (10, 10 + 1 / 6, 11.75)],
        "dropoff_ts": [day + pd.Timedelta(hours=h) for h in (11.5, 10 + 1 / 3, 12.25)],
    })
    table = shifts.rebuild(trips).frame
    assert len(table) == 1
    assert table["idle_hours"].iloc[0] == 0.25
