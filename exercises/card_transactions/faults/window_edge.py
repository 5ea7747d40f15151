"""Spend windows leave out the attempt exactly one window length earlier."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts

ID = "window-edge"
FAMILY = "time"
TITLE = "spend windows are open at their start: a charge exactly 24 h / 7 d earlier is dropped"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["neither", "shortened"]
FORMS: tuple[Form, ...] = get_args(Form)

_COLUMNS = {"24h": "spend_24h", "7d": "spend_7d", "both": "spend_24h and spend_7d"}
_SPAN = {"24h": "a day", "7d": "a week", "both": "a day or a week"}


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "windows": str(rng.choice(("24h", "7d", "both"))),
        "recurring_card_share": round(float(rng.uniform(0.04, 0.1)), 3),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"recurring_card_share": params["recurring_card_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
    columns = _COLUMNS[str(params["windows"])]
    if difficulty == "easy":
        return (
            f"Cards with a subscription charged at the same time every day or week: from "
            f"{facts.start_date} on, {columns} leaves out the subscription charge made exactly "
            f"{_SPAN[str(params['windows'])]} before, although the statement shows it inside the window."
        )
    if difficulty == "medium":
        return (
            "For customers with subscriptions, trailing spend in the feature table is lower "
            "than the sum of their approved charges over the same period."
        )
    return "Spend features of our most regular customers look slightly low."


def explain(params: Params) -> str:
    where = (
        "card_activity() passes closed=\"neither\""
        if params["form"] == "neither"
        else "config.py sets the window one second short of its length"
    )
    return (
        f"The spend windows ({_COLUMNS[str(params['windows'])]}) should be [t - w, t): {where}, "
        "so an approved charge exactly w earlier (daily and weekly subscriptions are charged "
        "at the same second) is left out. Fix: the full window length with closed=\"left\"."
    )
