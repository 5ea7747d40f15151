"""Writing the feature table with its published schema.

The file is written beside its final name and moved into place once complete, so a
reader never sees half a table; short code columns get dictionary pages, and the
export's window goes into the file's metadata for the training jobs' lineage.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.catalog import dictionary_columns, schema
from pipeline.config import Settings

OUTPUT_FILE = "features.parquet"

# The published contract: the scoring service and the training jobs read exactly this.
SCHEMA = schema()
# Rows per row group: the training jobs read the table a few row groups at a time.
ROW_GROUP_ROWS = 500_000


def write_features(table: pd.DataFrame, output_dir: Path, settings: Settings | None = None) -> Path:
    """Write ``features.parquet`` sorted by event time, with exactly the published schema."""
    output_dir.mkdir(parents=True, exist_ok=True)
    ordered = table.sort_values("event_time", kind="stable")[SCHEMA.names]
    arrow = pa.Table.from_pandas(ordered, schema=SCHEMA, preserve_index=False)
    if settings is not None:
        arrow = arrow.replace_schema_metadata(
            {
                **(arrow.schema.metadata or {}),
                b"export.start_date": settings.start_date.isoformat().encode(),
                b"export.end_date": settings.end_date.isoformat().encode(),
                b"export.timezone": settings.timezone.encode(),
            }
        )
    path = output_dir / OUTPUT_FILE
    partial = output_dir / f".{OUTPUT_FILE}.partial"
    pq.write_table(
        arrow,
        partial,
        compression="snappy",
        use_dictionary=dictionary_columns(),
        row_group_size=ROW_GROUP_ROWS,
        write_statistics=True,
    )
    _verify(partial, len(ordered))
    os.replace(partial, path)
    return path


def _verify(path: Path, rows: int) -> None:
    """Read the footer back: the file holds every row under exactly the published schema."""
    written = pq.ParquetFile(path)
    if written.metadata.num_rows != rows:
        raise OSError(f"{path.name}: {written.metadata.num_rows} rows written of {rows}")
    if not written.schema_arrow.remove_metadata().equals(SCHEMA):
        raise OSError(f"{path.name}: the written schema is not the published one")
