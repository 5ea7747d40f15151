"""Follow-up questions for the debrief, per fault of card-transactions.

Each function takes the fault's drawn parameters and asks about noticing, monitoring, blast
radius and backfill, and the test that now guards the fault, in this variant's own terms.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from faultline.exercises.base import Params
from faultline.exercises.card_transactions.faults.currency_exponent import CURRENCIES


# The fault's "windows" parameter names the short or the long window by its original length
# ("1h"/"24h" for velocity, "24h"/"7d" for spend); the variant's spec gives the real columns.
def _pick(choice: str, short_name: str, short: str, long: str) -> str:
    if choice == "both":
        return f"{short} and {long}"
    return short if choice == short_name else long


def _velocity(p: Params, spec: Any) -> str:
    if spec is None:
        return "the velocity counts"
    return _pick(str(p["windows"]), "1h", spec.velocity_short, spec.velocity_long)


def _spend(p: Params, spec: Any) -> str:
    if spec is None:
        return "the spend windows"
    return _pick(str(p["windows"]), "24h", spec.spend_short, spec.spend_long)


def _window_includes_current(p: Params, spec: Any) -> list[str]:
    columns = _velocity(p, spec)
    return [
        f"{columns} counted the attempt itself, so no value was ever 0. Which check on the training table "
        "would have shown that before the model shipped?",
        "The backtest looked better than live. How would you monitor the gap between training-time and "
        "serving-time feature values, and what would trigger an alert?",
        "Every model trained on this table learned from a feature serving cannot reproduce. What has to be "
        "retrained, and how would you compare old and new models before switching?",
        "Which test now guards it: the first attempt of a card, with no earlier attempts, must have a count "
        "of 0? Would it catch a window closed on both sides as well as on the right?",
    ]


def _chargeback_asof_leak(p: Params, spec: Any) -> list[str]:
    lag = float(p["report_lag_days"])
    column = "transaction_time" if p["form"] == "transaction-time" else "opened_at"
    return [
        f"Chargebacks reach us about {lag:.1f} days after the event, but the as-of join used {column}. "
        "How would you have noticed label leakage in a feature review or in the backtest?",
        "prior_chargebacks was the strongest feature offline and rarely fired live. Which monitor compares "
        "a feature's distribution in training with what the scoring service sees?",
        "Which models, thresholds and reported catch rates rest on the leaked feature, and how would you "
        "re-estimate the real catch rate to tell the business?",
        "What test now guards it: a chargeback reported after an attempt must not count for that attempt, "
        "even when its transaction or dispute time is earlier? What about one reported at the same second?",
    ]


def _window_edge(p: Params, spec: Any) -> list[str]:
    columns = _spend(p, spec)
    span = "one window length"
    share = float(p["recurring_card_share"])
    return [
        f"About {share:.1%} of cards carry a subscription charged at the same second each period, and "
        f"{columns} left out the charge exactly one window earlier. How would you have noticed an error "
        "that only hits exact boundaries?",
        "Which reconciliation against the ledger (sum of approved charges per card and window) would catch "
        "a few per cent of under-counted spend, and at what tolerance?",
        "How far back is spend under-counted, and would you backfill or only retrain on corrected data?",
        f"What test now guards it: a charge exactly {span} before the attempt is in the window, and one a "
        "second earlier is not?",
    ]


def _currency_exponent(p: Params, spec: Any) -> list[str]:
    currency = str(p["currency"])
    decimals = CURRENCIES.get(currency, 2)
    share = float(p["foreign_share"])
    return [
        f"{currency} has {decimals} decimals, yet every amount was divided by 100. About {share:.1%} of "
        "attempts are charged in it: how would you have noticed the order-of-magnitude error?",
        "Which monitor catches one currency's amounts drifting by a power of ten: per-currency medians "
        f"against the settlement report, bounds on {spec.amount if spec is not None else 'the reported amount'}?",
        f"Which spend features and fraud scores were off for {currency} cards, and for how long? How would "
        "you backfill them?",
        "What should the pipeline do with a currency it has no exponent for: guess two decimals or refuse "
        "the export? Which test guards that now?",
    ]


def _null_status_spend(p: Params, spec: Any) -> list[str]:
    share = float(p["null_status_share"])
    return [
        f"About {share:.1%} of attempts timed out with no status and counted as spend. How would you have "
        "noticed nulls being treated as approvals?",
        "Which data-quality monitor tracks the share of null statuses, and what should happen when it "
        "jumps: alert, fail the run, or both?",
        "Spend ran hot for some cards: which fraud decisions could that have changed, and how would you "
        "backfill the features?",
        "What test now guards it: an attempt with no status adds nothing to spend? Would it catch a "
        "filter written with != as well as with isin?",
    ]


def _mcc_null_groupby(p: Params, spec: Any) -> list[str]:
    share = float(p["null_mcc_share"])
    merged = p["form"] != "groupby-default"
    what = "pooled every card's null-MCC attempts into one group" if merged else "gave them no group at all"
    return [
        f"About {share:.1%} of attempts are at merchants without an MCC, and the grouping {what}. How "
        "would you have spotted that in the feature's distribution?",
        f"Which monitor on {spec.same_mcc if spec is not None else 'the same-category count'} would "
        "separate this from a real change in shopping habits?",
        "Which fraud scores used the wrong count, and how far back would you recompute it?",
        "What test now guards it: a card with two null-MCC attempts counts them together, and another "
        "card's null-MCC attempts do not leak into its count?",
    ]


def _na_country_token(p: Params, spec: Any) -> list[str]:
    share = float(p["namibia_share"])
    return [
        f"About {share:.1%} of attempts are at Namibian merchants, whose country code 'NA' was read as "
        "missing. How would you have noticed a valid value turning into a null?",
        "Which monitor on merchant_country (null share, set of distinct values) would fire on this, and "
        "would it fire on the day the reader changed?",
        "is_cross_border was wrong for those merchants: which decisions did that feed, and how would you "
        "backfill?",
        "Which other codes or tokens can a CSV reader turn into null, and what test now guards them?",
    ]


def _merchant_fanout(p: Params, spec: Any) -> list[str]:
    share = float(p["reclassified_share"])
    return [
        f"About {share:.1%} of merchants were reclassified and the registry keeps every version. How would "
        "you have noticed attempts picking up a stale MCC?",
        "Which invariant of the merchant join (one registry row per merchant_id, validate='many_to_one') "
        "would have stopped the run, and would you rather fail or deduplicate?",
        "Since when have reclassified merchants carried the wrong risk flag, and how would you backfill?",
        "What test now guards it: two registry versions of one merchant, and the attempt gets the newest "
        "MCC whatever the row order in the file?",
    ]


def _mcc_group_null(p: Params, spec: Any) -> list[str]:
    column = spec.group_spend[-1] if spec is not None else "the 'other' group's amounts"
    how = ("a lookup that maps an empty code to nothing" if p["form"] == "map"
           else "a replacement that leaves an empty code empty")
    return [
        f"Attempts at merchants without a category vanished from every group, {column} included, "
        f"through {how}. "
        "Which reconciliation (the groups' sum against the card's attempted amounts of the same window) "
        "would have shown it, and at what tolerance?",
        "Merchants lose or gain a category as the registry changes. How would you monitor the share of "
        "attempted amounts without a category, and who would you tell when it moves?",
        "Which models or reports read the split, and would you backfill the week's split or only fix it "
        "going forward?",
        "What test now guards it: an attempt at a merchant with an empty mcc counts in the 'other' "
        "group, and the groups add up to the card's attempted amounts of the window?",
    ]


def _zscore_flat_history(p: Params, spec: Any) -> list[str]:
    how = "without a guard on a zero spread" if p["form"] == "no-spread-guard" else "from floating-point moments"
    return [
        f"The z-score was computed {how}, so a history of one repeated subscription amount gave +/-inf. "
        "Which check on the published table would have caught a non-finite value before the model saw it?",
        "How would you monitor an input whose distribution has a long tail, so that a handful of "
        "impossible values raises an alert without paging on every heavy spender?",
        "What did the model learn from infinite inputs (clipped, dropped, or a NaN in training), and "
        "does it need retraining?",
        "What test now guards it: a card whose earlier amounts of the window are all equal has an empty "
        "z-score, and one with two different amounts has a finite one?",
    ]


FOLLOWUPS: Mapping[str, Callable[[Params, Any], list[str]]] = {
    "window-includes-current": _window_includes_current,
    "chargeback-asof-leak": _chargeback_asof_leak,
    "window-edge": _window_edge,
    "currency-exponent": _currency_exponent,
    "null-status-spend": _null_status_spend,
    "mcc-null-groupby": _mcc_null_groupby,
    "na-country-token": _na_country_token,
    "merchant-fanout": _merchant_fanout,
    "mcc-group-null": _mcc_group_null,
    "zscore-flat-history": _zscore_flat_history,
}
