"""Reading a candidate's output safely: a Parquet file, type- and size-checked first."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

MAX_BYTES = 512 * 1024 * 1024
MAX_COLUMNS = 256
MAGIC = b"PAR1"


class BadOutput(Exception):
    """The output cannot be graded; the message says why in one line."""


def read_output(path: Path, *, max_rows: int) -> tuple[pd.DataFrame, pa.Schema]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise BadOutput(f"{path.name} is missing") from None
    if not stat.S_ISREG(info.st_mode):
        raise BadOutput(f"{path.name} is not a regular file")
    if info.st_size > MAX_BYTES:
        raise BadOutput(f"{path.name} is {info.st_size} bytes, over the {MAX_BYTES} limit")
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(info.st_size - 4, 0))
        tail = fh.read(4)
    if head != MAGIC or tail != MAGIC:
        raise BadOutput(f"{path.name} is not a Parquet file")
    try:
        meta = pq.read_metadata(path)
        if meta.num_rows > max_rows:
            raise BadOutput(f"{path.name} has {meta.num_rows} rows, more than {max_rows}")
        if meta.num_columns > MAX_COLUMNS:
            raise BadOutput(f"{path.name} has {meta.num_columns} columns")
        table = pq.read_table(path)
        schema = table.schema.remove_metadata()
        # Plain columns only: pandas metadata in the file is ignored, not trusted.
        frame = table.replace_schema_metadata(None).to_pandas()
    except BadOutput:
        raise
    except Exception as exc:  # any reader failure is the output's fault
        raise BadOutput(f"{path.name} cannot be read as Parquet: {type(exc).__name__}") from None
    return frame, schema
