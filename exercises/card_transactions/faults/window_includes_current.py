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

_COLUMNS = {"1h": "txn_count_1h", "24h": "txn_count_24h", "both": "txn_count_1h and txn_count_24h"}


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "windows": str(rng.choice(("1h", "24h", "both"))),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    columns = _COLUMNS[str(params["windows"])]
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
