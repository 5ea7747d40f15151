"""One client switched to amounts in cents; the pipeline still reads them as dollars."""
from __future__ import annotations

from typing import Any

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "cents-cutover"
FAMILY = "units"
TITLE = "a client sends amounts in cents from a cut-over day on; revenue jumps x100"

# A fault with a single way of being written.
FORMS: tuple[str, ...] = ()

PLATFORMS = ("web", "ios", "android")


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"platform": str(rng.choice(PLATFORMS)), "from_day": int(rng.integers(3, 11))}


def knobs(params: Params) -> dict[str, Any]:
    return {"cents_platform": params["platform"], "cents_from_day": params["from_day"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    import datetime as dt

    day = facts.start_date + dt.timedelta(days=int(params["from_day"]))
    if difficulty == "easy":
        return (
            f"From {day} on, revenue of purchases made on {params['platform']} is about a "
            "hundred times what the payment provider reports."
        )
    if difficulty == "medium":
        return f"Average order value jumps for a subset of users from {day} onwards."
    return "The high-value-customer segment roughly doubled in size this month."


def explain(params: Params) -> str:
    return (
        f"From day {params['from_day']} of the window, the {params['platform']} client sends "
        "events with schema_version 2, whose amount is in cents. normalise_amounts() ignores "
        "schema_version. Fix: divide amount by 100 where schema_version >= 2."
    )
