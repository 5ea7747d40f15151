"""The split and session families against the day's totals."""
from __future__ import annotations

import pandas as pd

from pipeline.config import DAYPARTS, PLATFORMS
from pipeline.writer import CATALOGUE, SCHEMA


def test_platform_split_adds_up(features: pd.DataFrame) -> None:
    columns = [f"n_events_{p}" for p in PLATFORMS]
    assert (features[columns].sum(axis=1) == features["n_events"]).all()


def test_daypart_split_adds_up(features: pd.DataFrame) -> None:
    columns = [f"n_events_{d}" for d in DAYPARTS]
    assert (features[columns].sum(axis=1) == features["n_events"]).all()


def test_list_value_is_never_negative(features: pd.DataFrame) -> None:
    assert (features["list_value_usd"] >= 0).all()


def test_session_features_are_empty_exactly_without_sessions(features: pd.DataFrame) -> None:
    without = features["n_sessions"] == 0
    assert features.loc[without, "avg_session_minutes"].isna().all()
    assert features.loc[~without, "avg_session_minutes"].ge(0).all()
    assert features.loc[~without, "events_per_session"].ge(1).all()


def test_catalogue_matches_the_schema() -> None:
    assert [f.name for f in CATALOGUE] == SCHEMA.names
