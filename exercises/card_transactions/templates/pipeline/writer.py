"""Writing the feature table with its published schema."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

OUTPUT_FILE = "features.parquet"
KEY = "transaction_id"

# The published contract: the scoring service and the training jobs read exactly this.
SCHEMA = pa.schema(
    [
        ("transaction_id", pa.string()),
        ("card_id", pa.string()),
        ("event_time", pa.timestamp("ms", tz="UTC")),
        ("local_hour", pa.int64()),
        ("auth_status", pa.string()),
        ("amount_usd", pa.float64()),
        ("mcc", pa.string()),
        ("merchant_country", pa.string()),
        ("is_cross_border", pa.bool_()),
        ("is_high_risk_mcc", pa.bool_()),
        ("txn_count_1h", pa.int64()),
        ("txn_count_24h", pa.int64()),
        ("spend_24h", pa.float64()),
        ("spend_7d", pa.float64()),
        ("decline_share_24h", pa.float64()),
        ("card_mcc_count_7d", pa.int64()),
        ("seconds_since_prev", pa.float64()),
        ("prior_chargebacks", pa.int64()),
        ("is_fraud", pa.bool_()),
    ]
)


def write_features(table: pd.DataFrame, output_dir: Path) -> Path:
    """Write ``features.parquet`` sorted by event time, with exactly the published schema."""
    output_dir.mkdir(parents=True, exist_ok=True)
    ordered = table.sort_values("event_time", kind="stable")[SCHEMA.names]
    arrow = pa.Table.from_pandas(ordered, schema=SCHEMA, preserve_index=False)
    path = output_dir / OUTPUT_FILE
    pq.write_table(arrow, path, compression="snappy")
    return path
