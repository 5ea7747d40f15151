"""ride-trips: trip records of a ride-hailing marketplace -> daily driver features."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from faultline.exercises.base import Difficulty, Units, from_generator
from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.ride_trips.faults import FAULTS
from faultline.exercises.ride_trips.spec import draw as draw_spec
from faultline.exercises.ride_trips.spec import from_json as spec_from_json

ID = "ride-trips"
TITLE = "Ride-hailing trip records -> daily driver features"
SUMMARY = (
    "Trip records of seven cities in several timezones, partitioned by ingest date and "
    "written by two versions of an upstream job, cleaned and joined with the zones "
    "dimension into one feature row per driver and local day."
)
TEMPLATES = Path(__file__).parent / "templates"
KEY_COLUMNS = ("driver_id", "date")
# What tickets count: output rows, the entity a row is about, its day.
UNITS = Units(rows="driver-days", entity="driver_id", entities="drivers", day="date")
OUTPUT_FILE = "features.parquet"
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard", "expert")
# Pairs whose sample traces share cells: from the v2 cut-over on, the fares read as empty
# hide what the other fault does to a driver-day's earnings (expert draws one pair).
INTERACTING: tuple[tuple[str, str], ...] = (
    ("fare-schema-drift", "uncorrected-trip"),
    ("fare-schema-drift", "late-trip-partitions"),
    ("fare-schema-drift", "unzoned-trip-loss"),
)
# Faults whose sample trace is a narrow slice: late uploads lost from the last partitions,
# the days a driver's vehicle tier changes.
NARROW: tuple[str, ...] = ("late-trip-partitions", "tier-change-day")
# Money columns of the output and their minor unit (graders compare to half of it).
def money_columns(spec: Any) -> dict[str, float]:
    return {"earnings": 0.01}


@dataclasses.dataclass(frozen=True)
class Knobs(BaseKnobs):
    """The data generator's settings; faults change them by name (see base.Knobs)."""

    dst_season: str = "spring"
    v2_from_day: int = 7
    late_share: float = 0.05
    max_late_days: int = 4
    zone_null_share: float = 0.03
    correction_share: float = 0.03
    orphan_share: float = 0.02
    tier_change_share: float = 0.08
    # Only hidden datasets set it (see generator.hidden_knobs).
    correction_longer_share: float = 0.0


DEFAULT_KNOBS = Knobs()


# The generator needs pandas: imported on first use, so `faultline list` starts without it.
generate = from_generator(f"{__name__}.generator", "generate")
hidden_knobs = from_generator(f"{__name__}.generator", "hidden_knobs")
poisons = from_generator(f"{__name__}.poisoned", "poisons")

__all__ = ["DEFAULT_KNOBS", "DIFFICULTIES", "FAULTS", "ID", "INTERACTING", "Knobs", "KEY_COLUMNS", "NARROW",
           "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "UNITS", "draw_spec", "generate", "hidden_knobs", "money_columns", "poisons",
           "spec_from_json"]
