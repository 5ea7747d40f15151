"""The feature catalogue: every published column of ``features.parquet``.

The training jobs and the scoring service read the table by these names and types; the
writer derives the published schema from this list, in this order, and the run's checks
read each column's kind and bounds from it. A new feature is added here first.
"""
from __future__ import annotations

import dataclasses
import enum

import pyarrow as pa

from pipeline.config import (
    AMOUNT,
    DECLINE_SHARE,
    PRIOR_CHARGEBACKS,
    SAME_MCC,
    SPEND_LONG,
    SPEND_SHORT,
    VELOCITY_LONG,
    VELOCITY_SHORT,
)
from pipeline.history import SINCE_DECLINE, ZSCORE, group_spend_columns, history_columns
from pipeline.sources import TIMESTAMP


class Kind(enum.Enum):
    """What a column holds, which decides its Arrow type and its sanity bounds."""

    KEY = "key"  # an identifier
    TIME = "time"  # a UTC timestamp
    CATEGORY = "category"  # a code from a short list: dictionary-encoded on disk
    COUNT = "count"  # a non-negative integer
    MONEY = "money"  # a non-negative amount in the reporting currency
    SHARE = "share"  # a fraction in [0, 1], empty when undefined
    SECONDS = "seconds"  # a non-negative duration, empty when undefined
    HOUR = "hour"  # an hour of the day, 0 to 23
    SCORE = "score"  # a standardised value of either sign, empty when undefined
    FLAG = "flag"  # a boolean


_ARROW: dict[Kind, pa.DataType] = {
    Kind.KEY: pa.string(),
    Kind.TIME: TIMESTAMP,
    Kind.CATEGORY: pa.string(),
    Kind.COUNT: pa.int64(),
    Kind.MONEY: pa.float64(),
    Kind.SHARE: pa.float64(),
    Kind.SECONDS: pa.float64(),
    Kind.HOUR: pa.int64(),
    Kind.SCORE: pa.float64(),
    Kind.FLAG: pa.bool_(),
}
# Inclusive bounds a value of the kind must respect (None: no bound on that side).
BOUNDS: dict[Kind, tuple[float | None, float | None]] = {
    Kind.COUNT: (0, None),
    Kind.MONEY: (0.0, None),
    Kind.SHARE: (0.0, 1.0),
    Kind.SECONDS: (0.0, None),
    Kind.HOUR: (0, 23),
}
# Kinds whose cells may be empty; any other empty cell is a bug in the job.
NULLABLE = frozenset({Kind.CATEGORY, Kind.SHARE, Kind.SECONDS, Kind.SCORE})


@dataclasses.dataclass(frozen=True)
class Feature:
    """One published column: its name, kind and the group of features it belongs to."""

    name: str
    kind: Kind
    group: str
    doc: str

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW[self.kind]

    @property
    def nullable(self) -> bool:
        return self.kind in NULLABLE


# Kind and meaning of each card-history family (config.HISTORY_FAMILIES gives the windows).
_FAMILIES: dict[str, tuple[Kind, str]] = {
    "approved_count": (Kind.COUNT, "the card's earlier approved attempts in the window"),
    "declined_count": (Kind.COUNT, "the card's earlier declined attempts in the window"),
    "distinct_merchants": (Kind.COUNT, "distinct merchants of the card's earlier attempts in the window"),
    "foreign_share": (Kind.SHARE, "share of the card's earlier attempts in the window charged in a "
                      "currency other than its market's"),
    "distinct_countries": (Kind.COUNT, "distinct known merchant countries of the card's earlier "
                           "attempts in the window"),
}


def _history_features() -> list[Feature]:
    features = [
        Feature(name, _FAMILIES[family][0], "card", _FAMILIES[family][1])
        for name, family, _ in history_columns()
    ]
    features += [
        Feature(column, Kind.MONEY, "split", f"the card's attempted amounts at {group} merchants in the window")
        for group, column in group_spend_columns().items()
    ]
    features.append(Feature(ZSCORE, Kind.SCORE, "card",
                            "the attempt's amount against the card's earlier amounts in the window"))
    features.append(Feature(SINCE_DECLINE, Kind.SECONDS, "card",
                            "seconds since the card's previous declined attempt"))
    return features


CATALOG: tuple[Feature, ...] = (
    Feature("transaction_id", Kind.KEY, "attempt",
            "the authorisation attempt"),
    Feature("card_id", Kind.KEY, "attempt",
            "the card it was made with"),
    Feature("event_time", Kind.TIME, "attempt",
            "when it was made, UTC"),
    Feature("local_hour", Kind.HOUR, "attempt",
            "hour of the day on the issuer market's clock"),
    Feature("auth_status", Kind.CATEGORY, "attempt",
            "the issuer's answer of the delivery that holds; empty: none"),
    Feature(AMOUNT, Kind.MONEY, "attempt",
            "the amount in the reporting currency, to the cent"),
    Feature("mcc", Kind.CATEGORY, "merchant",
            "the merchant's category in its registry version that holds"),
    Feature("merchant_country", Kind.CATEGORY, "merchant",
            "the merchant's country in the published code format"),
    Feature("is_cross_border", Kind.FLAG, "merchant",
            "merchant and card in different countries"),
    Feature("is_high_risk_mcc", Kind.FLAG, "merchant",
            "the merchant's category is on the risk team's list"),
    Feature(VELOCITY_SHORT, Kind.COUNT, "velocity",
            "the card's earlier attempts in the short velocity window"),
    Feature(VELOCITY_LONG, Kind.COUNT, "velocity",
            "the card's earlier attempts in the long velocity window"),
    Feature(SPEND_SHORT, Kind.MONEY, "spend",
            "the card's approved spend in the short spend window"),
    Feature(SPEND_LONG, Kind.MONEY, "spend",
            "the card's approved spend in the long spend window"),
    Feature(DECLINE_SHARE, Kind.SHARE, "velocity",
            "declined among the card's decided attempts in the decline window"),
    Feature(SAME_MCC, Kind.COUNT, "velocity",
            "the card's earlier attempts in the same category"),
    Feature("seconds_since_prev", Kind.SECONDS, "velocity",
            "seconds since the card's previous attempt"),
    *_history_features(),
    Feature(PRIOR_CHARGEBACKS, Kind.COUNT, "history",
            "the card's chargebacks reported before the attempt"),
    Feature("is_fraud", Kind.FLAG, "label",
            "a fraud chargeback was reported within the label horizon"),
)


def schema() -> pa.Schema:
    """The published Arrow schema, in catalogue order."""
    return pa.schema([pa.field(f.name, f.arrow_type, nullable=True) for f in CATALOG])


def dictionary_columns() -> list[str]:
    """Columns written with dictionary pages: short code lists repeated on every row."""
    return [f.name for f in CATALOG if f.kind is Kind.CATEGORY]


def by_group() -> dict[str, list[str]]:
    """Feature names per group, in catalogue order (the run summary reports them so)."""
    groups: dict[str, list[str]] = {}
    for feature in CATALOG:
        groups.setdefault(feature.group, []).append(feature.name)
    return groups


def describe() -> str:
    """The catalogue as a plain-text table, for ``python -m pipeline --describe``."""
    width = max(len(f.name) for f in CATALOG)
    lines = [f"{'column':<{width}}  {'type':<22}  {'group':<8}  meaning"]
    for feature in CATALOG:
        lines.append(f"{feature.name:<{width}}  {str(feature.arrow_type):<22}  {feature.group:<8}  {feature.doc}")
    return "\n".join(lines)
