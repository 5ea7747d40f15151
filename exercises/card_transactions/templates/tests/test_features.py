"""Internal consistency of the feature table."""
from __future__ import annotations

import re

import pandas as pd


def test_counts_and_money_are_never_negative(features: pd.DataFrame) -> None:
    for column in ("txn_count_1h", "txn_count_24h", "card_mcc_count_7d", "prior_chargebacks"):
        assert (features[column] >= 0).all(), column
    for column in ("amount_usd", "spend_24h", "spend_7d"):
        assert (features[column] >= 0).all(), column


def test_the_week_holds_the_day(features: pd.DataFrame) -> None:
    assert (features["spend_7d"] >= features["spend_24h"] - 1e-9).all()


def test_decline_share_is_a_share(features: pd.DataFrame) -> None:
    assert features["decline_share_24h"].dropna().between(0.0, 1.0).all()


def test_time_since_previous_attempt(features: pd.DataFrame) -> None:
    gaps = features["seconds_since_prev"]
    assert (gaps.dropna() >= 0).all()
    # Exactly one attempt per card, its first, has no previous attempt.
    assert gaps.isna().sum() == features["card_id"].nunique()


def test_merchant_codes_are_well_formed(features: pd.DataFrame) -> None:
    assert features["mcc"].dropna().map(lambda m: bool(re.fullmatch(r"\d{4}", m))).all()
    assert features["merchant_country"].dropna().str.fullmatch(r"[A-Z]{2}").all()
    high_risk = features["mcc"].isin(["4829", "5732", "5944", "5967", "6051", "7995"])
    assert (features["is_high_risk_mcc"] == high_risk).all()


def test_fraud_labels_are_rare_and_present(features: pd.DataFrame) -> None:
    share = features["is_fraud"].mean()
    assert 0.0 < share < 0.05
