"""Raw data for ride-trips: trip records of a ride-hailing marketplace in seven cities.

One dataset is a pure function of (seed, rows, knobs): every draw comes from one numpy
generator. The export looks like what a trips service hands to analytics:

- ``trips/ingest_date=YYYY-MM-DD/part-00000.parquet``: trip records partitioned by the
  UTC date they reached the warehouse. Partitions from the job's cut-over day on were
  written by version 2 of the upstream job, which publishes the fare in currency units
  (``fare_amount``) instead of minor units (``fare_cents``) and adds ``vehicle_class``.
- ``cities.csv``: timezone, standard UTC offset, distance unit and currency per city.
- ``zones.csv``: pickup zones and which of them are airports.
- ``vehicles.csv``: the vehicle register, each driver's vehicle tier from a date on
  (upgrades and downgrades take effect on a given operating day, some after the window).
- ``manifest.json``: the reporting window, in each city's local calendar.

The window always contains a daylight-saving change for at least one city.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from faultline.exercises.base import SampleFacts
from faultline.exercises.ride_trips.spec import Spec

DAYS = 14
KM_PER_MILE = 1.609344
ZONES_PER_CITY = 24
YEARS = (2025, 2026, 2027)
SEASON_MONTHS = {"spring": (3, 4), "autumn": (10, 11)}
TIERS = ("standard", "comfort", "xl")
TIER_SHARES = (0.74, 0.18, 0.08)


@dataclasses.dataclass(frozen=True)
class City:
    name: str
    timezone: str
    unit: str  # how the city's trip records state distances
    currency: str
    weight: float  # share of the marketplace's drivers
    speed_kmh: float  # typical door-to-door speed off-peak
    base_fare: float
    per_km: float
    per_minute: float


CITIES = (
    City("new_york", "America/New_York", "mi", "USD", 0.21, 17.0, 3.00, 1.25, 0.55),
    City("chicago", "America/Chicago", "mi", "USD", 0.13, 24.0, 2.50, 1.10, 0.35),
    City("london", "Europe/London", "mi", "GBP", 0.17, 19.0, 2.50, 1.30, 0.30),
    City("berlin", "Europe/Berlin", "km", "EUR", 0.12, 25.0, 3.50, 2.00, 0.30),
    City("sao_paulo", "America/Sao_Paulo", "km", "BRL", 0.14, 21.0, 5.00, 2.20, 0.40),
    City("singapore", "Asia/Singapore", "km", "SGD", 0.11, 31.0, 3.50, 0.80, 0.25),
    City("sydney", "Australia/Sydney", "km", "AUD", 0.12, 29.0, 3.60, 2.20, 0.60),
)
RUSH_HOURS = (7, 8, 9, 16, 17, 18, 19)
# When drivers start their shifts, by local hour.
SHIFT_STARTS = np.array(
    [0.0, 0.0, 0.0, 0.0, 0.2, 1.0, 3.0, 4.0, 3.0, 2.5, 2.0, 2.0,
     2.0, 1.5, 1.5, 2.5, 3.0, 3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0]
)
# Record-level incidents, drawn per driver-day (see _incidents).
NONE, ORPHAN, NO_ZONE, LATE, CORRECTED = range(5)
INCIDENT_ROW_SHARE = (0.28, 0.18, 0.18, 0.18, 0.18)

V1_SCHEMA = pa.schema(
    [
        ("trip_id", pa.string()),
        ("driver_id", pa.string()),
        ("city", pa.string()),
        ("status", pa.string()),
        ("pickup_zone", pa.string()),
        ("pickup_ts", pa.timestamp("ms", tz="UTC")),
        ("dropoff_ts", pa.timestamp("ms", tz="UTC")),
        ("distance", pa.float64()),
        ("fare_cents", pa.int64()),
        ("updated_at", pa.timestamp("ms", tz="UTC")),
    ]
)
V2_SCHEMA = pa.schema(
    [
        ("trip_id", pa.string()),
        ("driver_id", pa.string()),
        ("city", pa.string()),
        ("status", pa.string()),
        ("pickup_zone", pa.string()),
        ("pickup_ts", pa.timestamp("ms", tz="UTC")),
        ("dropoff_ts", pa.timestamp("ms", tz="UTC")),
        ("distance", pa.float64()),
        ("fare_amount", pa.float64()),
        ("vehicle_class", pa.string()),
        ("updated_at", pa.timestamp("ms", tz="UTC")),
    ]
)


def dst_changes(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int]]:
    """(city, local date, +1 or -1 hours) of every clock change between start and end."""
    changes = []
    for city in CITIES:
        tz = zoneinfo.ZoneInfo(city.timezone)
        day = start
        while day <= end:
            before = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), tz).utcoffset()
            after = dt.datetime.combine(day, dt.time(12), tz).utcoffset()
            if before != after and before is not None and after is not None:
                changes.append((city.name, day, 1 if after > before else -1))
            day += dt.timedelta(days=1)
    return changes


def _season_changes(season: str) -> list[dt.date]:
    months = SEASON_MONTHS[season]
    found: set[dt.date] = set()
    for year in YEARS:
        first = dt.date(year, months[0], 1)
        last = dt.date(year, months[1] + 1, 1) - dt.timedelta(days=1)
        found.update(day for _, day, _ in dst_changes(first, last))
    return sorted(found)


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any], spec: Spec) -> SampleFacts:
    rng = np.random.default_rng(seed)
    changes = _season_changes(str(knobs["dst_season"]))
    change = changes[int(rng.integers(0, len(changes)))]
    start = change - dt.timedelta(days=int(rng.integers(2, DAYS - 2)))
    end = start + dt.timedelta(days=DAYS - 1)
    out.mkdir(parents=True, exist_ok=True)

    drivers = _drivers(rng, rows)
    trips = _trips(rng, rows, start, drivers, knobs, spec.day_start_hour)
    trips = pd.concat([trips, _corrections(rng, trips, knobs)], ignore_index=True)

    _write_partitions(trips, out / "trips", start + dt.timedelta(days=int(knobs["v2_from_day"])))
    _write_csv(_cities_table(start), out / "cities.csv")
    _write_csv(_zones_table(), out / "zones.csv")
    # The register has a stream of its own: the trips of a seed stay what they were.
    register_rng = np.random.default_rng([seed, 1])
    _write_csv(_vehicles_table(register_rng, drivers, start, knobs), out / "vehicles.csv")
    manifest = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return SampleFacts(start_date=start, end_date=end, timezone="per city, see cities.csv", spec=spec)


def _drivers(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    n = max(40, rows // 90)
    weights = np.array([c.weight for c in CITIES])
    ids = rng.choice(900_000, size=n, replace=False) + 100_000
    return pd.DataFrame(
        {
            "driver_id": [f"drv-{i}" for i in ids],
            "city": rng.choice(len(CITIES), size=n, p=weights / weights.sum()),
            # Full-timers drive most days, part-timers a few days a week.
            "p_active": rng.uniform(0.35, 0.95, size=n),
            "trips_per_hour": rng.uniform(0.8, 2.2, size=n),
            # Each driver has a habitual shift: commuter mornings, days, evenings, nights.
            "shift_start": rng.choice(24, size=n, p=SHIFT_STARTS / SHIFT_STARTS.sum()),
            "shift_hours": rng.uniform(3.5, 10.0, size=n),
        }
    )


def _local_midnights(start: dt.date, days: int) -> np.ndarray:
    """UTC instants of local midnight: one row per city, one column per day."""
    first = pd.Timestamp(start)
    grid = np.empty((len(CITIES), days), dtype="datetime64[ms]")
    for i, city in enumerate(CITIES):
        local = pd.date_range(first, periods=days, freq="D").tz_localize(city.timezone)
        grid[i] = local.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[ms]")
    return grid


def _local_clock(pickup: np.ndarray, city: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The true local date (days since the epoch) and hour of each UTC pickup."""
    utc = pd.DatetimeIndex(pickup).tz_localize("UTC")
    day = np.empty(len(pickup), dtype=np.int64)
    hour = np.empty(len(pickup), dtype=np.int64)
    for i, c in enumerate(CITIES):
        here = np.flatnonzero(city == i)
        local = utc[here].tz_convert(c.timezone).tz_localize(None)
        day[here] = local.to_numpy().astype("datetime64[D]").astype(np.int64)
        hour[here] = local.hour
    return day, hour


