"""Trips without a pickup zone (no GPS fix) are dropped."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "expert":
        return say.ticket(
            "Finance's month-end reconciliation of completed trips against the payouts ledger "
            f"comes out {say.change('n_trips.total', 'high', 'short')}, {say.days()}, across "
            f"{say.entities('drivers')}."
        )
    if difficulty == "easy":
        return say.ticket(
            f"{say.column_entities('n_trips', 'drivers')} report trips missing from their stats "
            f"({say.change('n_trips.total', 'more', 'fewer')} completed trips overall); the "
            "missing trips are the ones where the app showed 'pickup location unavailable'."
        )
    if difficulty == "medium":
        return say.ticket(
            "Completed trips in the feature table are "
            f"{say.change('n_trips.total', 'above', 'below')} the payouts system's, {say.days()}."
        )
    return say.ticket(
        "Our trip counts never quite match finance's: "
        f"{say.change('n_trips.total', 'high', 'short')}, steadily."
    )


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
