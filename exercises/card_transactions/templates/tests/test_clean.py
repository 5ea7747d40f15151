"""Unit tests of the cleaning steps."""
from __future__ import annotations

import pandas as pd

from pipeline.clean import convert_amounts, latest_delivery
from pipeline.config import AMOUNT, REPORT_CURRENCY, USD_PER_UNIT


def test_latest_delivery_keeps_the_outcome() -> None:
    feed = pd.DataFrame(
        {
            "transaction_id": ["a", "b", "a"],
            "auth_status": [None, "approved", "declined"],
            "ingested_at": pd.to_datetime(
                ["2025-05-01T10:00:05Z", "2025-05-01T10:00:06Z", "2025-05-01T10:03:00Z"]
            ),
        }
    )
    kept = latest_delivery(feed).set_index("transaction_id")["auth_status"]
    assert kept.to_dict() == {"a": "declined", "b": "approved"}


def test_amounts_in_the_reporting_currency_and_its_cents() -> None:
    txns = pd.DataFrame({"currency": [REPORT_CURRENCY, "USD"], "amount_minor": [1250, 1000]})
    out = convert_amounts(txns)
    in_report = round(10.0 / USD_PER_UNIT[REPORT_CURRENCY], 2)
    assert out[AMOUNT].tolist() == [12.5, in_report]
    assert out["amount_cents"].tolist() == [1250, round(in_report * 100)]