def _trips(
    rng: np.random.Generator,
    rows: int,
    start: dt.date,
    drivers: pd.DataFrame,
    knobs: Mapping[str, Any],
    day_start: int,
) -> pd.DataFrame:
    # Shifts of the day before and after the window are in the export too.
    days = DAYS + 2
    first = start - dt.timedelta(days=1)
    weekday = np.array([(first + dt.timedelta(days=d)).weekday() for d in range(days)])
    busy = np.where(weekday >= 4, 1.15, 1.0) * rng.uniform(0.9, 1.1, size=days)
    p_active = drivers["p_active"].to_numpy()[:, None] * busy / busy.max()
    active = rng.random((len(drivers), days)) < p_active
    shift_driver, shift_day = np.nonzero(active)
    n_shifts = len(shift_driver)
    shift_start = np.clip(
        drivers["shift_start"].to_numpy()[shift_driver] * 3600.0 + rng.normal(0, 2400, size=n_shifts),
        0, 23.5 * 3600,
    )
    shift_len = drivers["shift_hours"].to_numpy()[shift_driver] * 3600.0
    shift_len = shift_len * rng.uniform(0.7, 1.2, size=n_shifts)
    weight = shift_len * drivers["trips_per_hour"].to_numpy()[shift_driver]
    # Exactly `rows` trips, spread over the shifts by their length and the driver's pace.
    shift = np.repeat(np.arange(n_shifts), rng.multinomial(rows, weight / weight.sum()))
    driver, city = shift_driver[shift], drivers["city"].to_numpy()[shift_driver[shift]]
    second = np.round(shift_start[shift] + rng.random(rows) * shift_len[shift]).astype(np.int64)
    pickup = _local_midnights(first, days)[city, shift_day[shift]] + second.astype("timedelta64[s]")
    order = np.lexsort((pickup, driver))
    driver, city, pickup = driver[order], city[order], pickup[order]
    local_day, hour = _local_clock(pickup, city)

    zone = rng.integers(1, ZONES_PER_CITY, size=rows)
    airport = rng.random(rows) < 0.06
    zone = np.where(airport, 0, zone)
    km = np.clip(rng.lognormal(np.log(5.0), 0.65, size=rows) * np.where(airport, 2.6, 1.0), 0.4, 45.0)
    speeds = np.array([c.speed_kmh for c in CITIES])[city]
    traffic = np.clip(rng.lognormal(0.0, 0.22, size=rows), 0.6, 1.6)
    speed = speeds * np.where(np.isin(hour, RUSH_HOURS), 0.7, 1.0) * traffic
    duration_s = np.round(km / speed * 3600 + rng.integers(40, 240, size=rows)).astype(np.int64)
    surge = np.where(rng.random(rows) < 0.12, rng.choice((1.2, 1.5, 1.8, 2.1), size=rows), 1.0)
    fare = _fare(city, km, duration_s, surge)

    incident = _incidents(rng, driver, local_day, hour, knobs, day_start)
    u = rng.random(rows)
    orphan = incident == ORPHAN
    cancelled = ~orphan & (u >= 0.9) & (u < 0.97)
    done = ~orphan & ~cancelled
    status = np.where(done, "completed", "cancelled").astype(object)
    status[orphan] = None
    units = np.array([c.unit for c in CITIES])[city]
    distance = np.round(np.where(units == "mi", km / KM_PER_MILE, km), 3)
    dropoff = pickup + duration_s.astype("timedelta64[s]")
    # A cancelled trip carries the cancellation fee; a record whose status never arrived
    # carries nothing beyond its pickup.
    fare = np.where(done, fare, np.where(cancelled, 5.0, np.nan))
    updated = np.where(done, dropoff, pickup) + rng.integers(5, 120, size=rows).astype("timedelta64[s]")
    zone_txt = _zone_ids().astype(object)[city, zone]
    zone_txt[incident == NO_ZONE] = None
    driver_id = drivers["driver_id"].to_numpy().astype(object)[driver]
    # Test accounts of the QA team ride without a driver id.
    driver_id[rng.random(rows) < 0.002] = None

    trips = pd.DataFrame(
        {
            "trip_id": [f"trp-{i:011x}" for i in rng.choice(16**11, size=rows, replace=False)],
            "driver_id": pd.array(driver_id, dtype="str"),
            "city": np.array([c.name for c in CITIES])[city],
            "status": pd.array(status, dtype="str"),
            "pickup_zone": pd.array(zone_txt, dtype="str"),
            "pickup_ts": pd.to_datetime(pickup).tz_localize("UTC"),
            "dropoff_ts": pd.to_datetime(np.where(done, dropoff, np.datetime64("NaT"))).tz_localize("UTC"),
            "distance": np.where(done, distance, np.nan),
            "fare": np.round(fare, 2),
            "vehicle_class": rng.choice(("standard", "xl", "comfort"), size=rows, p=(0.8, 0.08, 0.12)),
            "updated_at": pd.to_datetime(updated).tz_localize("UTC"),
        }
    )
    # Most records land within minutes; a driver app that was offline uploads days later.
    lag_s = rng.integers(20, 900, size=rows) + np.where(
        incident == LATE, rng.integers(86_400, int(knobs["max_late_days"]) * 86_400, size=rows), 0
    )
    trips["ingested_at"] = trips["updated_at"] + pd.to_timedelta(lag_s, unit="s")
    trips["corrected"] = (incident == CORRECTED) & done  # not exported
    return trips


