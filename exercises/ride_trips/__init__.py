"""ride-trips: trip records of a ride-hailing marketplace -> daily driver features."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from faultline.exercises.ride_trips.faults import FAULTS
from faultline.exercises.ride_trips.generator import generate, hidden_knobs
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
OUTPUT_FILE = "features.parquet"
# Money columns of the output and their minor unit (graders compare to half of it).
def money_columns(spec: Any) -> dict[str, float]:
    return {"earnings": 0.01}


DEFAULT_KNOBS: dict[str, Any] = {
    "dst_season": "spring",
    "v2_from_day": 7,
    "late_share": 0.05,
    "max_late_days": 4,
    "zone_null_share": 0.03,
    "correction_share": 0.03,
    "orphan_share": 0.02,
    # Only hidden datasets set it (see generator.hidden_knobs).
    "correction_longer_share": 0.0,
}

__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "draw_spec", "generate", "hidden_knobs", "money_columns", "spec_from_json"]
