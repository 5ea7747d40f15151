"""The feature registry: every published column, what it is computed from, and its type.

Two tables drive the job. ``AGGREGATES`` are the per-(driver, day) reductions of the
trip-level columns that ``features`` prepares; ``PUBLISHED`` is the output contract, in
order, with each column's Arrow type and kind. Adding a feature means a line in each
(and the README's data dictionary), not a new code path.
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa

from pipeline.config import (
    ACTIVE_HOURS,
    DURATION_PCT,
    FARE_PER_DISTANCE,
    MEAN_SPEED,
    SHARE_LONG,
    TOTAL_DISTANCE,
)


@dataclasses.dataclass(frozen=True)
class Aggregate:
    """One reduction over a driver-day's trips: ``how`` is a pandas aggregation name."""

    name: str
    source: str
    how: str


@dataclasses.dataclass(frozen=True)
class Published:
    """One column of features.parquet."""

    name: str
    type: pa.DataType
    kind: str  # "key", "label", "count", "hour", "measure", "money", "share"


# Intermediate names (first_pickup, last_dropoff, booked_hours, speed_x_hours, *_km) are
# turned into published ones by features.finish_day_table.
AGGREGATES = (
    Aggregate("city", "city", "first"),
    Aggregate("n_trips", "trip_id", "size"),
    Aggregate("n_zones", "pickup_zone", "nunique"),
    Aggregate("first_pickup_hour", "clock", "min"),
    Aggregate("mean_pickup_hour", "clock", "mean"),
    Aggregate("first_pickup", "pickup_ts", "min"),
    Aggregate("last_dropoff", "dropoff_ts", "max"),
    Aggregate("booked_hours", "hours", "sum"),
    Aggregate("mean_duration_min", "duration_min", "mean"),
    Aggregate("total_distance_km", "distance_km", "sum"),
    Aggregate("mean_speed_kmh", "speed_kmh", "mean"),
    Aggregate("speed_x_hours", "speed_x_hours", "sum"),
    Aggregate("earnings", "net_fare", "sum"),
    Aggregate("share_long", "is_long", "mean"),
    Aggregate("share_airport_pickups", "is_airport", "mean"),
)

PUBLISHED = (
    Published("driver_id", pa.string(), "key"),
    Published("date", pa.date32(), "key"),
    Published("city", pa.string(), "label"),
    Published("n_trips", pa.int64(), "count"),
    Published("n_cancelled", pa.int64(), "count"),
    Published("n_zones", pa.int64(), "count"),
    Published("first_pickup_hour", pa.int64(), "hour"),
    Published("mean_pickup_hour", pa.float64(), "hour"),
    Published(ACTIVE_HOURS, pa.float64(), "measure"),
    Published(DURATION_PCT, pa.float64(), "measure"),
    Published("mean_duration_min", pa.float64(), "measure"),
    Published(TOTAL_DISTANCE, pa.float64(), "measure"),
    Published(MEAN_SPEED, pa.float64(), "measure"),
    Published("earnings", pa.float64(), "money"),
    Published(FARE_PER_DISTANCE, pa.float64(), "money"),
    Published(SHARE_LONG, pa.float64(), "share"),
    Published("share_airport_pickups", pa.float64(), "share"),
)


def named_aggregations() -> dict[str, tuple[str, str]]:
    """``AGGREGATES`` in the form ``DataFrame.groupby(...).agg(**...)`` takes."""
    return {a.name: (a.source, a.how) for a in AGGREGATES}


def arrow_schema() -> pa.Schema:
    return pa.schema([(p.name, p.type) for p in PUBLISHED])


def of_kind(*kinds: str) -> list[str]:
    """Published columns of the given kinds, in contract order."""
    return [p.name for p in PUBLISHED if p.kind in kinds]
