"""Velocity windows include the attempt being scored, so no attempt ever has a zero count."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "window-includes-current"
FAMILY = "leakage"
TITLE = "velocity counts include the attempt itself (closed window end)"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["both", "right"]
FORMS: tuple[Form, ...] = get_args(Form)

# "1h" is the short velocity window, "24h" the long one, whatever lengths the spec gives them.
_COLUMNS = {"1h": "the short velocity count", "24h": "the long velocity count", "both": "both velocity counts"}


def _named(windows: str, spec: Any) -> str:
    chosen = {"1h": [spec.velocity_short], "24h": [spec.velocity_long],
              "both": [spec.velocity_short, spec.velocity_long]}[windows]
    return " and ".join(chosen)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "windows": str(rng.choice(("1h", "24h", "both"))),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    columns = _named(str(params["windows"]), facts.spec)
    first = columns.split(" and ")[0]
    if difficulty == "easy":
        floor = int(say.number(f"{first}.out.min"))
        never = say.claim(f"{first}.out.min", floor, floor, f"never below {floor}")
        return say.ticket(
            f"In the feature table, {columns} {'are' if ' and ' in columns else 'is'} {never}, "
            f"not even for the very first attempt of a card; {say.rows('attempts')} carry a "
            "higher count than the card's earlier attempts give."
        )
    if difficulty == "medium":
        return say.ticket(
            "The live scoring service computes velocity features from the card's earlier "
            f"attempts; its values are lower than those in the training table for {say.rows('attempts')}."
        )
    if difficulty == "expert":
        return say.ticket(
            "The model-monitoring dashboard shows the fraud model's inputs drifting since launch: "
            "for the same traffic, what the live scorer feeds the model differs from the training "
            f"table on {say.rows('authorisation attempts')}, and the live catch rate trails the "
            "backtest."
        )
    return say.ticket(
        "The fraud model looked excellent in its backtest and is noticeably weaker since "
        f"it went live, on {say.entities('cards')}."
    )


def explain(params: Params) -> str:
    return (
        f"card_activity() computes {_COLUMNS[str(params['windows'])]} with "
        f"closed=\"{params['form']}\", so each window ends at and includes the attempt itself "
        "(every count is at least 1: the row leaks into its own feature, which serving cannot "
        "reproduce). Fix: closed=\"left\", the window [t - w, t) of strictly earlier attempts."
    )
