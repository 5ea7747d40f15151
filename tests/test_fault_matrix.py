"""The fault matrix, through the real grading on every fault of every exercise.

For one variant per exercise with all of its faults on: the untouched bundle fails exactly
its faults' graders, the solution passes everything, and a bundle with one fault fixed
flips exactly that fault.

One seed per exercise: `new` already checks this matrix for every variant it hands out
(each all-but-one render flips exactly its fault, with the graders' own comparison), so
more seeds here would repeat the self-check. What this test adds is that the graders, run
the way `grade` runs them, agree with it. It grades in-process with the local sandbox:
the CLI and Docker have their own tests.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from tests.helpers import fixed_faults, grade_inproc, workspace_with

# Every fault of every exercise on, graded whole and one fix at a time: minutes, so
# `make test-slow` (variant making checks the same matrix on every variant it makes).
pytestmark = pytest.mark.slow

EXERCISE_CASES = [pytest.param(e, marks=pytest.mark.xdist_group(e)) for e in EXERCISES]
FAULT_CASES = [
    pytest.param(e, f, marks=pytest.mark.xdist_group(e)) for e in EXERCISES for f in EXERCISES[e].FAULTS
]


@pytest.mark.parametrize("exercise", EXERCISE_CASES)
def test_bundle_fails_exactly_its_faults(exercise: str, full_variant: Callable[[str], Path]) -> None:
    root = full_variant(exercise)
    result = grade_inproc(root / "candidate", root / "key")
    assert result["status"] == "graded", result["message"]
    assert {f["id"] for f in result["faults"]} == set(EXERCISES[exercise].FAULTS)
    assert fixed_faults(result) == set(), result["faults"]
    # The faults are silent: schema and untouched cells are still right.
    assert result["checks"] and all(c["passed"] for c in result["checks"]), result["checks"]


@pytest.mark.parametrize("exercise", EXERCISE_CASES)
def test_solution_passes_everything(exercise: str, full_variant: Callable[[str], Path]) -> None:
    key = full_variant(exercise) / "key"
    result = grade_inproc(key / "solution", key)
    assert result["status"] == "graded", result["message"]
    assert fixed_faults(result) == set(EXERCISES[exercise].FAULTS)
    assert result["score"] == result["max_score"] > 0


@pytest.mark.parametrize(("exercise", "fault"), FAULT_CASES)
def test_fixing_one_fault_flips_exactly_it(
    exercise: str, fault: str, full_variant: Callable[[str], Path], tmp_path: Path
) -> None:
    key = full_variant(exercise) / "key"
    workspace = workspace_with(key, set(EXERCISES[exercise].FAULTS) - {fault}, tmp_path / "ws")
    result = grade_inproc(workspace, key)
    assert result["status"] == "graded", result["message"]
    assert fixed_faults(result) == {fault}, result["faults"]
    assert all(c["passed"] for c in result["checks"]), result["checks"]
