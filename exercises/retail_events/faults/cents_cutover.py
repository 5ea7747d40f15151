"""One client switched to amounts in cents; the pipeline still reads them as dollars."""
from __future__ import annotations

from typing import Any

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    revenue = facts.spec.revenue
    if difficulty == "easy":
        return say.ticket(
            f"From {say.date('days.first')} on, {revenue} of {say.column_rows(revenue, 'user-days')} "
            f"with purchases made on {params['platform']} is {say.ratio(f'{revenue}.ratio')} than "
            "the payment provider reports (the median over those user-days)."
        )
    if difficulty == "medium":
        return say.ticket(
            f"Average order value jumps for {say.entities('users')} from {say.date('days.first')} "
            f"onwards: where it changed, it is {say.ratio(f'{facts.spec.avg_order_value}.ratio')} "
            "than the payment provider's figure."
        )
    if difficulty == "hard":
        return say.ticket(
            f"Revenue per user exploded partway through the month for {say.entities('users')}: "
            f"in total it is {say.change(f'{revenue}.total', 'high', 'low')}."
        )
    return say.ticket(
        "The lifetime-value model's predictions for some customers jumped partway through the "
        f"month, and finance's weekly sales report built on the table is "
        f"{say.change(f'{revenue}.total', 'high', 'low')} against the payment provider's."
    )


def explain(params: Params) -> str:
    return (
        f"From day {params['from_day']} of the window, the {params['platform']} client sends "
        "events with schema_version 2, whose amount is in cents. normalise_amounts() ignores "
        "schema_version. Fix: divide amount by 100 where schema_version >= 2."
    )
