"""`faultline grade` end to end in Docker: the solution, the bundle, every hostile
submission and archive, and a host without an engine."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from faultline.harness.grading import grade
from tests.helpers import ROOT, fixed_faults
from tests.test_intake import HOSTILE_ARCHIVES

from .conftest import HOSTILE, TEST_LIMITS, assert_nothing_left, temp_folders
from .test_hostile import CASES

# Every hostile case scores zero whatever it does; a short overall deadline keeps the hanging
# ones from costing three timeouts each, and shows the deadline end to end.
GRADE_LIMITS = dataclasses.replace(TEST_LIMITS, deadline=8.0)


def _cli(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "faultline", *map(str, args)], capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=900,
    )


@pytest.mark.docker
def test_solution_full_marks_bundle_zero(
    small_variant: Path, sandbox_image: str, engine: Any, tmp_path: Path
) -> None:
    key = small_variant / "key"
    proc = _cli("grade", key / "solution", "--key", key, "--out", tmp_path / "sol", "--junit", tmp_path / "j.xml")
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "sol" / "result.json").read_text())
    assert result["schema"] == "faultline.result/2" and result["sandbox"] == "docker"
    assert result["status"] == "graded" and result["score"] == result["max_score"]
    assert "testcase" in (tmp_path / "j.xml").read_text()
    assert (tmp_path / "sol" / "report.html").is_file()
    assert [r["exit_code"] for r in result["runs"]] == [0, 0, 0]

    proc = _cli("grade", small_variant / "candidate.zip", "--key", key, "--out", tmp_path / "cand", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert fixed_faults(result) == set()
    assert all(c["passed"] for c in result["checks"])
    assert_nothing_left(engine)


# Cases that only exhaust a resource: tests/sandbox/test_hostile.py shows the sandbox contains
# each of them on every `make test`; graded end to end (a zero, nothing left) they add a
# minute, so they run in the slow sweep. fork_bomb_then_ok stays here: a hanging run under
# the short deadline, then a container that recovers, end to end.
RESOURCE_ONLY = frozenset({
    "fork_bomb", "cpu_spin", "sigterm_sleeper", "thread_bomb", "memory_bomb", "double_fork_daemon",
    "disk_fill_tmp", "disk_fill_output", "stdout_flood", "endless_line",
})


@pytest.mark.docker
@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.slow) if c in RESOURCE_ONLY else c for c in sorted(CASES)]
)
def test_hostile_submission_is_graded_zero(
    case: str, small_variant: Path, sandbox_image: str, engine: Any
) -> None:
    assert CASES[case]["grade"] == "zero"
    before = temp_folders()
    began = time.monotonic()
    result = grade(HOSTILE / case, small_variant / "key", sandbox="docker", limits=GRADE_LIMITS)
    took = time.monotonic() - began
    assert result.status.value == "graded", result.doc["message"]
    assert result.score == 0, result.doc["faults"]
    assert_nothing_left(engine)
    assert temp_folders() <= before, "temporary folders left behind"
    # The run phase is bounded by the overall deadline, whatever the case does.
    assert result.doc["timings"]["run_phase_seconds"] < GRADE_LIMITS.overall_deadline() + 10, result.doc["timings"]
    if case in ("deep_folder", "empty_folders"):
        timings = result.doc["timings"]
        assert timings["run_phase_seconds"] < 10, f"runs and collection took {timings}"
    if case in ("deep_folder", "empty_folders"):
        # It took 72 s before collection was bounded. Beyond the run phase: container starts,
        # the graders, and the engine removing what the first run made before it was stopped
        # (about 1 ms a folder on a busy disk); later runs of empty_folders never start.
        assert took < 20, f"grading {case} took {took:.1f} s"


@pytest.mark.docker
def test_starved_pipeline_is_still_graded(small_variant: Path, sandbox_image: str, engine: Any) -> None:
    # The graders keep their own limits: a candidate's 50 MiB starves only the candidate.
    limits = dataclasses.replace(TEST_LIMITS, memory=50 * 1024**2)
    result = grade(small_variant / "key" / "solution", small_variant / "key", sandbox="docker", limits=limits)
    assert result.status.value == "graded", result.doc["message"]
    assert {r["killed_reason"] for r in result.doc["runs"]} == {"memory"}, result.doc["runs"]
    assert result.doc["checks"], "the graders reported nothing"
    assert_nothing_left(engine)


@pytest.mark.parametrize("case", sorted(HOSTILE_ARCHIVES))
def test_hostile_archive_is_rejected(case: str, small_variant: Path, tmp_path: Path) -> None:
    make, words = HOSTILE_ARCHIVES[case]
    archive = make(tmp_path)
    # Rejection happens at intake, before any sandbox starts: the local sandbox is enough.
    result = grade(archive, small_variant / "key", sandbox="local")
    assert result.status.value == "rejected" and result.score == 0
    assert words in result.doc["message"]


def test_rejected_submission_exits_zero_with_one_line(small_variant: Path, tmp_path: Path) -> None:
    make, _ = HOSTILE_ARCHIVES["tar_dotdot"]
    proc = _cli("grade", make(tmp_path), "--key", small_variant / "key", "--out", tmp_path / "g",
                "--sandbox", "local")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "status: rejected" in proc.stdout


def test_no_engine_is_an_infrastructure_error(small_variant: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    proc = _cli("grade", small_variant / "key" / "solution", "--key", small_variant / "key",
                "--out", tmp_path / "g", env=env)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    result = json.loads((tmp_path / "g" / "result.json").read_text())
    assert result["status"] == "infrastructure_error" and result["score"] is None
    assert "ensure-engine" in result["message"] or "image build" in result["message"]
