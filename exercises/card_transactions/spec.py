"""The card-transactions feature specification each variant draws for itself.

Window lengths, the reporting currency, the high-risk category list, the label horizon:
each variant publishes its own in the bundle's README and config, so a solution of one
variant computes another table for the next.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

# Categories the risk team may list as high risk: money transfer, electronics, jewellery,
# direct marketing, quasi-cash, gambling, wire transfers, travel agencies, digital goods.
RISK_POOL = ("4829", "5732", "5944", "5967", "6051", "7995", "4814", "5045", "5999", "5816")
# Reporting currencies and their reference rates (US dollars per unit).
REPORT_CURRENCIES = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.73}
# How the table publishes country codes: card networks use ISO 3166 numeric codes, BI
# tools often alpha-3, the registry alpha-2.
COUNTRY_FORMATS = {"alpha2": "alpha-2 (NA)", "alpha3": "alpha-3 (NAM)", "numeric": "numeric (516)"}

# The merchant-category groups of the attempted-amount split (their codes: the bundle's data dictionary).
MCC_GROUP_NAMES = ("travel", "grocery", "dining", "fuel", "retail", "digital", "cash", "other")
# The card-history windows, in hours: one length per slot (an hour, a day, a week, a month),
# so that every variant publishes its own history columns. distinct_countries skips the first.
HISTORY_SLOTS = ((1, 2, 3), (12, 24, 36), (72, 120, 168), (240, 336, 720))
# Keys made before the history windows were drawn all had these.
CLASSIC_HISTORY = (1, 24, 168, 720)


def _hours(hours: int) -> str:
    return f"{hours // 24}d" if hours % 24 == 0 and hours >= 48 else f"{hours}h"


@dataclasses.dataclass(frozen=True)
class Spec:
    velocity_short_minutes: int
    velocity_long_hours: int
    spend_short_hours: int  # also the period of daily-ish subscriptions in the data
    spend_long_days: int  # also the period of weekly-ish subscriptions
    decline_hours: int
    same_mcc_days: int
    currency: str  # the currency the feature table reports money in
    high_risk_mcc: tuple[str, ...]
    label_horizon_days: int
    country_format: str  # one of COUNTRY_FORMATS
    chargeback_scope: str  # "any" reason, or "fraud" disputes only
    history_hours: tuple[int, ...] = CLASSIC_HISTORY  # one window per HISTORY_SLOTS slot
    group_spend_days: int = 7  # the window of the attempted-amount split by category group
    zscore_days: int = 30  # the card's amount history the z-score compares against

    # Published column names follow the windows, as feature stores name them.
    @property
    def velocity_short(self) -> str:
        m = self.velocity_short_minutes
        return f"txn_count_{m // 60}h" if m % 60 == 0 else f"txn_count_{m}m"

    @property
    def velocity_long(self) -> str:
        return f"txn_count_{_hours(self.velocity_long_hours)}"

    @property
    def spend_short(self) -> str:
        return f"spend_{_hours(self.spend_short_hours)}"

    @property
    def spend_long(self) -> str:
        return f"spend_{self.spend_long_days}d"

    @property
    def decline_share(self) -> str:
        return f"decline_share_{_hours(self.decline_hours)}"

    @property
    def same_mcc(self) -> str:
        return f"card_mcc_count_{self.same_mcc_days}d"

    @property
    def amount(self) -> str:
        return f"amount_{self.currency.lower()}"

    @property
    def prior_chargebacks(self) -> str:
        return "prior_chargebacks" if self.chargeback_scope == "any" else "prior_fraud_chargebacks"

    @property
    def country_words(self) -> str:
        return COUNTRY_FORMATS[self.country_format]

    @property
    def history_windows(self) -> tuple[str, ...]:
        return tuple(_hours(h) for h in self.history_hours)

    @property
    def group_spend_window(self) -> str:
        return f"{self.group_spend_days}d"

    @property
    def zscore_window(self) -> str:
        return f"{self.zscore_days}d"

    @property
    def zscore(self) -> str:
        return f"amount_zscore_{self.zscore_window}"

    @property
    def group_spend(self) -> tuple[str, ...]:
        return tuple(f"attempted_{group}_{self.group_spend_window}" for group in MCC_GROUP_NAMES)

    @property
    def rate(self) -> float:
        return REPORT_CURRENCIES[self.currency]


def draw(rng: np.random.Generator) -> Spec:
    risky = rng.choice(len(RISK_POOL), size=int(rng.integers(5, 8)), replace=False)
    return Spec(
        velocity_short_minutes=int(rng.choice((15, 30, 45, 60, 90, 120))),
        velocity_long_hours=int(rng.choice((4, 6, 8, 12, 24))),
        spend_short_hours=int(rng.choice((12, 24, 48))),
        spend_long_days=int(rng.choice((5, 7, 10))),
        decline_hours=int(rng.choice((12, 24, 48))),
        same_mcc_days=int(rng.choice((3, 7, 14))),
        currency=str(rng.choice(list(REPORT_CURRENCIES))),
        high_risk_mcc=tuple(sorted(RISK_POOL[i] for i in risky)),
        label_horizon_days=int(rng.choice((10, 14, 21, 30))),
        country_format=str(rng.choice(list(COUNTRY_FORMATS))),
        chargeback_scope=str(rng.choice(("any", "fraud"))),
        history_hours=tuple(int(rng.choice(slot)) for slot in HISTORY_SLOTS),
        group_spend_days=int(rng.choice((3, 5, 7))),
        zscore_days=int(rng.choice((10, 14, 30))),
    )


def from_json(doc: Mapping[str, Any]) -> Spec:
    history = tuple(int(h) for h in doc.get("history_hours", CLASSIC_HISTORY))
    return Spec(**{**doc, "high_risk_mcc": tuple(doc["high_risk_mcc"]), "history_hours": history})
