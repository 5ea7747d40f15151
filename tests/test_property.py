"""Random variants across exercises and difficulties pass their self-check and grade the
solution at full marks (slow: CI runs it)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.variant import new_seed
from tests.helpers import grade_inproc, new_variant

# 40 rather than 50: at 15-25 s a case on two workers the sweep fits in .ci/run's 25 minutes.
COUNT = 40
_rng = random.Random(20261126)
CASES = [
    (_rng.choice(sorted(EXERCISES)), _rng.choice(("easy", "medium", "hard")), f"p{i}-{_rng.getrandbits(64)}")
    for i in range(COUNT)
]


@pytest.mark.slow
@pytest.mark.parametrize(("exercise", "difficulty", "seed"), CASES)
def test_random_variant_grades_solution_full(exercise: str, difficulty: str, seed: str, tmp_path: Path) -> None:
    root = new_variant(tmp_path / "v", exercise, seed, rows=3000, difficulty=difficulty)
    result = grade_inproc(root / "key" / "solution", root / "key")
    assert result["status"] == "graded"
    assert result["score"] == result["max_score"], result["faults"]


def test_random_seeds_are_fresh() -> None:
    assert new_seed() != new_seed()
