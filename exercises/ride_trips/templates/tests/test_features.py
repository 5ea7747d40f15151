"""Internal consistency of the feature table."""
from __future__ import annotations

import pandas as pd

from pipeline.config import ACTIVE_HOURS, DURATION_PCT, FARE_PER_DISTANCE, SHARE_LONG, TOTAL_DISTANCE

SHARES = [SHARE_LONG, "share_airport_pickups"]


def test_counts_are_sane(features: pd.DataFrame) -> None:
    assert (features["n_trips"] >= 1).all()
    assert (features["n_cancelled"] >= 0).all()
    assert (features["n_zones"] <= features["n_trips"]).all()


def test_shares_are_fractions(features: pd.DataFrame) -> None:
    for column in SHARES:
        assert features[column].between(0.0, 1.0).all(), column


def test_hours_in_range(features: pd.DataFrame) -> None:
    assert features["first_pickup_hour"].between(0, 23).all()
    assert (features["mean_pickup_hour"] >= features["first_pickup_hour"]).all()
    assert (features[ACTIVE_HOURS].dropna() >= 0).all()
    # One local day (25 hours when the clocks go back) plus the last trip.
    assert (features[ACTIVE_HOURS].dropna() < 36).all()


def test_durations_are_positive(features: pd.DataFrame) -> None:
    assert (features[DURATION_PCT].dropna() > 0).all()
    assert (features["mean_duration_min"].dropna() > 0).all()


def test_money_is_never_negative(features: pd.DataFrame) -> None:
    assert (features["earnings"] >= 0).all()
    assert (features[FARE_PER_DISTANCE].dropna() >= 0).all()
    assert (features[TOTAL_DISTANCE] >= 0).all()
