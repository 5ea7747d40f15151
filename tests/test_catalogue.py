"""The catalogue's breadth and the variety of its variants."""
from __future__ import annotations

import json

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.commands.list import catalogue
from faultline.harness.variant import draw


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_at_least_90_distinct_variants_in_100_seeds(exercise: str) -> None:
    seen = set()
    for i in range(100):
        for difficulty in ("medium",):
            v = draw(EXERCISES[exercise], seed=f"u{i}", attempt=0, difficulty=difficulty)
            seen.add(json.dumps([[f.id, dict(f.params)] for f in v.faults], sort_keys=True))
    print(f"{exercise}: {len(seen)} distinct variants (faults + parameters) over 100 seeds")
    assert len(seen) >= 90


def test_fault_ids_are_unique_and_described() -> None:
    doc = catalogue()
    ids = [f["id"] for e in doc["exercises"] for f in e["faults"]]
    assert len(ids) == len(set(ids))
    for exercise in doc["exercises"]:
        assert exercise["title"] and len(exercise["faults"]) >= 5
        for fault in exercise["faults"]:
            assert fault["family"] and fault["title"]


def test_fault_parameters_come_from_their_own_stream() -> None:
    # Turning another fault on or off must not change a fault's parameters.
    ex = EXERCISES["retail-events"]
    a = draw(ex, seed="s", attempt=0, fault_ids=["cents-cutover"])
    b = draw(ex, seed="s", attempt=0, fault_ids=["leading-zero-ids", "cents-cutover"])
    assert a.faults[0].params == b.faults[1].params
    # And the data knobs do not reveal which faults are on.
    assert a.knobs == b.knobs
