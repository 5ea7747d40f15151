"""The published contract of features.parquet."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.writer import SCHEMA, write_features


def test_schema_is_the_published_one(features: pd.DataFrame, tmp_path: Path) -> None:
    path = write_features(features, tmp_path)
    assert pq.read_schema(path).remove_metadata().equals(SCHEMA)


def test_one_row_per_attempt(features: pd.DataFrame, raw: Path) -> None:
    feed = pq.read_table(raw / "transactions.parquet", columns=["transaction_id"]).to_pandas()
    assert features["transaction_id"].is_unique
    assert set(features["transaction_id"]) == set(feed["transaction_id"])


def test_keys_and_times_are_present(features: pd.DataFrame) -> None:
    assert features["card_id"].notna().all()
    assert features["event_time"].notna().all()
    assert features["local_hour"].between(0, 23).all()
