"""A re-exported catalogue repeats products; the merge multiplies their events."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "product-fanout"
FAMILY = "duplication"
TITLE = "duplicate catalogue rows fan out the product join, inflating counts and revenue"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["left", "distinct-rows"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "duplicate_product_share": round(float(rng.uniform(0.03, 0.09)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"duplicate_product_share": params["duplicate_product_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            "For some products, the number of views and purchases in the feature table is "
            f"exactly twice what the event log holds; {say.rows('user-days')} count too many "
            f"events, {say.days()}."
        )
    if difficulty == "medium":
        return say.ticket(
            "Event counts in the feature table are higher than in the event log "
            f"{say.days()}: n_events is {say.change('n_events.total', 'higher', 'lower')} in total."
        )
    if difficulty == "hard":
        return say.ticket(
            "Engagement features look inflated compared to the event log, for "
            f"{say.entities('users')}."
        )
    return say.ticket(
        "The merchandising team says the ranking model over-promotes some products: "
        "their popularity signal is higher than the warehouse's shipments support, and the "
        f"engagement of {say.entities('users')} looks inflated."
    )


def explain(params: Params) -> str:
    return (
        "products.csv holds re-exported rows: the same product_id again with a newer "
        f"updated_at (about {params['duplicate_product_share']:.0%} of products). "
        "attach_products() merges without de-duplicating, so each event of such a product "
        "appears twice. Fix: keep the newest row per product_id before the merge (and "
        "validate='many_to_one')."
    )
