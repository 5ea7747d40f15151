"""card-transactions: a card issuer's authorisation feed -> point-in-time fraud features."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.base import SampleFacts
from faultline.exercises.card_transactions.faults import FAULTS

ID = "card-transactions"
TITLE = "Card authorisations -> point-in-time fraud features"
SUMMARY = (
    "A card issuer's authorisation feed, joined with a merchant registry and a chargeback "
    "feed into one row per attempt: trailing card activity, merchant category, chargebacks "
    "known before the attempt, and the fraud label."
)
TEMPLATES = Path(__file__).parent / "templates"
KEY_COLUMNS = ("transaction_id",)
OUTPUT_FILE = "features.parquet"


@dataclasses.dataclass(frozen=True)
class Knobs(BaseKnobs):
    """The data generator's settings; faults change them by name (see base.Knobs)."""

    recurring_card_share: float = 0.06
    foreign_currency: str = "JPY"
    foreign_share: float = 0.04
    null_status_share: float = 0.03
    null_mcc_share: float = 0.05
    namibia_share: float = 0.03
    reclassified_share: float = 0.06
    report_lag_days: float = 3.0


DEFAULT_KNOBS = Knobs()


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any]) -> SampleFacts:
    """Write one raw dataset (see generator.py)."""
    # Imported on first use: the generator needs pandas, `faultline list` must not load it.
    from faultline.exercises.card_transactions.generator import generate as generate_dataset

    return generate_dataset(out, seed=seed, rows=rows, knobs=knobs)


__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "Knobs", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "generate"]
