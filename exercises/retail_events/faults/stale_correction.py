"""De-duplication keeps the first delivery of an event instead of its latest correction."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "stale-correction"
FAMILY = "dedup"
TITLE = "dedup keeps the first delivery, not the newest correction of a purchase"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["first-seen", "sorted-first"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "correction_share": round(float(rng.uniform(0.03, 0.08)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"correction_share": params["correction_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    revenue = facts.spec.revenue
    if difficulty == "easy":
        return say.ticket(
            "Purchases that got a late voucher still show their original, higher amount in "
            f"the feature table ({say.column_rows(revenue, 'user-days')}); the order system "
            "shows the reduced one."
        )
    if difficulty == "medium":
        favour = say.direction(
            revenue, up="always in the store's favour", down="always in the customer's favour",
            mixed="in both directions",
        )
        return say.ticket(
            f"Revenue in the feature table is {say.change(f'{revenue}.total', 'above', 'below')} "
            f"the order system's over the export, {say.days()}; the difference is {favour}."
        )
    if difficulty == "hard":
        return say.ticket(
            "Finance says our revenue features do not match their books: the total is "
            f"{say.change(f'{revenue}.total', 'high', 'low')}."
        )
    return say.ticket(
        "Finance's month-end reconciliation of the sales report built on the table does not "
        f"close: the table's total is {say.change(f'{revenue}.total', 'high', 'low')}, and "
        "the order system's voucher log is where the two part ways."
    )


def explain(params: Params) -> str:
    return (
        "Events are delivered at least once; a re-delivery may be a correction with a newer "
        "ingested_at and a lower amount. deduplicate() keeps the first copy. Fix: sort by "
        "ingested_at and keep the last copy per event_id."
    )
