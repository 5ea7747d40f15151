"""Sessions are cut at the start of the business day: a late visit counts as two."""
from __future__ import annotations

from typing import Any, Literal, get_args

import numpy as np

from faultline.exercises.base import Difficulty, Params, SampleFacts, Ticket
from faultline.exercises.ticketing import Writer

ID = "session-day-split"
FAMILY = "sessions"
TITLE = "sessionisation restarts at the business day's start: a visit across it counts twice"

# The ways this fault can be written: each is a branch of its template site (test_catalogue checks).
Form = Literal["grouped-diff", "day-break"]
FORMS: tuple[Form, ...] = get_args(Form)


def sample(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "form": str(rng.choice(FORMS)),
        "late_session_share": round(float(rng.uniform(0.008, 0.015)), 4),
    }


def knobs(params: Params) -> dict[str, Any]:
    return {"late_session_share": params["late_session_share"]}


def ticket(params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
    say = Writer(difficulty, facts)
    if difficulty == "easy":
        return say.ticket(
            "Visits that run past the start of the store's business day are counted twice: "
            f"n_sessions is {say.change('n_sessions.total', 'higher', 'lower')} in total than "
            f"the web analytics tool's visit count, on {say.column_rows('n_sessions', 'user-days')}."
        )
    if difficulty == "medium":
        return say.ticket(
            "The web analytics tool counts fewer visits than the feature table for night owls: "
            f"{say.rows('user-days')} disagree with it, about the number or the length of the "
            "day's sessions."
        )
    if difficulty == "hard":
        return say.ticket(
            f"Session features disagree with the web analytics tool for {say.entities('users')}; "
            "the tool's visits look longer and fewer."
        )
    return say.ticket(
        "The web analytics team says our visit figures run ahead of theirs for "
        f"{say.entities('customers')}, always people who shop late at night; their visits look "
        "shorter in our table."
    )


def explain(params: Params) -> str:
    how = ("computes the gap between events per user and business day (a grouped diff)"
           if params["form"] == "grouped-diff" else "starts a new session whenever the business day changes")
    return (
        f"assign_sessions() {how}. The data dictionary (docs/sources.md) says a session runs across "
        "the start of the business day, and the README counts a session on the day of its first "
        "event: a visit from 00:50 to 01:10 in a store whose day starts at 01:00 is one session of "
        "the earlier day. Cut there, the later day gains a session (n_sessions, events_per_session) "
        "and both days' session lengths shrink. Only visits that straddle the day's start show it, "
        f"about {params['late_session_share']:.1%} of sessions. Fix: new session only where the user "
        "changes or the gap exceeds the session gap, over the whole stream."
    )
