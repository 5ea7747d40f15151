"""The amount z-score divides by a zero spread: a subscription history gives infinities."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "zscore-flat-history"
FAMILY = "numeric"
TITLE = "amount z-score: a history of one repeated amount has no spread, yet the score is published"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["no-spread-guard", "float-moments"]
FORMS: tuple[Form, ...] = get_args(Form)



def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {"form": str(rng.choice(FORMS))}


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    column, days = facts.spec.zscore, facts.spec.zscore_days
    if difficulty == "easy":
        return say.ticket(
            f"{column} is infinite where the card's amounts of the {days} days before are all the same "
            f"({say.column_rows(column, 'attempts')}, {say.column_entities(column, 'cards')})."
        )
    if difficulty == "medium":
        return say.ticket(
            f"The amount z-score is extreme for {say.column_rows(column, 'attempts')}, whose cards "
            f"tried to spend the same amount on every attempt of the {days} days before."
        )
    if difficulty == "expert":
        return say.ticket(
            "The model monitoring dashboard cannot draw the distribution of one of the model's "
            f"inputs: its values for {say.entities('cards')} are off the chart, far beyond any "
            "other card's."
        )
    return say.ticket(f"One of the new amount features has impossible values for {say.entities('cards')}.")


def explain(params: Params) -> str:
    how = (
        "keeps every z-score with at least two earlier attempts, without the contract's "
        "other condition (a spread above zero)"
        if params["form"] == "no-spread-guard"
        else "computes the moments in floating point (q/n - mean**2) and keeps every z-score with at "
        "least two earlier attempts"
    )
    return (
        f"amount_zscore() in pipeline/history.py {how}: when the amounts of the card's attempts of the "
        "z-score window are all equal (a subscription charged again and again) the spread is 0, "
        "and the z-score becomes +/-inf (or NaN when the attempt has the same amount). The contract "
        "says empty. Fix: publish the score only where n >= 2 and n*q - s*s > 0."
    )
