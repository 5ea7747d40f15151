"""signals.tests through the real `faultline grade` (local sandbox): the candidate's own tests
run against their pipeline, the reference, the bundle and each single-fault pipeline.

Per exercise, the reference solution plus a test file that catches exactly one fault
(tests/signal_cases.py); then, on one exercise, tests that fail on the reference, no tests,
a key made before renders existed, a damaged renders/ folder and a hanging test.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from faultline.harness.signals.junit import read_report
from tests.conftest import Variants
from tests.helpers import copy_tree, faultline, grade_local
from tests.signal_cases import CASES, RETAIL
from tests.test_debrief import render

# Grades a dozen submissions, each with several pytest runs: minutes, so `make test-slow`.
pytestmark = pytest.mark.slow


def variant(variants: Variants, exercise: str) -> Path:
    caught, other, _ = CASES[exercise]
    return variants.get(exercise, "signals", rows=3000, faults=[caught, other])


def with_tests(key: Path, dest: Path, files: dict[str, str]) -> Path:
    """The reference solution with the candidate's files added (paths relative to the workspace)."""
    submission = copy_tree(key / "solution", dest)
    for path, text in files.items():
        (submission / path).parent.mkdir(parents=True, exist_ok=True)
        (submission / path).write_text(text)
    return submission