def _incidents(
    rng: np.random.Generator,
    driver: np.ndarray,
    local_day: np.ndarray,
    hour: np.ndarray,
    knobs: Mapping[str, Any],
    day_start: int,
) -> np.ndarray:
    """Which trips suffer a record-level incident, and which one.

    Incidents cluster by driver, as they do in life (a phone without GPS fix, an app
    that keeps going offline, a driver who keeps forgetting to end trips), and a driver
    has at most one kind: the trailing windows sum a driver's days, and two kinds of
    incident in one window would make one cell show several faults at once. Driver-days
    with a trip in the hour either side of local midnight have none, so that every
    incident stays on its own driver-day however a pipeline handles timezones: the
    faults' footprints stay apart.
    """
    # Driver-days of the operating day, which begins at the spec's day_start local hour.
    operating_day = local_day - (hour < day_start)
    day_key = driver * 100_000 + operating_day
    # A trip an hour off moves to the neighbouring day: the day it leaves and the day it
    # would land on both stay free of incidents (the shift features are not additive: a
    # moved trip and a lost one together can split a shift that neither splits alone).
    ends, starts = hour == (day_start - 1) % 24, hour == day_start
    near_keys = np.concatenate([day_key[ends | starts], day_key[ends] + 1, day_key[starts] - 1])
    near_midnight = np.isin(day_key, near_keys)
    calm_share = float(np.mean(~near_midnight))
    of_driver = rng.choice(len(INCIDENT_ROW_SHARE), size=int(driver.max()) + 1, p=INCIDENT_ROW_SHARE)
    trip_kind = np.where(near_midnight, NONE, of_driver[driver])
    share = {
        ORPHAN: knobs["orphan_share"], NO_ZONE: knobs["zone_null_share"],
        LATE: knobs["late_share"], CORRECTED: knobs["correction_share"],
    }
    p_trip = np.zeros(len(INCIDENT_ROW_SHARE))
    for k, value in share.items():
        p_trip[k] = min(0.9, float(value) / (INCIDENT_ROW_SHARE[k] * calm_share))
    return np.where(rng.random(len(driver)) < p_trip[trip_kind], trip_kind, NONE)


