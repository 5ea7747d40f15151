"""Prior chargebacks counted from a time before the chargeback was known."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "chargeback-asof-leak"
FAMILY = "leakage"
TITLE = "prior chargebacks as of the disputed transaction / dispute opening, not of the report"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["transaction-time", "opened-time"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "report_lag_days": round(float(rng.uniform(2.0, 6.0)), 2),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"report_lag_days": params["report_lag_days"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            f"Attempts made between {facts.start_date} and {facts.end_date} show "
            f"{facts.spec.prior_chargebacks} > 0 for cards whose first chargeback the network reported to us "
            "only days after the attempt."
        )
    if difficulty == "medium":
        return (
            f"{facts.spec.prior_chargebacks} is by far the strongest feature in the backtest, but the live "
            "scoring service almost never sees it fire before the fraud is confirmed."
        )
    return "Backtested fraud catch rates are well above what the live system delivers."


def explain(params: Params) -> str:
    column = "transaction_time" if params["form"] == "transaction-time" else "opened_at"
    return (
        f"prior_chargebacks() runs its as-of join on chargebacks.{column}, a time at which "
        "the chargeback was not yet known to us: attempts between that time and reported_at "
        "count a chargeback that only arrived later (label leakage). Fix: as-of on reported_at, "
        "strictly before the attempt (allow_exact_matches=False)."
    )
