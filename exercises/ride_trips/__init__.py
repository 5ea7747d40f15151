"""ride-trips: trip records of a ride-hailing marketplace -> daily driver features."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.base import SampleFacts
from faultline.exercises.ride_trips.faults import FAULTS

ID = "ride-trips"
TITLE = "Ride-hailing trip records -> daily driver features"
SUMMARY = (
    "Trip records of seven cities in several timezones, partitioned by ingest date and "
    "written by two versions of an upstream job, cleaned and joined with the zones "
    "dimension into one feature row per driver and local day."
)
TEMPLATES = Path(__file__).parent / "templates"
KEY_COLUMNS = ("driver_id", "date")
OUTPUT_FILE = "features.parquet"


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


DEFAULT_KNOBS = Knobs()


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any]) -> SampleFacts:
    """Write one raw dataset (see generator.py)."""
    # Imported on first use: the generator needs pandas, `faultline list` must not load it.
    from faultline.exercises.ride_trips.generator import generate as generate_dataset

    return generate_dataset(out, seed=seed, rows=rows, knobs=knobs)


__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "Knobs", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "generate"]
