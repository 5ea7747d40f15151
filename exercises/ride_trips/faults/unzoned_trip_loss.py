"""Trips without a pickup zone (no GPS fix) are dropped."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "unzoned-trip-loss"
FAMILY = "row-loss"
TITLE = "trips with a missing pickup zone are silently dropped"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["dropna", "inner-join"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "zone_null_share": round(float(rng.uniform(0.02, 0.05)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"zone_null_share": params["zone_null_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            "Drivers report a few trips per week missing from their stats; the missing trips "
            "are the ones where the app showed 'pickup location unavailable'."
        )
    if difficulty == "medium":
        return (
            "Completed trips in the feature table are a few percent below the payouts "
            f"system on every day from {facts.start_date} to {facts.end_date}, in every city."
        )
    return "Our trip counts never quite match finance's, by a small and steady margin."


def explain(params: Params) -> str:
    where = (
        "drop_malformed() lists pickup_zone among the required columns"
        if params["form"] == "dropna"
        else "attach_zones() joins the zones dimension with an inner join"
    )
    return (
        f"About {params['zone_null_share']:.0%} of trips have no pickup zone (no GPS fix at "
        f"pickup); {where}, so these trips are dropped. Fix: keep them (left join, "
        "is_airport False; require only trip_id, driver_id, city and pickup_ts)."
    )
