"""The retail reference's business days follow the local clock on the nights it changes.

A business day runs from DAY_START_HOUR local time to the same hour the next day. An audit
found the reference shifting by elapsed time: on the night the clocks go back, the second
01:30 (after 01:59 came round again) landed on the next business day.
"""
from __future__ import annotations

import importlib.util
import sys
import types

import pandas as pd

from faultline.exercises.retail_events import TEMPLATES


def _calendar(day_start_hour: int) -> types.ModuleType:
    config = types.ModuleType("pipeline.config")
    config.DAY_START_HOUR = day_start_hour  # type: ignore[attr-defined]
    config.DAYPARTS = {"night": 0, "morning": 6, "afternoon": 12, "evening": 18}  # type: ignore[attr-defined]
    saved = {name: sys.modules.get(name) for name in ("pipeline", "pipeline.config")}
    sys.modules["pipeline"] = types.ModuleType("pipeline")
    sys.modules["pipeline.config"] = config
    try:
        spec = importlib.util.spec_from_file_location("retail_daycalendar", TEMPLATES / "pipeline" / "daycalendar.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        for name, old in saved.items():
            if old is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old


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
