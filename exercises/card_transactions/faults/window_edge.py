"""Spend windows leave out the attempt exactly one window length earlier."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "window-edge"
FAMILY = "time"
TITLE = "spend windows are open at their start: a charge exactly one window earlier is dropped"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["neither", "minus-current"]
FORMS: tuple[Form, ...] = get_args(Form)

# "24h" is the short spend window, "7d" the long one, whatever lengths the variant's spec gives them.
_COLUMNS = {"24h": "the short spend window", "7d": "the long spend window", "both": "both spend windows"}


def _named(windows: str, spec: Any) -> tuple[str, str]:
    """The variant's column names and window lengths for the windows this fault hits."""
    short = (spec.spend_short, f"{spec.spend_short_hours} hours")
    long = (spec.spend_long, f"{spec.spend_long_days} days")
    chosen = {"24h": [short], "7d": [long], "both": [short, long]}[windows]
    return " and ".join(c for c, _ in chosen), " or ".join(s for _, s in chosen)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "windows": str(rng.choice(("24h", "7d", "both"))),
        "recurring_card_share": round(float(rng.uniform(0.04, 0.1)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"recurring_card_share": params["recurring_card_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    columns, span = _named(str(params["windows"]), facts.spec)
    first = columns.split(" and ")[0]
    if difficulty == "easy":
        return say.ticket(
            f"Cards with a subscription charged at the same time every period: {columns} "
            f"{'leave' if ' and ' in columns else 'leaves'} out the charge made exactly {span} "
            "before, although the statement shows it "
            f"inside the window ({say.rows('attempts')}, {say.entities('cards')})."
        )
    if difficulty == "medium":
        differs = say.direction(first, down="falls short of", up="exceeds", mixed="disagrees, both ways, with")
        return say.ticket(
            f"For customers with subscriptions ({say.entities('cards')}), trailing spend in the "
            f"feature table {differs} the sum of their approved charges over the same period, "
            f"{say.days()}."
        )
    if difficulty == "expert":
        spenders = say.direction(first, down="lighter spenders", up="heavier spenders",
                                 mixed="other spenders")
        return say.ticket(
            "Customer care escalated complaints from subscribers: the spending alerts treat them "
            f"as {spenders} than their statements show. Analytics finds the same pattern for "
            f"{say.entities('cards')}."
        )
    looks = say.direction(first, down="low", up="high", mixed="off")
    return say.ticket(f"Spend features of our most regular customers look {looks}: {say.entities('cards')}.")


def explain(params: Params) -> str:
    where = (
        "card_activity() passes closed=\"neither\""
        if params["form"] == "neither"
        else "card_activity() sums the window closed on the right (t - w, t] and subtracts the "
        "attempt's own amount, which leaves the window open at its start (and keeps other "
        "attempts of the same second)"
    )
    return (
        f"The spend windows ({_COLUMNS[str(params['windows'])]}) should be [t - w, t): {where}, "
        "so an approved charge exactly w earlier (daily and weekly subscriptions are charged "
        "at the same second) is left out. Fix: the full window length with closed=\"left\"."
    )
