"""A re-exported catalogue repeats products; the merge multiplies their events."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "product-fanout"
FAMILY = "duplication"
TITLE = "duplicate catalogue rows fan out the product join, inflating counts and revenue"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["left", "inner"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "duplicate_product_share": round(float(rng.uniform(0.03, 0.09)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"duplicate_product_share": params["duplicate_product_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            "For some products, the number of views and purchases in the feature table is "
            "exactly twice what the event log holds."
        )
    if difficulty == "medium":
        return (
            "Total revenue in the feature table is higher than in the order system for "
            f"every day from {facts.start_date} to {facts.end_date}, by a different amount each day."
        )
    return "Revenue-per-user features look inflated compared to last quarter's numbers."


def explain(params: Params) -> str:
    return (
        "products.csv holds re-exported rows: the same product_id again with a newer "
        f"updated_at (about {params['duplicate_product_share']:.0%} of products). "
        "attach_products() merges without de-duplicating, so each event of such a product "
        "appears twice. Fix: keep the newest row per product_id before the merge (and "
        "validate='many_to_one')."
    )
