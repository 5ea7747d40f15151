"""The feature registry: every published column, what it is computed from, and its type.

Two tables drive the job. ``AGGREGATES`` are the per-(driver, day) reductions of the
trip-level columns that ``features`` prepares; ``PUBLISHED`` is the output contract, in
order, with each column's Arrow type, kind, family, trailing window and null policy.
Adding a feature means a line in each (and the README's data dictionary), not a new
code path. ``python -m pipeline features`` prints the registry.
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa

from pipeline.config import (
    ACTIVE_DAYS_LONG,
    ACTIVE_HOURS,
    DURATION_PCT,
    EARNINGS_LONG,
    FARE_PER_DISTANCE,
    LONG_WINDOW_DAYS,
    MEAN_SPEED,
    SHARE_LONG,
    SHORT_WINDOW_DAYS,
    TOTAL_DISTANCE,
    TRIPS_LONG,
    TRIPS_SHORT,
)

# Null policies: "never" (always set), "undefined" (empty where the ratio's denominator is
# 0), "first" (empty on the driver's first row of the window), "unlisted" (empty for a
# driver the source does not list).
NULL_POLICIES = ("never", "undefined", "first", "unlisted")


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
    family: str = "day"  # "key", "day", "time", "distance", "money", "shift", "activity", "fleet"
    window: int = 1  # operating days the value covers, the row's own included
    nulls: str = "never"  # one of NULL_POLICIES


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
    Published("driver_id", pa.string(), "key", "key"),
    Published("date", pa.date32(), "key", "key"),
    Published("city", pa.string(), "label"),
    Published("vehicle_tier", pa.string(), "label", "fleet", nulls="unlisted"),
    Published("n_trips", pa.int64(), "count"),
    Published("n_cancelled", pa.int64(), "count"),
    Published("cancel_ratio", pa.float64(), "share"),
    Published("n_zones", pa.int64(), "count"),
    Published("first_pickup_hour", pa.int64(), "hour", "time"),
    Published("mean_pickup_hour", pa.float64(), "hour", "time"),
    Published(ACTIVE_HOURS, pa.float64(), "measure", "time"),
    Published(DURATION_PCT, pa.float64(), "measure", "time"),
    Published("mean_duration_min", pa.float64(), "measure", "time"),
    Published(TOTAL_DISTANCE, pa.float64(), "measure", "distance"),
    Published(MEAN_SPEED, pa.float64(), "measure", "distance", nulls="undefined"),
    Published("earnings", pa.float64(), "money", "money"),
    Published(FARE_PER_DISTANCE, pa.float64(), "money", "money", nulls="undefined"),
    Published(SHARE_LONG, pa.float64(), "share", "time"),
    Published("share_airport_pickups", pa.float64(), "share"),
    Published("n_shifts", pa.int64(), "count", "shift"),
    Published("longest_shift_hours", pa.float64(), "measure", "shift"),
    Published("idle_hours", pa.float64(), "measure", "shift"),
    Published("utilisation", pa.float64(), "measure", "shift", nulls="undefined"),
    Published(TRIPS_SHORT, pa.int64(), "count", "activity", SHORT_WINDOW_DAYS),
    Published(TRIPS_LONG, pa.int64(), "count", "activity", LONG_WINDOW_DAYS),
    Published(EARNINGS_LONG, pa.float64(), "money", "activity", LONG_WINDOW_DAYS),
    Published(ACTIVE_DAYS_LONG, pa.int64(), "count", "activity", LONG_WINDOW_DAYS),
    Published("days_since_prev_active", pa.int64(), "count", "activity", nulls="first"),
)


def named_aggregations() -> dict[str, tuple[str, str]]:
    """``AGGREGATES`` in the form ``DataFrame.groupby(...).agg(**...)`` takes."""
    return {a.name: (a.source, a.how) for a in AGGREGATES}


def arrow_schema() -> pa.Schema:
    return pa.schema([(p.name, p.type) for p in PUBLISHED])


def check() -> list[str]:
    """Declarations the registry itself contradicts (names twice, unknown null policies)."""
    problems = []
    names = [p.name for p in PUBLISHED]
    problems += [f"{n} is published twice" for n in sorted({n for n in names if names.count(n) > 1})]
    problems += [f"{p.name}: null policy {p.nulls!r}" for p in PUBLISHED if p.nulls not in NULL_POLICIES]
    problems += [f"{p.name}: a window of {p.window} days" for p in PUBLISHED if p.window < 1]
    return problems


def nullable() -> list[str]:
    """Published columns that may hold empty cells, by their null policy."""
    return [p.name for p in PUBLISHED if p.nulls != "never"]


def describe() -> list[tuple[str, str, str, str, str]]:
    """The registry as rows: name, Arrow type, family, window, null policy."""
    return [(p.name, str(p.type), p.family, f"{p.window}d", p.nulls) for p in PUBLISHED]


def of_kind(*kinds: str) -> list[str]:
    """Published columns of the given kinds, in contract order."""
    return [p.name for p in PUBLISHED if p.kind in kinds]