def _fare(city: np.ndarray, km: np.ndarray, duration_s: np.ndarray, surge: np.ndarray) -> np.ndarray:
    base = np.array([c.base_fare for c in CITIES])[city]
    per_km = np.array([c.per_km for c in CITIES])[city]
    per_min = np.array([c.per_minute for c in CITIES])[city]
    fare: np.ndarray = np.round((base + per_km * km + per_min * duration_s / 60.0) * surge, 2)
    return fare


def _corrections(rng: np.random.Generator, trips: pd.DataFrame, knobs: Mapping[str, Any]) -> pd.DataFrame:
    """Support corrects trips a driver forgot to end (a newer record, a shorter ride) or,
    where the knob allows, ended too early (a longer ride)."""
    fixes = trips.loc[trips["corrected"]].copy()
    n_fix = len(fixes)
    factor = rng.uniform(0.45, 0.85, size=n_fix)
    longer = rng.random(n_fix) < float(knobs.get("correction_longer_share", 0.0))
    factor = np.where(longer, rng.uniform(1.2, 1.8, size=n_fix), factor)
    seconds = (fixes["dropoff_ts"] - fixes["pickup_ts"]).dt.total_seconds().to_numpy()
    fixes["dropoff_ts"] = fixes["pickup_ts"] + pd.to_timedelta(np.round(seconds * factor), unit="s")
    fixes["fare"] = np.round(fixes["fare"].to_numpy() * (0.6 + 0.3 * factor), 2)
    later = rng.integers(3600, 20 * 3600, size=n_fix)
    fixes["updated_at"] = fixes["updated_at"] + pd.to_timedelta(later, unit="s")
    fixes["ingested_at"] = fixes["updated_at"] + pd.to_timedelta(rng.integers(20, 900, size=n_fix), unit="s")
    # At-least-once delivery also re-sends a few records unchanged.
    n_same = int(round(len(trips) * 0.004))
    same = trips.iloc[np.sort(rng.choice(len(trips), size=n_same, replace=False))].copy()
    same["ingested_at"] = same["ingested_at"] + pd.to_timedelta(45, unit="s")
    return pd.concat([fixes, same])


