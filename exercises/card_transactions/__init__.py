"""card-transactions: a card issuer's authorisation feed -> point-in-time fraud features."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
DEFAULT_KNOBS: dict[str, Any] = {
    "recurring_card_share": 0.06,
    "foreign_currency": "JPY",
    "foreign_share": 0.04,
    "null_status_share": 0.03,
    "null_mcc_share": 0.05,
    "namibia_share": 0.03,
    "reclassified_share": 0.06,
    "report_lag_days": 3.0,
}


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any]) -> SampleFacts:
    """Write one raw dataset (see generator.py)."""
    # Imported on first use: the generator needs pandas, `faultline list` must not load it.
    from faultline.exercises.card_transactions.generator import generate as generate_dataset

    return generate_dataset(out, seed=seed, rows=rows, knobs=knobs)


__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "generate"]
