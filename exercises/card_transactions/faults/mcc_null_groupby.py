"""Grouping by (card, MCC) loses the attempts at merchants without an MCC."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "mcc-null-groupby"
FAMILY = "null-semantics"
TITLE = "same-category counts: a null MCC drops out of the (card, mcc) grouping"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["groupby-default", "composite-key"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "null_mcc_share": round(float(rng.uniform(0.03, 0.08)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"null_mcc_share": params["null_mcc_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    column = facts.spec.same_mcc
    if difficulty == "expert":
        return say.ticket(
            "Risk analysts say the model's notion of a cardholder returning to the same kind of "
            f"shop disagrees with their own counts for {say.entities('cards')}."
        )
    if difficulty == "hard":
        return say.ticket(f"The repeat-category signal behaves oddly for {say.entities('cards')}.")
    wrong = say.direction(
        column, up="higher than the card's own history there", down="lower than the card's own history there",
        mixed="off from the card's own history there, in both directions",
    )
    if difficulty == "easy":
        return say.ticket(
            "For attempts at merchants that have no category code in the registry "
            f"({say.column_rows(column, 'attempts')}), {column} is {wrong}."
        )
    return say.ticket(f"The repeat-category signal is {wrong} for {say.column_rows(column, 'attempts')}.")


def explain(params: Params) -> str:
    how = (
        "groupby([\"card_id\", \"mcc\"]).ngroup() uses dropna=True: rows with a null mcc get no "
        "group and their count is 0"
        if params["form"] == "groupby-default"
        else "pd.factorize(card_id + \"/\" + mcc) gives every null key the code -1, so the "
        "null-MCC attempts of all cards share one group"
    )
    return (
        f"card_activity() groups attempts by (card_id, mcc) for the same-category count; {how}. "
        "Fix: groupby(..., dropna=False).ngroup(), so that a card's null-MCC attempts form "
        "their own group."
    )
