"""Ingest-date partitions of the trips export: what is there, and reading it in chunks.

The trips service writes one folder per UTC ingest date (``ingest_date=YYYY-MM-DD``),
each with one or more Parquet parts. A nightly run reads a few hundred thousand records,
so files are read row group by row group, and only the columns the features use.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schema
from pipeline.config import BATCH_ROWS

log = logging.getLogger(__name__)

PREFIX = "ingest_date="


@dataclasses.dataclass(frozen=True)
class Part:
    """One Parquet file of one ingest-date partition, as its footer describes it."""

    path: Path
    ingest_date: dt.date
    rows: int
    row_groups: int
    version: int  # the upstream job's record layout (schema.layout)

    @property
    def label(self) -> str:
        return f"{PREFIX}{self.ingest_date.isoformat()}/{self.path.name}"


def ingest_date(folder: Path) -> dt.date:
    """The date a partition folder is named after."""
    name = folder.name
    if not name.startswith(PREFIX):
        raise ValueError(f"not an ingest-date partition: {folder}")
    return dt.date.fromisoformat(name[len(PREFIX):])


def describe(path: Path) -> Part:
    """Read one file's footer: rows, row groups and the layout that wrote it."""
    meta = pq.ParquetFile(path)
    return Part(
        path=path,
        ingest_date=ingest_date(path.parent),
        rows=meta.metadata.num_rows,
        row_groups=meta.metadata.num_row_groups,
        version=schema.version_of(meta.schema_arrow),
    )


def inventory(paths: Sequence[Path]) -> list[Part]:
    """Footers of the files to read, oldest partition first; logs the layouts seen."""
    parts = sorted((describe(p) for p in paths), key=lambda p: (p.ingest_date, p.path.name))
    by_version: dict[int, int] = {}
    for part in parts:
        by_version[part.version] = by_version.get(part.version, 0) + part.rows
    for version, rows in sorted(by_version.items()):
        log.info("%d records in layout v%d", rows, version)
    for part in parts:
        missing = schema.missing_columns(pq.read_schema(part.path))
        if missing:
            raise ValueError(f"{part.label}: columns {missing} are missing")
    return parts


def iter_batches(part: Part, columns: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """The file's records in batches of at most BATCH_ROWS, only the named columns."""
    reader = pq.ParquetFile(part.path)
    present = [c for c in columns if c in reader.schema_arrow.names]
    yield from reader.iter_batches(batch_size=BATCH_ROWS, columns=present)


def read_part(part: Part, columns: Sequence[str]) -> pd.DataFrame:
    """One file as a data frame with its own schema, assembled from its batches."""
    batches = list(iter_batches(part, columns))
    if not batches:
        empty = pq.read_schema(part.path)
        names = [c for c in columns if c in empty.names]
        return pa.Table.from_batches([], schema=pa.schema([empty.field(n) for n in names])).to_pandas()
    return pa.Table.from_batches(batches).to_pandas()
