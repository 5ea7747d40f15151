"""Prior chargebacks counted from a time before the chargeback was known."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    column = facts.spec.prior_chargebacks
    if difficulty == "easy":
        return say.ticket(
            f"On {say.column_rows(column, 'attempts')} ({say.column_entities(column, 'cards')}), "
            f"{column} counts a chargeback that the network reported to us only after the attempt; "
            f"the first such attempt is on {say.date('days.first')}."
        )
    if difficulty == "medium":
        return say.ticket(
            f"{column} is by far the strongest feature in the backtest, but the live scoring "
            f"service gives it a lower value for {say.column_rows(column, 'attempts')} of the "
            "training table."
        )
    if difficulty == "expert":
        return say.ticket(
            "The model team's offline-online review found that the input the fraud model leans "
            "on most in training rarely fires in production; the gap shows for "
            f"{say.entities('cards')}."
        )
    return say.ticket(
        "Backtested fraud catch rates are well above what the live system delivers; the "
        f"difference comes from {say.entities('cards')}."
    )


def explain(params: Params) -> str:
    column = "transaction_time" if params["form"] == "transaction-time" else "opened_at"
    return (
        f"prior_chargebacks() runs its as-of join on chargebacks.{column}, a time at which "
        "the chargeback was not yet known to us: attempts between that time and reported_at "
        "count a chargeback that only arrived later (label leakage). Fix: as-of on reported_at, "
        "strictly before the attempt (allow_exact_matches=False)."
    )
