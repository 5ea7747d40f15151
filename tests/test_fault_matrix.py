"""The fault matrix, through the real `grade` on every fault of every exercise.

For each variant (all of the exercise's faults on): the untouched bundle fails exactly
its faults' graders, the solution passes everything, and a bundle with one fault fixed
flips exactly that fault.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from tests.helpers import fixed_faults, grade_local, new_variant, workspace_with

# retail-events is the core loop's exercise: five seeds; the others three each.
SEEDS = {"retail-events": ["m1", "m2", "m3", "m4", "m5"]}
CASES = [
    (exercise, seed)
    for exercise in EXERCISES
    for seed in SEEDS.get(exercise, ["m1", "m2", "m3"])
]


@pytest.mark.parametrize(("exercise", "seed"), CASES)
def test_fault_matrix(exercise: str, seed: str, tmp_path: Path) -> None:
    all_faults = list(EXERCISES[exercise].FAULTS)
    root = new_variant(tmp_path / "v", exercise, seed, rows=5000, faults=all_faults)
    key = root / "key"

    code, result = grade_local(root / "candidate", key, tmp_path / "g-bundle")
    assert code == 0 and result["status"] == "graded"
    assert fixed_faults(result) == set(), result["faults"]
    assert all(c["passed"] for c in result["checks"]), result["checks"]

    code, result = grade_local(key / "solution", key, tmp_path / "g-solution")
    assert fixed_faults(result) == set(all_faults)
    assert result["score"] == result["max_score"]

    for fid in all_faults:
        workspace = workspace_with(key, set(all_faults) - {fid}, tmp_path / f"fix-{fid}")
        code, result = grade_local(workspace, key, tmp_path / f"g-{fid}")
        assert fixed_faults(result) == {fid}, (fid, result["faults"])
        assert all(c["passed"] for c in result["checks"]), (fid, result["checks"])