def _cities_table(start: dt.date) -> pd.DataFrame:
    noon = dt.datetime.combine(start, dt.time(12))
    offsets = []
    for c in CITIES:
        local = noon.replace(tzinfo=zoneinfo.ZoneInfo(c.timezone))
        standard = local.utcoffset() - local.dst()  # type: ignore[operator]
        offsets.append(standard.total_seconds() / 3600)
    return pd.DataFrame(
        {
            "city": [c.name for c in CITIES],
            "timezone": [c.timezone for c in CITIES],
            "utc_offset_hours": offsets,
            "distance_unit": [c.unit for c in CITIES],
            "currency": [c.currency for c in CITIES],
        }
    )


def _zone_ids() -> np.ndarray:
    """Zone ids by (city, zone); zone 0 of every city is its airport."""
    return np.array([[f"{c.name[:3].upper()}-{z:02d}" for z in range(ZONES_PER_CITY)] for c in CITIES])


def _zones_table() -> pd.DataFrame:
    ids = _zone_ids()
    return pd.DataFrame(
        {
            "zone_id": ids.ravel(),
            "city": np.repeat([c.name for c in CITIES], ZONES_PER_CITY),
            "is_airport": np.tile((np.arange(ZONES_PER_CITY) == 0).astype(int), len(CITIES)),
        }
    )


def _vehicles_table(
    rng: np.random.Generator, drivers: pd.DataFrame, start: dt.date, knobs: Mapping[str, Any]
) -> pd.DataFrame:
    """Each driver's tier since joining, tier changes inside the window, and a few
    changes the fleet team scheduled for after it."""
    n = len(drivers)
    ids = drivers["driver_id"].to_numpy()
    first = rng.choice(len(TIERS), size=n, p=TIER_SHARES)
    joined = [start - dt.timedelta(days=int(d)) for d in rng.integers(20, 900, size=n)]
    rows = [(d, TIERS[t], j) for d, t, j in zip(ids, first, joined, strict=True)]
    # At least a few changes, whatever the export's size: a change day is a rare event.
    changing = min(n, max(6, round(n * float(knobs["tier_change_share"]))))
    scheduled = max(1, n // 50)
    picked = rng.choice(n, size=min(n, changing + scheduled), replace=False)
    offsets = np.concatenate([
        rng.integers(1, DAYS, size=changing), rng.integers(DAYS, DAYS + 10, size=len(picked) - changing),
    ])[: len(picked)]
    steps = rng.integers(1, len(TIERS), size=len(picked))
    for i, offset, step in zip(picked, offsets, steps, strict=True):
        tier = TIERS[(int(first[i]) + int(step)) % len(TIERS)]
        rows.append((ids[i], tier, start + dt.timedelta(days=int(offset))))
    register = pd.DataFrame(rows, columns=["driver_id", "tier", "valid_from"])
    register["valid_from"] = [d.isoformat() for d in register["valid_from"]]
    # The register's export lists rows in the order the fleet team filed them.
    return register.iloc[rng.permutation(len(register))].reset_index(drop=True)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _write_partitions(trips: pd.DataFrame, root: Path, v2_from: dt.date) -> None:
    trips = trips.sort_values("ingested_at", kind="stable")
    ingest_day = trips["ingested_at"].dt.floor("D")
    for day, part in trips.groupby(ingest_day, sort=True):
        date = day.date()
        folder = root / f"ingest_date={date.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        if date >= v2_from:
            frame, schema = part.rename(columns={"fare": "fare_amount"}), V2_SCHEMA
        else:
            cents = np.round(part["fare"].to_numpy() * 100.0)
            frame = part.assign(fare_cents=pd.array(np.where(np.isnan(cents), None, cents), dtype="Int64"))
            schema = V1_SCHEMA
        table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
        pq.write_table(table, folder / "part-00000.parquet", compression="snappy")


def hidden_knobs(knobs: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """One hidden dataset's knobs: a longer lateness tail than the sample's, another
    clock-change season and v2 cut-over day, fresh shares, and corrections that lengthen
    trips as well as shorten them."""
    return {
        **knobs,
        "dst_season": str(rng.choice(tuple(SEASON_MONTHS))),
        "v2_from_day": int(rng.integers(3, 12)),
        "late_share": round(float(rng.uniform(0.05, 0.09)), 3),
        "max_late_days": int(knobs["max_late_days"]) + int(rng.integers(2, 6)),
        "zone_null_share": round(float(rng.uniform(0.02, 0.05)), 3),
        "correction_share": round(float(rng.uniform(0.02, 0.05)), 3),
        "correction_longer_share": round(float(rng.uniform(0.3, 0.6)), 3),
        "orphan_share": round(float(rng.uniform(0.01, 0.035)), 3),
        "tier_change_share": round(float(rng.uniform(0.06, 0.12)), 3),
    }
