"""De-duplication keeps the first delivery of an event instead of its latest correction."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    if difficulty == "easy":
        return (
            "Purchases that got a late voucher still show their original, higher amount in "
            "the feature table; the order system shows the reduced one."
        )
    if difficulty == "medium":
        return (
            "Revenue in the feature table is slightly above the order system's on most days; "
            "the difference is always in the store's favour."
        )
    return "Finance says our revenue features never match their books, by a small margin."


def explain(params: Params) -> str:
    return (
        "Events are delivered at least once; a re-delivery may be a correction with a newer "
        "ingested_at and a lower amount. deduplicate() keeps the first copy. Fix: sort by "
        "ingested_at and keep the last copy per event_id."
    )
