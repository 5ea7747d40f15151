"""Internal consistency of the feature table."""
from __future__ import annotations

import re

import pandas as pd

from pipeline.config import (
    AMOUNT,
    DECLINE_SHARE,
    COUNTRY_CODES,
    COUNTRY_FORMAT,
    HIGH_RISK_MCC,
    HISTORY_FAMILIES,
    PRIOR_CHARGEBACKS,
    SAME_MCC,
    SPEND_LONG,
    SPEND_SHORT,
    VELOCITY_LONG,
    VELOCITY_SHORT,
)


def test_counts_and_money_are_never_negative(features: pd.DataFrame) -> None:
    for column in (VELOCITY_SHORT, VELOCITY_LONG, SAME_MCC, PRIOR_CHARGEBACKS):
        assert (features[column] >= 0).all(), column
    for column in (AMOUNT, SPEND_SHORT, SPEND_LONG):
        assert (features[column] >= 0).all(), column


def test_the_long_window_holds_the_short_one(features: pd.DataFrame) -> None:
    assert (features[SPEND_LONG] >= features[SPEND_SHORT] - 1e-9).all()
    assert (features[VELOCITY_LONG] >= features[VELOCITY_SHORT]).all()


def test_decline_share_is_a_share(features: pd.DataFrame) -> None:
    assert features[DECLINE_SHARE].dropna().between(0.0, 1.0).all()


def test_time_since_previous_attempt(features: pd.DataFrame) -> None:
    gaps = features["seconds_since_prev"]
    assert (gaps.dropna() >= 0).all()
    # Exactly one attempt per card, its first, has no previous attempt.
    assert gaps.isna().sum() == features["card_id"].nunique()


def test_merchant_codes_are_well_formed(features: pd.DataFrame) -> None:
    assert features["mcc"].dropna().map(lambda m: bool(re.fullmatch(r"\d{4}", m))).all()
    pattern = {"alpha2": r"[A-Z]{2}", "alpha3": r"[A-Z]{3}", "numeric": r"\d{3}"}[COUNTRY_FORMAT]
    assert features["merchant_country"].dropna().str.fullmatch(pattern).all()
    assert len(COUNTRY_CODES) == len({codes for codes in COUNTRY_CODES.values()})
    high_risk = features["mcc"].isin(sorted(HIGH_RISK_MCC))
    assert (features["is_high_risk_mcc"] == high_risk).all()


def test_fraud_labels_are_rare_and_present(features: pd.DataFrame) -> None:
    share = features["is_fraud"].mean()
    assert 0.0 < share < 0.05


def test_history_windows_nest(features: pd.DataFrame) -> None:
    for family in ("approved_count", "declined_count", "distinct_merchants"):
        spans = [f"{family}_{w}" for w in HISTORY_FAMILIES[family]]
        for shorter, longer in zip(spans, spans[1:]):
            assert (features[longer] >= features[shorter]).all(), (shorter, longer)
    longest = HISTORY_FAMILIES["distinct_countries"][-1]
    assert (features[f"distinct_countries_{longest}"] <= features[f"distinct_merchants_{longest}"]).all()


def test_history_shares_are_shares(features: pd.DataFrame) -> None:
    for w in HISTORY_FAMILIES["foreign_share"]:
        share = features[f"foreign_share_{w}"]
        assert share.dropna().between(0.0, 1.0).all(), w
        # Defined whenever the window holds an attempt, a decided one at least.
        decided = (features[f"approved_count_{w}"] + features[f"declined_count_{w}"]) > 0
        assert share.loc[decided].notna().all(), w
