"""The category roll-up drops events whose product has no catalogue row (a null category)."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "flash-sale-rollup"
FAMILY = "nulls"
TITLE = "events of a listing missing from the catalogue vanish in the category roll-up"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["groupby-default", "category-filter"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "day": int(rng.integers(1, 13)),
        "share": round(float(rng.uniform(0.06, 0.12)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"flash_sale_day": params["day"], "flash_sale_share": params["share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            f"A one-day flash sale ran {say.days()}; its listing was not in the catalogue yet. "
            f"In the feature table n_events is {say.change('n_events.total.days', 'higher', 'lower')} "
            "that day than the event log holds, for "
            f"{say.column_rows('n_events', 'user-days')}."
        )
    if difficulty == "medium":
        return say.ticket(
            f"Marketing ran a flash sale {say.days()}. The feature table shows "
            f"{say.change('n_events.total.days', 'more', 'fewer')} events that day than the "
            "storefront's traffic dashboard."
        )
    if difficulty == "hard":
        return say.ticket(
            f"The flash sale's traffic does not show in the engagement features; "
            f"{say.rows('user-days')} look quieter than the storefront saw."
        )
    return say.ticket(
        f"The growth team's one-day promotion on {say.date('days.first')} left no mark on the "
        "engagement model's inputs: the day looks quieter than the storefront's traffic "
        "dashboard showed."
    )


def explain(params: Params) -> str:
    return (
        f"On day {params['day']} of the window a flash-sale listing (not in products.csv) took "
        f"about {params['share']:.0%} of the day's events; they join with no category. The "
        "category-grain roll-up in features drops them (groupby's default dropna=True, or a "
        "filter on a known category), so their events vanish from every count and from revenue. "
        "Fix: group with dropna=False (an unknown category is still an event)."
    )
