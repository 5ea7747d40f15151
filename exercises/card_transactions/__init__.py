"""card-transactions: a card issuer's authorisation feed -> point-in-time fraud features."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from faultline.exercises.card_transactions.faults import FAULTS
from faultline.exercises.card_transactions.generator import generate, hidden_knobs
from faultline.exercises.card_transactions.spec import draw as draw_spec
from faultline.exercises.card_transactions.spec import from_json as spec_from_json

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
# Money columns of the output and their minor unit (graders compare to half of it); their
# names follow the variant's spec. Every reporting currency has two decimals.
def money_columns(spec: Any) -> dict[str, float]:
    return {spec.amount: 0.01, spec.spend_short: 0.01, spec.spend_long: 0.01}


DEFAULT_KNOBS: dict[str, Any] = {
    "recurring_card_share": 0.06,
    "foreign_currency": "JPY",
    "foreign_share": 0.04,
    "null_status_share": 0.03,
    "null_mcc_share": 0.05,
    "namibia_share": 0.03,
    "reclassified_share": 0.06,
    "report_lag_days": 3.0,
    # Only hidden datasets set these (see generator.hidden_knobs).
    "extra_foreign_currencies": [],
    "empty_country_share": 0.0,
}

__all__ = ["DEFAULT_KNOBS", "FAULTS", "ID", "KEY_COLUMNS", "OUTPUT_FILE", "SUMMARY",
           "TEMPLATES", "TITLE", "draw_spec", "generate", "hidden_knobs", "money_columns", "spec_from_json"]
