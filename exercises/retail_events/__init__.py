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
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard", "expert")
# Pairs that change some of the same cells on the sample. Users whose ids lose their leading
# zero have no rows at all, which hides every other fault on their rows (their leaked
# tenure, their fanned-out events); a corrected purchase on the cents client carries both
# the x100 and the stale amount in one revenue cell.
# A session under way when the business day turns at the window's edge is cut by the
# day-split and loses its other half to the unread partition.
INTERACTING: tuple[tuple[str, str], ...] = (
    ("leading-zero-ids", "tenure-as-of-run"),
    ("leading-zero-ids", "product-fanout"),
    ("cents-cutover", "stale-correction"),
    ("utc-partition-window", "session-day-split"),
)
# Faults whose sample trace sits on one business day (the night at the window's edge, the
# flash sale's day) or on a small share of rows (visits across the day's start, orders of
# products repriced inside the window).
NARROW: tuple[str, ...] = ("utc-partition-window", "flash-sale-rollup", "session-day-split", "list-price-asof")
# Money columns of the output and their minor unit (graders compare to half of it); their
# names and units follow the variant's spec (a table in cents has a minor unit of 1).
def money_columns(spec: Any) -> dict[str, float]:
    unit = 1.0 if spec.money_in_cents else 0.01
    # The list value of the day's orders is always US dollars with two decimals.
    return {spec.revenue: unit, spec.avg_order_value: unit, "list_value_usd": 0.01}


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
    flash_sale_day: int = 6
    flash_sale_share: float = 0.08
    late_session_share: float = 0.01
    repriced_share: float = 0.06
    # Only hidden datasets set it (see generator.hidden_knobs).
    correction_up_share: float = 0.0


DEFAULT_KNOBS = Knobs()


# The generator needs pandas: imported on first use, so `faultline list` starts without it.
generate = from_generator(f"{__name__}.generator", "generate")
hidden_knobs = from_generator(f"{__name__}.generator", "hidden_knobs")
poisons = from_generator(f"{__name__}.poisoned", "poisons")

__all__ = ["DEFAULT_KNOBS", "DIFFICULTIES", "FAULTS", "ID", "INTERACTING", "Knobs", "KEY_COLUMNS", "NARROW",
           "OUTPUT_FILE", "SUMMARY", "TEMPLATES", "TITLE", "UNITS", "draw_spec", "generate", "hidden_knobs",
           "money_columns", "poisons", "spec_from_json"]
