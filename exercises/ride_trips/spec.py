"""The ride-trips feature specification each variant draws for itself.

The unit distances and speeds are reported in, the platform's commission and booking fee,
what counts as a long trip, which duration percentile is published, whether active hours
are the shift's span or its booked time, how a day's speeds are averaged: each variant
publishes its own in the bundle's README and config.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

# Drivers keep 100 - p percent, a multiple of 4: a day's fares in whole cents times that
# share never land on half a cent, so no rounding tie is left to the order a float sum
# took (at 25%, a quarter of the driver-days tied, and a correct fix that read the trips
# in another order rounded some of them apart from the reference).
COMMISSION_RATES = (0.12, 0.16, 0.2, 0.24, 0.28)
LONG_TRIP_MINUTES = (20, 25, 30, 35, 40, 45, 60)
# The platform keeps this much of each completed trip's fare before its commission.
BOOKING_FEES = (0.0, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5)
DURATION_PERCENTILES = (50, 75, 80, 90, 95)
# "span": first pickup to last dropoff; "booked": the trips' durations summed.
ACTIVE_HOURS_RULES = ("span", "booked")
# "trip-mean": every trip's speed counts alike; "time-weighted": weighted by its duration.
SPEED_RULES = ("trip-mean", "time-weighted")
# The operating day starts at this local hour: a night shift's trips after midnight count
# for the evening before.
DAY_START_HOURS = (0, 2, 3, 4, 5)
# Completed trips shorter than this (minutes, pickup to dropoff) are short hops, left out
# of every feature. In minutes, not km: no fault of the catalogue moves a trip across it
# except on its own driver-days (see generator._incidents).
MIN_TRIP_MINUTES = (0, 4, 6, 8, 10)
# A driver idle longer than this (minutes, from a dropoff to the next pickup) has ended a
# shift: the next pickup starts another.
SHIFT_GAP_MINUTES = (20, 30, 40, 45, 60)
# The trailing windows (operating days, the row's own day included) of the activity family.
TRAILING_DAYS = ((3, 7), (2, 7), (3, 5), (4, 7))


@dataclasses.dataclass(frozen=True)
class Spec:
    distance_unit: str  # "km" or "mi": the unit of the published distance columns
    commission_rate: float  # the platform's share of each fare; earnings are the rest
    long_trip_minutes: int
    booking_fee: float  # per completed trip, in the city's currency, kept by the platform
    duration_percentile: int  # p<N>_duration_min
    active_hours_rule: str  # one of ACTIVE_HOURS_RULES
    speed_rule: str  # one of SPEED_RULES
    day_start_hour: int  # the operating day runs from this local hour to the same next day
    min_trip_minutes: int  # shorter completed trips are short hops, left out
    shift_gap_minutes: int = 30  # a longer idle gap ends a shift
    trailing_days: tuple[int, int] = (3, 7)  # the short and the long trailing window

    @property
    def duration_pct(self) -> str:
        return f"p{self.duration_percentile}_duration_min"

    @property
    def active_hours(self) -> str:
        return "active_hours" if self.active_hours_rule == "span" else "booked_hours"

    @property
    def total_distance(self) -> str:
        return f"total_distance_{self.distance_unit}"

    @property
    def mean_speed(self) -> str:
        return "mean_speed_kmh" if self.distance_unit == "km" else "mean_speed_mph"

    @property
    def fare_per_distance(self) -> str:
        return f"fare_per_{self.distance_unit}"

    @property
    def share_long(self) -> str:
        return f"share_trips_over_{self.long_trip_minutes}min"

    @property
    def trips_short(self) -> str:
        return f"n_trips_{self.trailing_days[0]}d"

    @property
    def trips_long(self) -> str:
        return f"n_trips_{self.trailing_days[1]}d"

    @property
    def earnings_long(self) -> str:
        return f"earnings_{self.trailing_days[1]}d"

    @property
    def active_days_long(self) -> str:
        return f"active_days_{self.trailing_days[1]}d"

    @property
    def unit_words(self) -> str:
        return "kilometres" if self.distance_unit == "km" else "statute miles"

    @property
    def commission_percent(self) -> str:
        return f"{self.commission_rate * 100:g}%"


def draw(rng: np.random.Generator) -> Spec:
    return Spec(
        distance_unit=str(rng.choice(("km", "mi"))),
        commission_rate=float(rng.choice(COMMISSION_RATES)),
        long_trip_minutes=int(rng.choice(LONG_TRIP_MINUTES)),
        # Drawn after the fields above, so that a seed keeps their values.
        booking_fee=float(rng.choice(BOOKING_FEES)),
        duration_percentile=int(rng.choice(DURATION_PERCENTILES)),
        active_hours_rule=str(rng.choice(ACTIVE_HOURS_RULES)),
        speed_rule=str(rng.choice(SPEED_RULES)),
        day_start_hour=int(rng.choice(DAY_START_HOURS)),
        min_trip_minutes=int(rng.choice(MIN_TRIP_MINUTES)),
        # Drawn last, so that a seed keeps the fields above.
        shift_gap_minutes=int(rng.choice(SHIFT_GAP_MINUTES)),
        trailing_days=TRAILING_DAYS[int(rng.integers(len(TRAILING_DAYS)))],
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    fields = dict(doc)
    if "trailing_days" in fields:  # a JSON list
        short, long = fields["trailing_days"]
        fields["trailing_days"] = (int(short), int(long))
    return Spec(**fields)
