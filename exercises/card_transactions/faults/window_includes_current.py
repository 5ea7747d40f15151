"""Velocity windows include the attempt being scored, so no attempt ever has a zero count."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

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


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    columns = _named(str(params["windows"]), facts.spec)
    if difficulty == "easy":
        return (
            f"In the feature table, {columns} is never 0, not even for the very first attempt "
            f"of a card on {facts.start_date}, when the card had not been used for days."
        )
    if difficulty == "medium":
        return (
            "The live scoring service computes velocity features from the card's earlier "
            "attempts; its values are consistently lower than those in the training table."
        )
    return (
        "The fraud model looked excellent in its backtest and is noticeably weaker since "
        "it went live."
    )


def explain(params: Params) -> str:
    return (
        f"card_activity() computes {_COLUMNS[str(params['windows'])]} with "
        f"closed=\"{params['form']}\", so each window ends at and includes the attempt itself "
        "(every count is at least 1: the row leaks into its own feature, which serving cannot "
        "reproduce). Fix: closed=\"left\", the window [t - w, t) of strictly earlier attempts."
    )
