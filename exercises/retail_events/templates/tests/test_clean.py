"""Unit tests of the cleaning steps."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.clean import deduplicate, restrict_to_window
from pipeline.config import Settings


def _events(**columns: list[object]) -> pd.DataFrame:
    base = {
        "event_id": ["a", "b"],
        "event_ts": pd.to_datetime(["2025-03-01T12:00:00Z", "2025-03-02T12:00:00Z"]),
        "ingested_at": pd.to_datetime(["2025-03-01T12:00:05Z", "2025-03-02T12:00:05Z"]),
        "amount": [1.0, 2.0],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_deduplicate_keeps_one_row_per_event() -> None:
    events = pd.concat([_events(), _events()], ignore_index=True)
    assert sorted(deduplicate(events)["event_id"]) == ["a", "b"]


def test_window_uses_the_local_calendar() -> None:
    events = _events(event_ts=pd.to_datetime(["2025-03-01T03:00:00Z", "2025-03-02T12:00:00Z"]))
    settings = Settings(dt.date(2025, 3, 1), dt.date(2025, 3, 2), "America/New_York")
    kept = restrict_to_window(events, settings)
    # 03:00 UTC on March 1st is the evening of February 28th in New York.
    assert list(kept["event_id"]) == ["b"]
    assert kept["date"].tolist() == [dt.date(2025, 3, 2)]
