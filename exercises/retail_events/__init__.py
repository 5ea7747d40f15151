"""retail-events: click and purchase events of an online store -> daily user features."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.base import SampleFacts
from faultline.exercises.retail_events.faults import FAULTS

ID = "retail-events"
TITLE = "Retail click events -> daily user features"
SUMMARY = (
    "An online store's click and purchase events, partitioned by UTC date, joined with "
    "users and a product catalogue into one feature row per user and local day."
)
TEMPLATES = Path(__file__).parent / "templates"
KEY_COLUMNS = ("user_id", "date")
OUTPUT_FILE = "features.parquet"


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


DEFAULT_KNOBS = Knobs()


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any]) -> SampleFacts:
    """Write one raw dataset (see generator.py)."""
    # Imported on first use: the generator needs pandas, `faultline list` must not load it.
    from faultline.exercises.retail_events.generator import generate as generate_dataset

    return generate_dataset(out, seed=seed, rows=rows, knobs=knobs)


__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "Knobs", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "generate"]
