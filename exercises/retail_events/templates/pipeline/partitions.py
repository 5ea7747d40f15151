"""The export's event partitions: what is there, what is missing, how big each one is.

Upstream writes one folder per UTC date (``date=YYYY-MM-DD``) with one or more Parquet
files; a night with an outage may have no folder at all, a re-run may add files. The
inventory is read from the file footers only, so it is cheap whatever the export's size.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

log = logging.getLogger(__name__)

FOLDER = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")


@dataclasses.dataclass(frozen=True)
class Partition:
    """One UTC date's folder: its files and their row count (from the footers)."""

    date: dt.date
    files: tuple[Path, ...]
    rows: int


def inventory(root: Path) -> dict[dt.date, Partition]:
    """Every partition folder under ``root`` by date; folders of another shape are skipped."""
    found = {}
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        match = FOLDER.match(folder.name)
        if not folder.is_dir() or match is None:
            log.debug("skipping %s: not a date partition", folder.name)
            continue
        files = tuple(sorted(folder.glob("*.parquet")))
        rows = sum(pq.read_metadata(path).num_rows for path in files)
        date = dt.date.fromisoformat(match.group(1))
        found[date] = Partition(date=date, files=files, rows=rows)
    return found


def gaps(dates: Iterable[dt.date], wanted: Iterable[dt.date]) -> list[dt.date]:
    """The dates of ``wanted`` that have no partition among ``dates``."""
    present = set(dates)
    return sorted(d for d in wanted if d not in present)


def describe(partitions: dict[dt.date, Partition]) -> str:
    """One line for the log: how many partitions, files and rows, from when to when."""
    if not partitions:
        return "no partitions"
    files = sum(len(p.files) for p in partitions.values())
    rows = sum(p.rows for p in partitions.values())
    first, last = min(partitions), max(partitions)
    return f"{len(partitions)} partitions ({first}..{last}), {files} files, {rows} rows"
