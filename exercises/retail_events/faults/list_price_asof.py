"""List prices are joined from the newest (or nearest) price of the history, not the one in effect at the event."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "list-price-asof"
FAMILY = "point-in-time"
TITLE = "list prices from the newest or nearest price row: orders before a price change get the later price"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["newest-row", "nearest"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS)), "repriced_share": round(float(rng.uniform(0.05, 0.1)), 3)}


def knobs(params: Params) -> dict[str, Any]:
    return {"repriced_share": params["repriced_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            "Orders of products whose price changed during the export are valued at the wrong "
            "list price: list_value_usd disagrees with the pricing log on "
            f"{say.column_rows('list_value_usd', 'user-days')}."
        )
    if difficulty == "medium":
        return say.ticket(
            "The pricing team's list value of orders disagrees with the feature table on "
            f"{say.rows('user-days')}; they say it is always products that were repriced during "
            "the export."
        )
    if difficulty == "hard":
        return say.ticket(
            f"List-price features disagree with the pricing log for {say.entities('users')}."
        )
    return say.ticket(
        "The promotions team's discount-depth study disagrees with our table about what "
        f"{say.entities('customers')} would have paid at list prices; every order in question is "
        "of an item whose price changed during the export."
    )


def explain(params: Params) -> str:
    how = ("keeps each product's newest row of prices.csv" if params["form"] == "newest-row"
           else "uses merge_asof with direction='nearest'")
    return (
        f"attach_list_prices() {how}. The data dictionary (docs/sources.md) says a price of "
        "prices.csv holds from its valid_from until the product's next row, and the README values an order at its list "
        "price as of the event: an order placed before a price change inside the window is valued "
        "at a price it never saw, so list_value_usd moves on those user-days (about "
        f"{params['repriced_share']:.0%} of products change price). Fix: merge_asof backwards on "
        "event_ts by product_id (the row in effect at the event)."
    )
