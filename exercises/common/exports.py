"""Helpers for poisoning a generated export in place: Parquet files keep their own schema."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def rewrite_parquet(path: Path, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Apply ``change`` to the file's rows and write them back in the file's own schema;
    a file left without rows is removed (an export has no empty partitions)."""
    schema = pq.read_schema(path).remove_metadata()
    frame = change(pq.read_table(path).to_pandas())
    if frame.empty:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
        return
    write_parquet(frame, path, schema)


def write_parquet(frame: pd.DataFrame, path: Path, schema: pa.Schema) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    pq.write_table(table, path, compression="snappy")


def read_csv_text(path: Path) -> pd.DataFrame:
    """A CSV of the export with every cell as text, exactly as written ("NA" stays "NA")."""
    return pd.read_csv(path, dtype="str", keep_default_na=False)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def parquet_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.parquet"))