def signal_of(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "graded", result
    signal: dict[str, Any] = result["signals"]["tests"]
    return signal


@pytest.mark.parametrize("exercise", sorted(CASES))
def test_a_test_catches_exactly_its_fault(exercise: str, variants: Variants, tmp_path: Path) -> None:
    caught, other, text = CASES[exercise]
    key = variant(variants, exercise) / "key"
    submission = with_tests(key, tmp_path / "sub", {"tests/test_guard.py": text})
    code, result = grade_local(submission, key, tmp_path / "out", "--test-points", "5")
    assert code == 0
    signal = signal_of(result)
    assert signal["own_suite"]["outcome"] == "passed", signal
    assert signal["own_suite"]["tests"] == text.count("\ndef test_")
    assert signal["faults"][caught]["caught"] is True, signal
    assert signal["faults"][caught]["tests"] and all(t.startswith("tests/test_guard.py::")
                                                      for t in signal["faults"][caught]["tests"])
    assert signal["faults"][other] == {"caught": False, "tests": [], "message": signal["faults"][other]["message"]}
    assert signal["bundle"]["caught"] is True and signal["bundle"]["tests"] == signal["faults"][caught]["tests"]
    assert signal["not_attributable"] == []
    # --test-points 5: 5 for the caught fault, out of 5 per fault.
    assert (signal["points"], signal["max_points"]) == (5, 10)
    # The poisoned exports are a signal of their own, added beside the tests' points.
    poisoned = result["signals"]["poisoned"]
    assert result["score_parts"]["signals"] == 5 + poisoned["points"]
    fault_points = sum(f["max_points"] for f in result["faults"])
    assert (result["score"], result["max_score"]) == (
        fault_points + 5 + poisoned["points"], fault_points + 10 + poisoned["max_points"])
    assert signal["seconds"] > 0
    # The public tests that came with the bundle never count.
    public = json.loads((key / "renders" / "public_tests.json").read_text())["node_ids"]
    assert public and not set(public) & set(signal["faults"][caught]["tests"])
    # The interviewer sees it in the debrief, in a browser.
    page = render(tmp_path / "out" / "debrief.html", tmp_path / "profile")
    assert f"{caught} caught {signal['faults'][caught]['tests'][0]}" in page.text
    assert f"{other} not caught" in page.text
    assert "signal tests 5/10" in page.text
    markdown = (tmp_path / "out" / "debrief.md").read_text()
    assert "Candidate's tests against the faults: measured: all" in markdown


def test_tests_that_fail_on_the_reference_are_not_attributable(variants: Variants, tmp_path: Path) -> None:
    """A test of code the candidate added (a new module) cannot run on the reference."""
    key = variant(variants, "retail-events") / "key"
    validate = "def one_row_per_event(frame):\n    return not frame['event_id'].duplicated().any()\n"
    uses_it = (
        "import pandas as pd\n\nfrom pipeline.validate import one_row_per_event\n\n\n"
        "def test_flags_duplicates():\n"
        "    assert not one_row_per_event(pd.DataFrame({'event_id': ['a', 'a']}))\n"
    )
    imports_late = (
        "def test_validation_exists():\n"
        "    from pipeline import validate\n\n"
        "    assert callable(validate.one_row_per_event)\n"
    )
    submission = with_tests(key, tmp_path / "sub", {
        "pipeline/validate.py": validate, "tests/test_validate.py": uses_it, "tests/test_late.py": imports_late,
    })
    code, result = grade_local(submission, key, tmp_path / "out")
    assert code == 0
    signal = signal_of(result)
    assert signal["own_suite"]["outcome"] == "passed", signal
    assert signal["not_attributable"] == [
        "tests/test_late.py::test_validation_exists", "tests/test_validate.py::test_flags_duplicates",
    ]
    assert not any(entry["caught"] for entry in signal["faults"].values())
    assert signal["bundle"] == {"caught": False, "tests": []}
    assert (signal["points"], signal["max_points"]) == (0, 0) and result["score_parts"]["signals"] == 0
    markdown = (tmp_path / "out" / "debrief.md").read_text()
    assert "not attributable (fail on the reference): tests/test_late.py::test_validation_exists" in markdown


def test_own_failures_are_reported_and_still_count_where_the_reference_passes(
    variants: Variants, tmp_path: Path
) -> None:
    """A test that fails on the candidate's own pipeline is listed; it may still catch a fault."""
    key = variant(variants, "retail-events") / "key"
    submission = with_tests(key, tmp_path / "sub", {"tests/test_guard.py": RETAIL})
    joins = submission / "pipeline" / "joins.py"
    # The candidate's own pipeline reintroduces the fan-out: their guard fails on their own code.
    shutil.copyfile(key / "renders" / "product-fanout" / "pipeline" / "joins.py", joins)
    code, result = grade_local(submission, key, tmp_path / "out")
    assert code == 0
    signal = signal_of(result)
    assert signal["own_suite"]["outcome"] == "failed"
    failed = signal["own_suite"]["failed"]
    assert "tests/test_guard.py::test_catalogue_reexports_do_not_multiply_events" in failed
    assert signal["own_suite"]["tests"] == 2 and set(failed) <= set(signal["faults"]["product-fanout"]["tests"])
    assert signal["faults"]["product-fanout"]["caught"] is True


def test_no_tests_and_keys_without_renders(variants: Variants, tmp_path: Path) -> None:
    key = variant(variants, "retail-events") / "key"
    # The reference as is: its tests/ are the bundle's public tests, unchanged.
    code, result = grade_local(key / "solution", key, tmp_path / "ref", "--test-points", "3")
    assert code == 0
    signal = signal_of(result)
    assert signal["own_suite"]["outcome"] == "no tests"
    assert not any(entry["caught"] for entry in signal["faults"].values())
    assert (signal["points"], signal["max_points"]) == (0, 6)
    # No tests/ folder at all.
    bare = copy_tree(key / "solution", tmp_path / "bare")
    shutil.rmtree(bare / "tests")
    _, result = grade_local(bare, key, tmp_path / "bare-out")
    assert signal_of(result)["own_suite"] == {
        "outcome": "no tests", "message": "the submission has no tests/ folder", "tests": 0, "failed": [],
    }
    # A tests/ folder whose only new test is skipped: nothing of the candidate's ran.
    skipped = with_tests(key, tmp_path / "skipped", {
        "tests/test_later.py": "import pytest\n\n\n@pytest.mark.skip\ndef test_later():\n    pass\n"})
    _, result = grade_local(skipped, key, tmp_path / "skipped-out")
    assert signal_of(result)["own_suite"]["outcome"] == "no tests"
    # A key made before renders existed grades as before: not measured, no signal points.
    old = copy_tree(key, tmp_path / "old-key")
    shutil.rmtree(old / "renders")
    submission = with_tests(key, tmp_path / "sub", {"tests/test_guard.py": RETAIL})
    code, result = grade_local(submission, old, tmp_path / "old", "--test-points", "3")
    assert code == 0 and result["status"] == "graded"
    assert "tests" not in result.get("signals", {})
    poisoned_max = result["signals"]["poisoned"]["max_points"]
    assert result["max_score"] == sum(f["max_points"] for f in result["faults"]) + poisoned_max
    assert "Candidate's tests against the faults: not measured" in (tmp_path / "old" / "debrief.md").read_text()


def test_a_damaged_renders_folder_is_a_usage_error(variants: Variants, tmp_path: Path) -> None:
    key = copy_tree(variant(variants, "retail-events") / "key", tmp_path / "key")
    shutil.rmtree(key / "renders" / "leading-zero-ids")
    proc = faultline("grade", key / "solution", "--key", key, "--out", tmp_path / "out", "--sandbox", "local")
    assert proc.returncode == 2
    assert "renders/leading-zero-ids/pipeline/__main__.py is missing" in proc.stderr.strip().splitlines()[-1]


def test_a_hanging_test_times_out_and_the_submission_is_still_graded(variants: Variants, tmp_path: Path) -> None:
    key = variant(variants, "retail-events") / "key"
    hang = "import time\n\n\ndef test_waits_forever():\n    time.sleep(3600)\n"
    submission = with_tests(key, tmp_path / "sub", {"tests/test_guard.py": RETAIL, "tests/test_hang.py": hang})
    began = time.monotonic()
    code, result = grade_local(submission, key, tmp_path / "out", "--timeout", "5")
    assert code == 0 and time.monotonic() - began < 60
    assert result["score"] == result["max_score"]  # the pipeline is the reference: still graded in full
    signal = signal_of(result)
    assert signal["own_suite"]["outcome"] == "timed out"
    assert all(not e["caught"] and e["message"].startswith("not measured") for e in signal["faults"].values())


def test_junit_node_ids(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        '<testcase classname="" name="tests.test_b" file="tests/test_b.py"><error message="collection failure"/>'
        '</testcase>'
        '<testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py" line="1"/>'
        '<testcase classname="tests.test_a" name="test_fail" file="tests/test_a.py"><failure/></testcase>'
        '<testcase classname="tests.test_a" name="test_p[a.b c]" file="tests/test_a.py"><error/></testcase>'
        '<testcase classname="tests.test_a.TestK" name="test_m" file="tests/test_a.py"><skipped/></testcase>'
        '<testcase classname="elsewhere" name="test_x" file="tests/test_a.py"/>'
        '</testsuite></testsuites>'
    )
    read = read_report(report)
    assert read is not None
    assert read.outcomes == {
        "tests/test_a.py::test_ok": "passed", "tests/test_a.py::test_fail": "failed",
        "tests/test_a.py::test_p[a.b c]": "error", "tests/test_a.py::TestK::test_m": "skipped",
    }
    assert read.broken_files == {"tests/test_b.py"}
    report.write_text("<html/>")
    assert read_report(report) is None
    report.write_text("<testsuites><testcase")
    assert read_report(report) is None
