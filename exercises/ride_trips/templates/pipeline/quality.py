"""Data-quality bookkeeping of one run: row counts per stage, raw partition profiles, a summary.

Nothing here changes a record. The counts go to the log at INFO (the on-call engineer's
first look when a number moves), the per-partition profiles at DEBUG, and the run summary
to a JSON file when the command line asks for one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline import encoding, partitions, registry
from pipeline.config import PROFILED_COLUMNS, Settings

log = logging.getLogger(__name__)


@dataclasses.dataclass
class StageCounts:
    """Rows left after each stage, in the order the stages ran."""

    stages: list[tuple[str, int]] = dataclasses.field(default_factory=list)

    def record(self, stage: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Note the frame's row count after ``stage``; returns the frame for chaining."""
        rows = len(frame)
        if self.stages:
            before = self.stages[-1][1]
            log.info("%-18s %8d rows (%+d)", stage, rows, rows - before)
        else:
            log.info("%-18s %8d rows", stage, rows)
        self.stages.append((stage, rows))
        return frame

    def as_dict(self) -> dict[str, int]:
        return dict(self.stages)


@dataclasses.dataclass(frozen=True)
class PartProfile:
    """Raw facts of one partition file, before any cleaning."""

    label: str
    version: int
    rows: int
    null_share: dict[str, float]
    statuses: dict[str, int]


def profile_part(part: partitions.Part) -> PartProfile:
    frame = partitions.read_part(part, PROFILED_COLUMNS)
    shares = {c: float(frame[c].isna().mean()) if len(frame) else 0.0 for c in frame.columns}
    statuses = frame["status"].fillna("<empty>").value_counts().sort_index() if "status" in frame else None
    return PartProfile(
        label=part.label,
        version=part.version,
        rows=part.rows,
        null_share=shares,
        statuses={} if statuses is None else {str(k): int(v) for k, v in statuses.items()},
    )


def profile_parts(parts: Sequence[partitions.Part]) -> list[PartProfile]:
    """Profiles of every file read, logged at DEBUG (``--log-level DEBUG`` shows them)."""
    if not log.isEnabledFor(logging.DEBUG):
        return []
    profiles = [profile_part(p) for p in parts]
    for p in profiles:
        nulls = ", ".join(f"{c} {s:.1%}" for c, s in sorted(p.null_share.items()) if s)
        log.debug("%s v%d: %d rows; empty: %s; statuses %s", p.label, p.version, p.rows, nulls or "none", p.statuses)
    return profiles


def unlisted_values(trips: pd.DataFrame, cities: pd.DataFrame, zones: pd.DataFrame) -> dict[str, list[str]]:
    """Cities and pickup zones of the records that their dimension tables do not list.

    An unlisted value is no reason to stop the run (a zone opened today is in tomorrow's
    zones.csv), but it is logged: the zone join cannot tell an airport it does not know.
    """
    found = {
        "city": encoding.cities(cities).unknown(trips["city"]),
        "pickup_zone": encoding.zones(zones).unknown(trips["pickup_zone"]),
    }
    for column, values in found.items():
        if values:
            log.warning("%d %s values are not in the dimension tables: %s", len(values), column, values[:10])
    return found


def null_policy_breaches(table: pd.DataFrame) -> dict[str, int]:
    """Empty cells the registry's null policies do not allow, per published column.

    "never" allows none; "first" allows them only on a driver's first row of the window;
    "undefined" and "unlisted" depend on other sources and are not checked here.
    """
    breaches: dict[str, int] = {}
    if table.empty:
        return breaches
    first_row = ~table.sort_values("date", kind="stable").duplicated("driver_id").reindex(table.index)
    for spec in registry.PUBLISHED:
        if spec.name not in table:
            continue
        empty = table[spec.name].isna()
        if spec.nulls == "never":
            found = int(empty.sum())
        elif spec.nulls == "first":
            found = int((empty & ~first_row).sum() + (~empty & first_row).sum())
        else:
            continue
        if found:
            breaches[spec.name] = found
    for name, cells in breaches.items():
        log.warning("%s: %d cells break the column's null policy", name, cells)
    return breaches


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """What one run read and wrote: the record an orchestrator keeps per night."""

    start_date: dt.date
    end_date: dt.date
    files: int
    stages: dict[str, int]
    output_rows: int
    null_breaches: dict[str, int]
    drivers: int
    cities: dict[str, int]
    seconds: float

    @classmethod
    def of(
        cls, settings: Settings, files: int, counts: StageCounts, table: pd.DataFrame, seconds: float
    ) -> RunSummary:
        per_city = table.groupby("city", sort=True).size() if len(table) else pd.Series(dtype="int64")
        return cls(
            start_date=settings.start_date,
            end_date=settings.end_date,
            files=files,
            stages=counts.as_dict(),
            output_rows=len(table),
            null_breaches=null_policy_breaches(table),
            drivers=int(table["driver_id"].nunique()),
            cities={str(k): int(v) for k, v in per_city.items()},
            seconds=round(seconds, 3),
        )

    def write(self, path: Path) -> None:
        doc = dataclasses.asdict(self)
        doc["start_date"], doc["end_date"] = self.start_date.isoformat(), self.end_date.isoformat()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
