"""Follow-up questions for the debrief, per fault of ride-trips.

Each function takes the fault's drawn parameters and asks about noticing, monitoring, blast
radius and backfill, and the test that now guards the fault, in this variant's own terms.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from faultline.exercises.base import Params


def _fare_schema_drift(p: Params, spec: Any) -> list[str]:
    day = int(p["v2_from_day"])
    return [
        f"From ingest day {day} the upstream job wrote fare_amount instead of fare_cents, and the reader "
        "kept the first file's schema. How would you have learned of the upstream change before the "
        "features broke?",
        "Earnings went to zero while trip counts looked normal. Which monitor on fare nulls or earnings "
        "per trip would have fired on the first bad partition?",
        f"Every partition from day {day} on lost its fares. How would you find all affected runs and "
        "backfill them?",
        "Should a partition with an unexpected schema be read, normalised or refused? Which test now "
        "guards a mix of v1 and v2 files?",
    ]


def _dst_fixed_offset(p: Params, spec: Any) -> list[str]:
    season = "spring" if p["dst_season"] == "spring" else "autumn"
    return [
        f"A fixed UTC offset was used across the {season} clock change. How would you have noticed an "
        "hour's shift that only appears on one side of the change?",
        "Which check would catch it: hourly trip profiles per city compared week over week, trips that "
        "move to another local date near midnight?",
        "Every window that spans a clock change is affected. Which past windows are they, and how would "
        "you backfill first_pickup_hour and mean_pickup_hour?",
        "What test now guards it: a trip just after the change in a city that changes, with its expected "
        "local hour and date? Would it also pass for a city without daylight saving time?",
    ]


def _late_trip_partitions(p: Params, spec: Any) -> list[str]:
    grace, late = int(p["grace_days"]), int(p["max_late_days"])
    share = float(p["late_share"])
    return [
        f"Trips arrive up to {late} days late (about {share:.1%} of them), but only {grace} day(s) of "
        "grace were read. How would you have measured the lateness distribution in the first place?",
        "Which monitor compares the trips we counted for a day with what the trips service holds a week "
        "later, and what gap would you alert on?",
        f"Re-running did not help, because late partitions beyond {grace} day(s) were never read. How "
        "would you backfill the last days of every past window?",
        "What test now guards it: a trip uploaded well after the window still counts? And what is the "
        "cost of reading more partitions on every run?",
    ]


def _miles_as_km(p: Params, spec: Any) -> list[str]:
    form = str(p["form"])
    cause = {
        "inverted": "miles were divided by the km-per-mile factor instead of multiplied",
        "literal": "'miles' was compared with cities.csv's 'mi', so no city was converted",
        "speed-raw": "speed used the raw distance instead of distance_km",
    }.get(form, form)
    return [
        f"Here {cause}. How would you have noticed distances off by a constant factor in some markets only?",
        "Which monitor compares speeds or distances per city with telematics or a map service, and how "
        "would it tell a unit error from a traffic change?",
        "Which models (ETA, pricing) trained on the wrong distances, and how far back would you backfill?",
        "What test now guards it: every unit in cities.csv is known, and an unknown unit stops the run "
        "rather than being read as kilometres?",
    ]


def _unzoned_trip_loss(p: Params, spec: Any) -> list[str]:
    share = float(p["zone_null_share"])
    how = "dropna" if p["form"] == "dropna" else "an inner join with the zones"
    return [
        f"About {share:.1%} of trips have no pickup zone and were dropped ({how}). How would you have "
        "noticed a small, steady row loss?",
        "Which reconciliation against the payouts system, per city and day, would have fired, and at what "
        "tolerance?",
        "Which drivers' features and which models were affected, and since when? How would you backfill?",
        "What test now guards it: a trip without a pickup zone still counts, with is_airport False? Which "
        "columns are truly required?",
    ]


def _uncorrected_trip(p: Params, spec: Any) -> list[str]:
    share = float(p["correction_share"])
    return [
        f"About {share:.1%} of trips are corrected by support with an earlier dropoff. Row counts match: "
        "how would you have noticed that the original record was kept?",
        "Which monitor would catch duration labels that run long in one direction only?",
        "Corrections can arrive after a window was processed. How far back should each run look, and how "
        "would you repair past windows?",
        "What test now guards it: two records of one trip_id with different updated_at, in either file "
        "order, and the later one wins?",
    ]


def _unknown_status_trips(p: Params, spec: Any) -> list[str]:
    share = float(p["orphan_share"])
    return [
        f"About {share:.1%} of records have no status, and the not-cancelled filter counted them as "
        "completed trips. How would you have noticed, given that earnings still matched?",
        "Which data-quality monitor on status values (nulls, values outside the contract) would fire, "
        "and should the run fail or drop them with a count in the log?",
        "Which features and labels included these phantom trips, and how would you backfill?",
        "What test now guards it: a record with a missing status is not a completed trip? What about a "
        "status value nobody has seen before?",
    ]


def _tier_change_day(p: Params, spec: Any) -> list[str]:
    share = float(p["tier_change_share"])
    return [
        f"About {share:.0%} of drivers change vehicle tier in a window, and only the day the change "
        "takes effect was wrong. Which reading of the data dictionary told you that valid_from is "
        "inclusive, and where would you have written it down next to the lookup?",
        "A label that is wrong on one day in a few hundred slips past every aggregate monitor. Which "
        "check would catch it: each driver-day's tier against the register row in force that day?",
        "Pricing billed those rides at the old class. Which past windows and which downstream tables "
        "would a backfill have to touch?",
        "What test now guards it: a register row whose valid_from is exactly the operating day, and "
        "one scheduled after the window?",
    ]


FOLLOWUPS: Mapping[str, Callable[[Params, Any], list[str]]] = {
    "fare-schema-drift": _fare_schema_drift,
    "dst-fixed-offset": _dst_fixed_offset,
    "late-trip-partitions": _late_trip_partitions,
    "miles-as-km": _miles_as_km,
    "unzoned-trip-loss": _unzoned_trip_loss,
    "uncorrected-trip": _uncorrected_trip,
    "unknown-status-trips": _unknown_status_trips,
    "tier-change-day": _tier_change_day,
}
