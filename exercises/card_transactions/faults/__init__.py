"""The card-transactions fault catalogue: a literal registry of small modules."""
from __future__ import annotations

from collections.abc import Mapping

from faultline.exercises.base import Fault
from faultline.exercises.card_transactions.faults import (
    chargeback_asof_leak,
    currency_exponent,
    mcc_group_null,
    mcc_null_groupby,
    merchant_fanout,
    na_country_token,
    null_status_spend,
    window_edge,
    window_includes_current,
    zscore_flat_history,
)

FAULTS: Mapping[str, Fault] = {
    window_includes_current.ID: window_includes_current,
    chargeback_asof_leak.ID: chargeback_asof_leak,
    window_edge.ID: window_edge,
    currency_exponent.ID: currency_exponent,
    null_status_spend.ID: null_status_spend,
    mcc_null_groupby.ID: mcc_null_groupby,
    na_country_token.ID: na_country_token,
    merchant_fanout.ID: merchant_fanout,
    mcc_group_null.ID: mcc_group_null,
    zscore_flat_history.ID: zscore_flat_history,
}
