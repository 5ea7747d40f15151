"""The expert difficulty's rules that do not depend on one exercise.

Six faults, two of them with no ticket (drawn from the seed), a README that says the
tickets are not exhaustive, and tickets that name no column or module. An exercise
offers `expert` only once it has the depth for it; asking for it before is a usage
error.
"""
from __future__ import annotations

import datetime as dt
import types
from typing import Any

import pandas as pd
import pytest

from faultline.exercises.base import Footprint, SampleFacts, Ticket
from faultline.exercises.registry import EXERCISES
from faultline.harness.build import SelfCheckFailed, _check_expert
from faultline.harness.commands.list import catalogue
from faultline.harness.errors import UsageError
from faultline.harness.tickets import TicketError, write_tickets
from faultline.harness.variant import draw


def _offering_expert(exercise_id: str) -> Any:
    """The exercise with `expert` switched on, as an exercise that has its depth would be."""
    exercise = EXERCISES[exercise_id]
    fake = types.SimpleNamespace(**{name: getattr(exercise, name) for name in dir(exercise) if name.isupper()})
    fake.DIFFICULTIES = (*exercise.DIFFICULTIES, "expert")
    fake.draw_spec = exercise.draw_spec
    fake.hidden_knobs = exercise.hidden_knobs
    return fake


def test_an_expert_variant_has_six_faults_and_two_without_a_ticket() -> None:
    exercise = _offering_expert("card-transactions")
    drawn = [draw(exercise, seed=f"expert-{i}", attempt=0, difficulty="expert", rows=3000) for i in range(6)]
    for variant in drawn:
        ids = [f.id for f in variant.faults]
        assert len(ids) == 6
        assert len(variant.unticketed) == 2 and set(variant.unticketed) <= set(ids)
    # Which faults go silent follows the seed, and differs between seeds.
    again = draw(exercise, seed="expert-0", attempt=0, difficulty="expert", rows=3000)
    assert again.unticketed == drawn[0].unticketed
    assert len({v.unticketed for v in drawn}) > 1


def test_lower_difficulties_ticket_every_fault() -> None:
    variant = draw(EXERCISES["ride-trips"], seed="t", attempt=0, difficulty="hard", rows=3000)
    assert variant.unticketed == ()


def test_an_exercise_without_the_expert_tier_refuses_it() -> None:
    exercise = types.SimpleNamespace(ID="toy", DIFFICULTIES=("easy", "medium", "hard"))
    with pytest.raises(UsageError, match="toy offers easy, medium, hard, not expert"):
        draw(exercise, seed="s", attempt=0, difficulty="expert")  # type: ignore[arg-type]


def test_list_shows_the_difficulties_each_exercise_offers() -> None:
    listed = {ex["id"]: ex["difficulties"] for ex in catalogue()["exercises"]}  # type: ignore[index, union-attr]
    assert listed == {ex.ID: list(ex.DIFFICULTIES) for ex in EXERCISES.values()}
    assert all({"easy", "medium", "hard"} <= set(d) for d in listed.values())


def _ticket_writer(text: str) -> Any:
    fault = types.SimpleNamespace(ticket=lambda params, difficulty, facts: Ticket(text))
    return types.SimpleNamespace(ID="toy", FAULTS={"f": fault})


FACTS = SampleFacts(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 31), timezone="UTC", spec=None)
CHOSEN = [types.SimpleNamespace(id="f", params={})]


@pytest.mark.parametrize("text", [
    "The churn model's precision fell after spend_7d changed.",
    "Something in features.py is off.",
    "The bug is in pipeline.joins, says the analyst.",
])
def test_an_expert_ticket_naming_a_column_or_module_is_refused(text: str) -> None:
    names = {"spend_7d", "features.py", "pipeline.features", "pipeline.joins", "joins.py"}
    with pytest.raises(TicketError, match="expert tickets report symptoms"):
        write_tickets(_ticket_writer(text), CHOSEN, "expert", FACTS, {"f": None}, names)  # type: ignore[dict-item]
    # The same words are fine below expert.
    assert write_tickets(_ticket_writer(text), CHOSEN, "hard", FACTS, {"f": None}, names)[0].text == text  # type: ignore[dict-item]


def test_an_expert_ticket_reporting_a_symptom_passes() -> None:
    text = "Finance says weekend revenue in the board report is a fifth lower than the order system's."
    names = {"revenue_usd", "features.py"}
    assert write_tickets(_ticket_writer(text), CHOSEN, "expert", FACTS, {"f": None}, names)[0].text == text  # type: ignore[dict-item]


def test_an_expert_draw_holds_an_interacting_pair_and_a_narrow_fault() -> None:
    exercise = _offering_expert("card-transactions")
    ids = list(exercise.FAULTS)
    exercise.INTERACTING = ((ids[0], ids[3]), (ids[1], ids[5]))
    exercise.NARROW = (ids[6],)
    for i in range(8):
        chosen = {f.id for f in draw(exercise, seed=f"pair-{i}", attempt=0, difficulty="expert", rows=3000).faults}
        assert any({a, b} <= chosen for a, b in exercise.INTERACTING), chosen
        assert ids[6] in chosen


def _trace(*cells: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(cells, columns=["id", "column"])


def test_the_expert_self_check_wants_a_narrow_trace_and_an_interaction() -> None:
    exercise = types.SimpleNamespace(INTERACTING=(("a", "b"),))
    wide = Footprint({"days.affected": 9, "rows.share": 0.3})
    slim = Footprint({"days.affected": 1, "rows.share": 0.01})
    overlapping = {"a": _trace(("k1", "x"), ("k2", "x")), "b": _trace(("k2", "x"))}
    apart = {"a": _trace(("k1", "x")), "b": _trace(("k2", "x"))}
    _check_expert(exercise, {"a": wide, "b": slim}, overlapping, ["id"])  # type: ignore[arg-type]
    with pytest.raises(SelfCheckFailed, match="narrow slice"):
        _check_expert(exercise, {"a": wide, "b": wide}, overlapping, ["id"])  # type: ignore[arg-type]
    with pytest.raises(SelfCheckFailed, match="interacts"):
        _check_expert(exercise, {"a": wide, "b": slim}, apart, ["id"])  # type: ignore[arg-type]
