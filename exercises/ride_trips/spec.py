"""The ride-trips feature specification each variant draws for itself.

The unit distances and speeds are reported in, the platform's commission on fares, what
counts as a long trip: each variant publishes its own in the bundle's README and config.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np


@dataclasses.dataclass(frozen=True)
class Spec:
    distance_unit: str  # "km" or "mi": the unit of the published distance columns
    commission_rate: float  # the platform's share of each fare; earnings are the rest
    long_trip_minutes: int

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
    def unit_words(self) -> str:
        return "kilometres" if self.distance_unit == "km" else "statute miles"

    @property
    def commission_percent(self) -> str:
        return f"{self.commission_rate * 100:g}%"


def draw(rng: np.random.Generator) -> Spec:
    return Spec(
        distance_unit=str(rng.choice(("km", "mi"))),
        commission_rate=float(rng.choice((0.15, 0.2, 0.22, 0.25, 0.28, 0.3))),
        long_trip_minutes=int(rng.choice((20, 25, 30, 35, 40, 45, 60))),
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    return Spec(**doc)
