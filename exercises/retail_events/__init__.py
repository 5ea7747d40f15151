"""retail-events: click and purchase events of an online store -> daily user features."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from faultline.exercises.base import Difficulty, Units, from_generator
from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.retail_events.faults import FAULTS
from faultline.exercises.retail_events.spec import draw as draw_spec
from faultline.exercises.retail_events.spec import from_json as spec_from_json

ID = "retail-events"
TITLE = "Retail click events -> daily user features"
SUMMARY = (
    "An online store's click and purchase events, partitioned by UTC date, joined with "
    "users and a product catalogue into one feature row per user and local day."
)
TEMPLATES = Path(__file__).parent / "templates"
KEY_COLUMNS = ("user_id", "date")
# What tickets count: output rows, the entity a row is about, its day.
UNITS = Units(rows="user-days", entity="user_id", entities="users", day="date")
OUTPUT_FILE = "features.parquet"
# `expert` joins once the exercise has its depth (issue 10): six faults, symptom-only tickets.
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
# Money columns of the output and their minor unit (graders compare to half of it); their
# names and units follow the variant's spec (a table in cents has a minor unit of 1).
def money_columns(spec: Any) -> dict[str, float]:
    unit = 1.0 if spec.money_in_cents else 0.01
    return {spec.revenue: unit, spec.avg_order_value: unit}


@dataclasses.dataclass(frozen=True)
class Knobs(BaseKnobs):
    """The data generator's settings; faults change them by name (see base.Knobs)."""

    timezone: str = "America/New_York"
    id_width: int = 7
    zero_id_share: float = 0.05
    duplicate_product_share: float = 0.03
    cents_platform: str = "ios"
    cents_from_day: int = 7
    correction_share: float = 0.02
    # Only hidden datasets set it (see generator.hidden_knobs).
    correction_up_share: float = 0.0


DEFAULT_KNOBS = Knobs()


# The generator needs pandas: imported on first use, so `faultline list` starts without it.
generate = from_generator(f"{__name__}.generator", "generate")
hidden_knobs = from_generator(f"{__name__}.generator", "hidden_knobs")
poisons = from_generator(f"{__name__}.poisoned", "poisons")

__all__ = ["DEFAULT_KNOBS", "DIFFICULTIES", "FAULTS", "ID", "Knobs", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "UNITS", "draw_spec", "generate", "hidden_knobs", "money_columns", "poisons",
           "spec_from_json"]
