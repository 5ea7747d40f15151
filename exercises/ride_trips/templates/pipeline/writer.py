"""Writing the feature table with its published schema."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

OUTPUT_FILE = "features.parquet"
KEY = ["driver_id", "date"]

# The published contract: the ETA and supply models read these columns with these types.
SCHEMA = pa.schema(
    [
        ("driver_id", pa.string()),
        ("date", pa.date32()),
        ("city", pa.string()),
        ("n_trips", pa.int64()),
        ("n_cancelled", pa.int64()),
        ("n_zones", pa.int64()),
        ("first_pickup_hour", pa.int64()),
        ("mean_pickup_hour", pa.float64()),
        ("active_hours", pa.float64()),
        ("median_duration_min", pa.float64()),
        ("mean_duration_min", pa.float64()),
        ("total_distance_km", pa.float64()),
        ("mean_speed_kmh", pa.float64()),
        ("earnings", pa.float64()),
        ("fare_per_km", pa.float64()),
        ("share_long_trips", pa.float64()),
        ("share_airport_pickups", pa.float64()),
    ]
)


def write_features(table: pd.DataFrame, output_dir: Path) -> Path:
    """Write ``features.parquet`` sorted by key, with exactly the published schema."""
    output_dir.mkdir(parents=True, exist_ok=True)
    ordered = table.sort_values(KEY, kind="stable")[SCHEMA.names]
    arrow = pa.Table.from_pandas(ordered, schema=SCHEMA, preserve_index=False)
    path = output_dir / OUTPUT_FILE
    pq.write_table(arrow, path, compression="snappy")
    return path
