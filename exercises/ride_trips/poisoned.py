"""Poisoned exports of ride-trips: two the contract declares invalid, one unusual but valid."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from faultline.exercises.base import Poison
from faultline.exercises.common.exports import parquet_files, read_csv_text, rewrite_parquet, write_csv
from faultline.exercises.ride_trips.generator import ZONES_PER_CITY
from faultline.exercises.ride_trips.spec import Spec

# Words a refusal message may use to name each problem (any one, case-insensitive). Bare
# values are left out on purpose: a KeyError naming the value is a crash, not a refusal.
UNIT_WORDS = ("distance_unit", "unit")
STATUS_WORDS = ("status",)
# Units an upstream team might switch a city to, with how many of them make a kilometre.
FOREIGN_UNITS = {"m": 1000.0, "nmi": 1 / 1.852, "yd": 1093.613}
# New cities and the existing city whose drivers (and clock, unit and currency) they take.
NEW_CITIES = (
    ("boston", "new_york"), ("manchester", "london"), ("hamburg", "berlin"), ("melbourne", "sydney"),
)
NEW_TIMEZONES = {"boston": "America/New_York", "manchester": "Europe/London",
                 "hamburg": "Europe/Berlin", "melbourne": "Australia/Melbourne"}


def _unknown_unit(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """One city's records switch to a distance unit the contract does not know."""
    cities = read_csv_text(root / "cities.csv")
    city = str(rng.choice(cities.loc[cities["distance_unit"] == "km", "city"].to_list()))
    unit = str(rng.choice(list(FOREIGN_UNITS)))
    cities.loc[cities["city"] == city, "distance_unit"] = unit
    write_csv(cities, root / "cities.csv")

    def change(trips: pd.DataFrame) -> pd.DataFrame:
        here = trips["city"] == city
        return trips.assign(distance=trips["distance"].where(~here, (trips["distance"] * FOREIGN_UNITS[unit]).round(3)))

    for path in parquet_files(root / "trips"):
        rewrite_parquet(path, change)


def _unknown_status(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """The trips service starts marking some completed trips as no-shows."""
    share = float(rng.uniform(0.02, 0.05))
    poisoned = False

    def change(trips: pd.DataFrame) -> pd.DataFrame:
        nonlocal poisoned
        completed = (trips["status"] == "completed").to_numpy()
        hit = completed & (rng.random(len(trips)) < share)
        if not poisoned and completed.any():
            hit[np.flatnonzero(completed)[0]] = True  # never a poisoned export without its poison
        poisoned = poisoned or bool(hit.any())
        return trips.assign(status=trips["status"].mask(hit, "no_show"))

    for path in parquet_files(root / "trips"):
        rewrite_parquet(path, change)


def _new_city(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """The marketplace opens a city the sample never showed, listed in cities.csv with its unit."""
    files = parquet_files(root / "trips")
    # A new city takes drivers from a city that has some in this export.
    served = [(n, s) for n, s in NEW_CITIES if any(_drivers_of(path, s) for path in files)]
    name, source = served[int(rng.integers(len(served)))]
    cities = read_csv_text(root / "cities.csv")
    row = cities.loc[cities["city"] == source].assign(city=name, timezone=NEW_TIMEZONES[name])
    write_csv(pd.concat([cities, row], ignore_index=True), root / "cities.csv")
    zones = read_csv_text(root / "zones.csv")
    prefix, new_prefix = source[:3].upper(), name[:3].upper()
    extra = pd.DataFrame({
        "zone_id": [f"{new_prefix}-{z:02d}" for z in range(ZONES_PER_CITY)],
        "city": name,
        "is_airport": [str(int(z == 0)) for z in range(ZONES_PER_CITY)],
    })
    write_csv(pd.concat([zones, extra], ignore_index=True), root / "zones.csv")
    # Half of the source city's drivers move to the new city, with all their trips.
    drivers = sorted({d for path in files for d in _drivers_of(path, source)})
    movers = set(rng.choice(drivers, size=max(1, len(drivers) // 2), replace=False))

    def change(trips: pd.DataFrame) -> pd.DataFrame:
        moved = trips["driver_id"].isin(movers) & (trips["city"] == source)
        zone = trips["pickup_zone"].str.replace(f"{prefix}-", f"{new_prefix}-", n=1, regex=False)
        return trips.assign(city=trips["city"].mask(moved, name),
                            pickup_zone=trips["pickup_zone"].mask(moved, zone))

    for path in files:
        rewrite_parquet(path, change)


def _drivers_of(path: Path, city: str) -> list[str]:
    trips = pd.read_parquet(path, columns=["driver_id", "city"])
    return [str(d) for d in trips.loc[(trips["city"] == city) & trips["driver_id"].notna(), "driver_id"].unique()]


def poisons() -> tuple[Poison, ...]:
    return (
        Poison("unknown-distance-unit", "invalid",
               "cities.csv gives one city a distance_unit that is neither mi nor km, and its "
               "records use it", UNIT_WORDS, _unknown_unit),
        Poison("unknown-trip-status", "invalid",
               "some trip records carry the status no_show, outside completed, cancelled or empty",
               STATUS_WORDS, _unknown_status),
        Poison("new-city", "valid",
               "a city the sample never showed, listed in cities.csv with its timezone and unit, "
               "takes over half of another city's drivers", (), _new_city),
    )
