"""A leaked solution does not pass another variant, and the grade says it is not from there.

Each variant draws its own slice of the feature specification (windows, thresholds,
lists, units, column names), so one variant's reference solution computes another table
than the next variant's key expects. For every exercise, four variants of the same
difficulty give ten ordered pairs (A, B): A's reference solution graded with B's key must
score at most a quarter of the marks, and the integrity section says "no".
"""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.grading import grade
from faultline.harness.result import Result
from tests.helpers import new_variant, variant_doc

# Twelve variants and sixty-six grades: minutes, not seconds.
pytestmark = pytest.mark.slow

VARIANTS = 4
PAIRS = 10
ROWS = 3000
DIFFICULTY = "medium"


@pytest.fixture(scope="module", params=list(EXERCISES))
def variants(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    exercise = str(request.param)
    root = tmp_path_factory.mktemp(f"leak-{exercise}")
    return [
        new_variant(root / f"v{i}", exercise, f"leak-{i}", rows=ROWS, difficulty=DIFFICULTY)
        for i in range(VARIANTS)
    ]


def _grade(submission: Path, key: Path) -> Result:
    return grade(submission, key, sandbox="local")


def _share(result: Result) -> float:
    return (result.score or 0) / int(result.doc["max_score"])


@pytest.fixture(scope="module")
def cross_grades(
    variants: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[str, Result, Result]]:
    """Each pair's grades: A's solution as it leaked, and its pipeline copied into B's bundle."""
    exercise = variant_doc(variants[0] / "key")["exercise"]
    tmp = tmp_path_factory.mktemp(f"cross-{exercise}")
    graded = []
    for a, b in list(itertools.permutations(range(VARIANTS), 2))[:PAIRS]:
        solution, key = variants[a] / "key" / "solution", variants[b] / "key"
        as_leaked = _grade(solution, key)
        workspace = shutil.copytree(variants[b] / "candidate", tmp / f"ws-{a}-{b}")
        shutil.rmtree(workspace / "pipeline")
        shutil.copytree(solution / "pipeline", workspace / "pipeline")
        copied = _grade(workspace, key)
        line = (
            f"{exercise} solution v{a} -> key v{b}: {as_leaked.score}/{as_leaked.doc['max_score']} "
            f"as leaked ({as_leaked.doc['integrity']['variant_match']}), "
            f"{copied.score}/{copied.doc['max_score']} copied into the bundle "
            f"({copied.doc['integrity']['variant_match']})"
        )
        graded.append((line, as_leaked, copied))
    print("\n" + "\n".join(line for line, _, _ in graded))
    return graded


def test_a_leaked_solution_is_flagged_as_another_variant(cross_grades: list[tuple[str, Result, Result]]) -> None:
    for line, *results in cross_grades:
        for result in results:
            assert result.status.value == "graded", line
            assert result.doc["integrity"]["variant_match"] == "no", (line, result.doc["integrity"])
            assert result.doc["integrity"]["identical_to_reference"] is False, line


def test_a_leaked_solution_scores_at_most_a_quarter(cross_grades: list[tuple[str, Result, Result]]) -> None:
    over = [line for line, *results in cross_grades if any(_share(r) > 0.25 for r in results)]
    assert not over, "\n".join(over)


def test_the_own_solution_scores_full_marks_and_is_flagged(variants: list[Path]) -> None:
    """The control: the same grading gives the variant's own solution every mark."""
    key = variants[0] / "key"
    result = _grade(key / "solution", key)
    assert result.score == result.doc["max_score"]
    assert result.doc["integrity"]["identical_to_reference"] is True
    untouched = _grade(variants[0] / "candidate", key)
    assert untouched.doc["integrity"]["variant_match"] == "yes"
    assert untouched.doc["integrity"]["identical_to_reference"] is False


def test_variants_publish_different_specifications(variants: list[Path]) -> None:
    specs = [variant_doc(v / "key")["spec"] for v in variants]
    assert len({repr(sorted(s.items())) for s in specs}) == len(specs)
    readmes = {(v / "candidate" / "README.md").read_text() for v in variants}
    assert len(readmes) == len(variants)
