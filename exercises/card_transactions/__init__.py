"""card-transactions: a card issuer's authorisation feed -> point-in-time fraud features."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from faultline.exercises.base import Difficulty, Units, from_generator
from faultline.exercises.base import Knobs as BaseKnobs
from faultline.exercises.card_transactions.faults import FAULTS
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
# What tickets count: output rows, the entity a row is about, its day.
UNITS = Units(rows="attempts", entity="card_id", entities="cards", day="event_time")
OUTPUT_FILE = "features.parquet"
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard", "expert")
# Expert draws (harness.variant): pairs that change some of the same cells on the sample.
# Timed-out attempts counted as spend inflate the trailing spend of the very cards whose
# foreign-currency orders the wrong exponent shrinks (or inflates): in a card's window the
# two errors add up or cancel, so a spend total reconciles by accident or not at all.
INTERACTING: tuple[tuple[str, str], ...] = (("null-status-spend", "currency-exponent"),)
# Faults whose trace on the sample is one narrow slice: the attempts at Namibian merchants
# (one country, small merchants; within 2% of the attempts).
# The amount z-score of attempts whose card's month holds one repeated approved amount
# (subscribers with little else): a fraction of a per cent of the attempts.
NARROW: tuple[str, ...] = ("na-country-token", "zscore-flat-history")
# Money columns of the output and their minor unit (graders compare to half of it); their
# names follow the variant's spec. Every reporting currency has two decimals.
def money_columns(spec: Any) -> dict[str, float]:
    return {spec.amount: 0.01, spec.spend_short: 0.01, spec.spend_long: 0.01,
            **{column: 0.01 for column in spec.group_spend}}


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
    # Only hidden datasets set these (see generator.hidden_knobs).
    extra_foreign_currencies: list[str] = dataclasses.field(default_factory=list)
    empty_country_share: float = 0.0


DEFAULT_KNOBS = Knobs()


# The generator needs pandas: imported on first use, so `faultline list` starts without it.
generate = from_generator(f"{__name__}.generator", "generate")
hidden_knobs = from_generator(f"{__name__}.generator", "hidden_knobs")
poisons = from_generator(f"{__name__}.poisoned", "poisons")

__all__ = ["DEFAULT_KNOBS", "DIFFICULTIES", "FAULTS", "ID", "INTERACTING", "KEY_COLUMNS", "Knobs", "NARROW",
           "OUTPUT_FILE", "SUMMARY", "TEMPLATES", "TITLE", "UNITS", "draw_spec", "generate", "hidden_knobs",
           "money_columns", "poisons", "spec_from_json"]
