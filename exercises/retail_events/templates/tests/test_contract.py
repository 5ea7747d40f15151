"""The published contract of features.parquet."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.writer import SCHEMA


def test_schema_is_the_published_one(features: pd.DataFrame, tmp_path: Path) -> None:
    from pipeline.writer import write_features

    path = write_features(features, tmp_path)
    assert pq.read_schema(path).remove_metadata().equals(SCHEMA)


def test_one_row_per_user_and_day(features: pd.DataFrame) -> None:
    assert not features.duplicated(["user_id", "date"]).any()
    assert features["user_id"].notna().all()


def test_dates_inside_the_window(features: pd.DataFrame, raw: Path) -> None:
    manifest = json.loads((raw / "manifest.json").read_text())
    start = dt.date.fromisoformat(manifest["start_date"])
    end = dt.date.fromisoformat(manifest["end_date"])
    assert features["date"].between(start, end).all()


def test_output_is_not_empty(features: pd.DataFrame) -> None:
    assert len(features) > 100
    assert features["user_id"].nunique() > 50
