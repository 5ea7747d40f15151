"""card-transactions: a card issuer's authorisation feed -> point-in-time fraud features."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from faultline.exercises.card_transactions.faults import FAULTS
from faultline.exercises.card_transactions.generator import generate

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
# Money columns of the output and their minor unit (graders compare to half of it).
MONEY_COLUMNS: dict[str, float] = {"amount_usd": 0.01, "spend_24h": 0.01, "spend_7d": 0.01}
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

__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "KEY_COLUMNS", "MONEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "generate"]
