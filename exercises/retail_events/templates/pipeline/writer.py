"""Writing the feature table with its published schema."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

OUTPUT_FILE = "features.parquet"

# The published contract: downstream models read these columns with these types.
SCHEMA = pa.schema(
    [
        ("user_id", pa.string()),
        ("date", pa.date32()),
        ("country", pa.string()),
        ("segment", pa.string()),
        ("n_events", pa.int64()),
        ("n_views", pa.int64()),
        ("n_cart_adds", pa.int64()),
        ("n_purchases", pa.int64()),
        ("units_purchased", pa.int64()),
        ("revenue", pa.float64()),
        ("avg_order_value", pa.float64()),
        ("cart_conversion", pa.float64()),
        ("n_distinct_products", pa.int64()),
        ("n_categories", pa.int64()),
        ("n_platforms", pa.int64()),
        ("first_event_hour", pa.int64()),
        ("account_age_days", pa.int64()),
        ("is_new_user", pa.bool_()),
    ]
)


def write_features(table: pd.DataFrame, output_dir: Path) -> Path:
    """Write ``features.parquet`` sorted by key, with exactly the published schema."""
    output_dir.mkdir(parents=True, exist_ok=True)
    ordered = table.sort_values(["user_id", "date"], kind="stable")[SCHEMA.names]
    arrow = pa.Table.from_pandas(ordered, schema=SCHEMA, preserve_index=False)
    path = output_dir / OUTPUT_FILE
    pq.write_table(arrow, path, compression="snappy")
    return path
