"""The published contract of features.parquet."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.writer import SCHEMA, write_features


def test_schema_is_the_published_one(features: pd.DataFrame, tmp_path: Path) -> None:
    path = write_features(features, tmp_path)
    assert pq.read_schema(path).remove_metadata().equals(SCHEMA)


def test_one_row_per_driver_and_day(features: pd.DataFrame) -> None:
    assert not features.duplicated(["driver_id", "date"]).any()
    assert features["driver_id"].notna().all()


def test_dates_inside_the_window(features: pd.DataFrame, raw: Path) -> None:
    manifest = json.loads((raw / "manifest.json").read_text())
    start = dt.date.fromisoformat(manifest["start_date"])
    end = dt.date.fromisoformat(manifest["end_date"])
    assert features["date"].between(start, end).all()


def test_every_city_is_present(features: pd.DataFrame, raw: Path) -> None:
    cities = pd.read_csv(raw / "cities.csv")
    assert set(features["city"]) == set(cities["city"])


def test_output_is_not_empty(features: pd.DataFrame) -> None:
    assert len(features) > 100
    assert features["driver_id"].nunique() >= 30
