"""The raw export's column contracts: trip records of both upstream versions, dimensions.

The trips service writes two record layouts. Version 1 carries the fare in minor units
(``fare_cents``); version 2 carries it in currency units (``fare_amount``) and adds the
vehicle class. Everything the pipeline reads from a record is declared here once, so
that ingest, validation and the quality report agree on names, types and nullability.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd
import pyarrow as pa


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a raw file: its Arrow type, whether it may be empty, what it holds."""

    name: str
    type: pa.DataType
    nullable: bool
    doc: str


UTC_MS = pa.timestamp("ms", tz="UTC")

COMMON = (
    Column("trip_id", pa.string(), False, "the trip, stable across deliveries and corrections"),
    Column("driver_id", pa.string(), True, "empty for the QA team's test rides"),
    Column("city", pa.string(), False, "a city of cities.csv"),
    Column("status", pa.string(), True, "completed or cancelled; empty while it has not arrived"),
    Column("pickup_zone", pa.string(), True, "a zone of zones.csv; empty without a GPS fix"),
    Column("pickup_ts", UTC_MS, False, "pickup instant"),
    Column("dropoff_ts", UTC_MS, True, "dropoff instant of a completed trip"),
    Column("distance", pa.float64(), True, "in the city's distance unit (cities.csv)"),
    Column("updated_at", UTC_MS, False, "when the trips service last wrote the record"),
)
V1_FARE = Column("fare_cents", pa.int64(), True, "fare in minor units of the city's currency")
V2_FARE = Column("fare_amount", pa.float64(), True, "fare in currency units")
V2_EXTRA = (Column("vehicle_class", pa.string(), True, "standard, xl or comfort"),)

CITY_DTYPES = {"city": "str", "timezone": "str", "distance_unit": "str"}
ZONE_DTYPES = {"zone_id": "str", "city": "str", "is_airport": "int64"}
# valid_from is an ISO date, parsed by the register's reader.
VEHICLE_DTYPES = {"driver_id": "str", "tier": "str", "valid_from": "str"}


def layout(version: int) -> tuple[Column, ...]:
    """The columns a file of the given upstream version holds, in no particular order."""
    if version == 1:
        return (*COMMON, V1_FARE)
    return (*COMMON, V2_FARE, *V2_EXTRA)


def version_of(schema: pa.Schema) -> int:
    """Which upstream version wrote a file, told by its fare column."""
    names = set(schema.names)
    if V2_FARE.name in names:
        return 2
    if V1_FARE.name in names:
        return 1
    raise ValueError(f"a trip file without a fare column: {sorted(names)}")


def missing_columns(schema: pa.Schema) -> list[str]:
    """Columns its version's layout requires that a file lacks."""
    present = set(schema.names)
    return [c.name for c in layout(version_of(schema)) if c.name not in present]


def as_utc(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Timestamps as tz-aware UTC whatever resolution the file was written with."""
    out = {}
    for name in names:
        column = frame[name]
        if not isinstance(column.dtype, pd.DatetimeTZDtype):
            column = pd.to_datetime(column, utc=True)
        elif str(column.dt.tz) != "UTC":
            column = column.dt.tz_convert("UTC")
        out[name] = column
    return frame.assign(**out)


TIMESTAMPS = [c.name for c in COMMON if c.type == UTC_MS]
