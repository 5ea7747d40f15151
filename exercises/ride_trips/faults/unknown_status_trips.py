"""Records with no status are counted as completed trips because of `!= 'cancelled'`."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "unknown-status-trips"
FAMILY = "null-semantics"
TITLE = "a not-cancelled filter keeps records whose status is missing"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["ne", "invert", "not-isin"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "orphan_share": round(float(rng.uniform(0.01, 0.035)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"orphan_share": params["orphan_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "expert":
        return say.ticket(
            "The payouts team finds drivers credited with more trips in our statistics than "
            f"were ever paid, for {say.column_entities('n_trips', 'drivers')}."
        )
    if difficulty == "easy":
        return say.ticket(
            f"{say.column_entities('n_trips', 'drivers')} have more completed trips in the feature "
            "table than in the payouts system on some days; the extra trips have no dropoff time "
            "and no fare."
        )
    if difficulty == "medium":
        earnings = (
            "; their earnings match exactly" if say.number("earnings.rows") == 0 else ""
        )
        if earnings:
            say.claim("earnings.rows", 0, 0, earnings)
        return say.ticket(
            f"For {say.column_rows('n_trips', 'driver-days')}, the trip count is higher than in "
            f"the payouts system{earnings}."
        )
    column = facts.spec.share_long
    lower = say.direction(column, down="lower", up="higher", mixed="different")
    return say.ticket(
        f"The share of long trips looks {lower} than what ops measures, for "
        f"{say.column_entities(column, 'drivers')}."
    )


def explain(params: Params) -> str:
    return (
        f"About {params['orphan_share']:.1%} of records have a missing status (the status "
        "never arrived; no dropoff, distance or fare). split_by_status() selects completed "
        f"trips as 'not cancelled' ({params['form']}), and a missing status is not "
        "'cancelled', so these records count as completed trips. Fix: select "
        "status == 'completed'."
    )
