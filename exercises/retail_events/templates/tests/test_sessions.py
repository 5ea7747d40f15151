"""Unit tests of sessionisation."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline import sessions
from pipeline.config import SESSION_GAP_MINUTES, Settings

SETTINGS = Settings(dt.date(2025, 3, 1), dt.date(2025, 3, 2), "UTC")


def _events(user: list[str], minutes: list[int]) -> pd.DataFrame:
    start = pd.Timestamp("2025-03-01T12:00:00Z")
    return pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(user))],
        "user_id": user,
        "event_ts": [start + pd.Timedelta(minutes=m) for m in minutes],
    })


def _assign(events: pd.DataFrame) -> pd.DataFrame:
    return sessions.assign_sessions(events, SETTINGS)


def test_a_long_gap_starts_a_new_session() -> None:
    events = _events(["u", "u", "u"], [0, 5, 5 + SESSION_GAP_MINUTES + 1])
    out = _assign(events)
    assert out["session_id"].nunique() == 2
    assert out["opens_session"].tolist() == [True, False, True]
    assert out["session_minutes"].tolist() == [5.0, 5.0, 0.0]
    assert out["session_date"].tolist() == [dt.date(2025, 3, 1)] * 3


def test_users_never_share_a_session() -> None:
    out = _assign(_events(["a", "b"], [0, 1]))
    assert out["session_id"].nunique() == 2
    assert out["session_events"].tolist() == [1, 1]
