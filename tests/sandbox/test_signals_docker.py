"""signals.tests in Docker: the candidate's tests run as hardened as the pipeline does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Variants
from tests.helpers import ROOT, copy_tree
from tests.signal_cases import CASES, RETAIL

from .conftest import assert_nothing_left

# Passes only where the run is locked down: no network, a read-only workspace, not root.
LOCKED_DOWN = '''import os
import socket

import pytest


def test_no_network():
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=2)


def test_the_workspace_is_read_only():
    with pytest.raises(OSError):
        open("written-by-a-test.txt", "w")


def test_not_root():
    assert os.getuid() != 0
'''


@pytest.mark.docker
def test_the_candidates_tests_run_hardened_and_catch_their_fault(
    variants: Variants, sandbox_image: str, engine: Any, tmp_path: Path
) -> None:
    caught, other, _ = CASES["retail-events"]
    key = variants.get("retail-events", "signals", rows=3000, faults=[caught, other]) / "key"
    submission = copy_tree(key / "solution", tmp_path / "sub")
    (submission / "tests" / "test_guard.py").write_text(RETAIL)
    (submission / "tests" / "test_locked.py").write_text(LOCKED_DOWN)
    proc = subprocess.run(
        [sys.executable, "-m", "faultline", "grade", str(submission), "--key", str(key), "--out",
         str(tmp_path / "out"), "--test-points", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    assert result["sandbox"] == "docker" and result["status"] == "graded"
    signal = result["signals"]["tests"]
    assert signal["own_suite"]["outcome"] == "passed", signal["own_suite"]
    assert signal["own_suite"]["tests"] == 5
    assert signal["faults"][caught]["caught"] and not signal["faults"][other]["caught"]
    assert all(t.startswith("tests/test_guard.py::") for t in signal["faults"][caught]["tests"])
    assert signal["not_attributable"] == []
    # The poisoned exports' points sit beside the tests' points in score_parts.signals.
    poisoned = result["signals"]["poisoned"]["points"]
    assert result["score_parts"]["signals"] == 2 + poisoned and signal["max_points"] == 4
    assert_nothing_left(engine)


@pytest.mark.docker
def test_a_test_that_kills_every_process_costs_only_the_signal(
    variants: Variants, sandbox_image: str, engine: Any, tmp_path: Path
) -> None:
    from faultline.harness.grading import grade

    caught, other, _ = CASES["retail-events"]
    key = variants.get("retail-events", "signals", rows=3000, faults=[caught, other]) / "key"
    submission = copy_tree(key / "solution", tmp_path / "sub")
    (submission / "tests" / "test_kill.py").write_text(
        "import os\nimport signal\nimport subprocess\n\n\ndef test_kill_everything():\n"
        "    subprocess.Popen(['sh', '-c', 'setsid sleep 1000 &'])\n    os.kill(-1, signal.SIGKILL)\n"
    )
    result = grade(submission, key, sandbox="docker")
    assert result.status.value == "graded" and result.score == result.doc["max_score"]
    own = result.doc["signals"]["tests"]["own_suite"]
    assert own["outcome"] == "error" and "killed" in own["message"], own
    assert_nothing_left(engine)
