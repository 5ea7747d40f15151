"""Records with no status are counted as completed trips because of `!= 'cancelled'`."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            "Some drivers have more completed trips in the feature table than in the payouts "
            "system; the extra trips have no dropoff time and no fare."
        )
    if difficulty == "medium":
        return (
            "For a few drivers each day, the trip count is higher than in the payouts system "
            "while their earnings match exactly."
        )
    return "The share of long trips looks a bit lower than what ops measures."


def explain(params: Params) -> str:
    return (
        f"About {params['orphan_share']:.1%} of records have a missing status (the status "
        "never arrived; no dropoff, distance or fare). split_by_status() selects completed "
        f"trips as 'not cancelled' ({params['form']}), and a missing status is not "
        "'cancelled', so these records count as completed trips. Fix: select "
        "status == 'completed'."
    )
