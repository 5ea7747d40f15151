"""retail-events: click and purchase events of an online store -> daily user features."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from faultline.exercises.retail_events.faults import FAULTS
from faultline.exercises.retail_events.generator import generate, hidden_knobs
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
OUTPUT_FILE = "features.parquet"
# Money columns of the output and their minor unit (graders compare to half of it); their
# names and units follow the variant's spec (a table in cents has a minor unit of 1).
def money_columns(spec: Any) -> dict[str, float]:
    unit = 1.0 if spec.money_in_cents else 0.01
    return {spec.revenue: unit, spec.avg_order_value: unit}


DEFAULT_KNOBS: dict[str, Any] = {
    "timezone": "America/New_York",
    "id_width": 7,
    "zero_id_share": 0.05,
    "duplicate_product_share": 0.03,
    "cents_platform": "ios",
    "cents_from_day": 7,
    "correction_share": 0.02,
    # Only hidden datasets set it (see generator.hidden_knobs).
    "correction_up_share": 0.0,
}

__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "draw_spec", "generate", "hidden_knobs", "money_columns", "spec_from_json"]
