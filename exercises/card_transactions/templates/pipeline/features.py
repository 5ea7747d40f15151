"""The feature table: one row per authorisation attempt."""
from __future__ import annotations

import pandas as pd

from pipeline.config import AMOUNT, HIGH_RISK_MCC, Settings


def build_features(
    txns: pd.DataFrame,
    activity: pd.DataFrame,
    prior_chargebacks: pd.Series,
    is_fraud: pd.Series,
    settings: Settings,
) -> pd.DataFrame:
    """Combine the attempt's own attributes with its card's history and its label."""
    table = txns[
        ["transaction_id", "card_id", "event_time", "auth_status", AMOUNT, "mcc",
         "merchant_country"]
    ].copy()
    # Hour on the cardholder's clock: the issuer's market timezone.
    table["local_hour"] = txns["event_time"].dt.tz_convert(settings.timezone).dt.hour
    known_country = txns["merchant_country"].notna()
    table["is_cross_border"] = known_country & (txns["merchant_country"] != txns["card_country"])
    table["is_high_risk_mcc"] = txns["mcc"].isin(HIGH_RISK_MCC)
    table = table.join(activity)
    table["prior_chargebacks"] = prior_chargebacks
    table["is_fraud"] = is_fraud
    return table
