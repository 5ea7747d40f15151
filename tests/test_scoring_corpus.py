"""The candidate corpus, through the real `grade`: faults fixed and score as an expert judges.

One variant per exercise is made once per session (small, fixed faults); every case is
graded with the local sandbox through the CLI's entry point, two at a time.
"""
from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest

from tests.corpus.cases import CASES, FAULTS, Case
from tests.corpus.run import grade, workspace
from tests.helpers import new_variant

ROWS = 3000
# One worker grades the whole corpus once (a module fixture): spread over both, each would.
# Thirty grades through the real CLI: minutes, so `make test-slow`.
pytestmark = [pytest.mark.xdist_group("corpus"), pytest.mark.slow]
# Cases where grade and the expert disagree, each with its cause (none today).
DISAGREE: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    root = tmp_path_factory.mktemp("corpus")
    variants = {
        exercise: new_variant(root / exercise, exercise, "corpus", rows=ROWS, faults=list(ids))
        for exercise, ids in FAULTS.items()
    }

    def run(case: Case) -> dict[str, Any]:
        folder = root / "cases" / case.exercise / case.name
        ws = workspace(case, variants[case.exercise], folder / "submission")
        code, result = grade(ws, variants[case.exercise] / "key", folder / "out")
        assert code == 0, (case.name, result["message"])
        return result

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = {(c.exercise, c.name): pool.submit(run, c) for c in CASES}
        return {k: f.result() for k, f in futures.items()}


def _param(case: Case) -> Any:
    marks = []
    if (case.exercise, case.name) in DISAGREE:
        marks.append(pytest.mark.xfail(reason=DISAGREE[(case.exercise, case.name)], strict=True))
    return pytest.param(case, id=f"{case.exercise}/{case.name}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_grade_agrees_with_the_expert(case: Case, graded: dict[tuple[str, str], dict[str, Any]]) -> None:
    result = graded[(case.exercise, case.name)]
    assert result["status"] == "graded", result["message"]
    fixed = {f["id"] for f in result["faults"] if f["fixed"]}
    messages = {f["id"]: f["message"] for f in result["faults"] if f["fixed"] != (f["id"] in case.fixed)}
    assert fixed == set(case.fixed), (case.why, messages)
    low, high = case.band
    # The bands judge the fault points: poisoned exports are a signal of their own (scored
    # apart, in score_parts.signals, and tested in test_poisoned).
    parts = result["score_parts"]
    poisoned = result["signals"]["poisoned"]
    share = max(0, parts["faults"] + parts["regression"]) / (result["max_score"] - poisoned["max_points"])
    assert low - 1e-9 <= share <= high + 1e-9, (case.why, result["score"], result["score_parts"])
    # Fault points come from faults only; the regression only ever takes away.
    assert parts["signals"] == poisoned["points"]
    assert parts["faults"] == sum(f["points"] for f in result["faults"] if f["fixed"])
    assert parts["regression"] <= 0
    assert result["score"] == max(0, sum(parts.values()))
