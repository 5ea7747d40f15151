"""signals.tests: the candidate's own tests, run against their pipeline, the reference, the
untouched bundle and each single-fault pipeline.

Each run is pytest over the submission's ``tests/`` in a copy of its workspace whose
``pipeline/`` package is swapped for the target's, inside the sandbox with the run phase's
limits, at most ``TEST_RUN_SECONDS`` per run, and within what is left of the submission's
overall deadline (the pipeline's runs and these share it). One sandbox run does them all:
``suite_runner.py`` imports pandas, pyarrow and pytest once and forks a child per target,
which saves about a second of imports per target. The submission's own pipeline goes first;
when the suite times out there, nothing else is run.

A fault is **caught** when at least one of the candidate's tests fails (or errors) on that
fault's pipeline and passes on the reference. A test that fails or errors on the reference
is **not attributable** (a changed signature, a test of new code) and never counts. The
public tests that came with the bundle are left out of every run and never count.

This is evidence, written by processes that ran the candidate's code: a test can be written
to fail on anything but its author's pipeline, so the debrief names the tests that catch a
fault for the interviewer to read. ``--test-points N`` makes it score (``apply``).
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from faultline.graders import scoring
from faultline.harness.archive import sha256_file
from faultline.harness.sandbox.base import Limits, RunResult, RunSpec, Sandbox
from faultline.harness.signals import suite_runner
from faultline.harness.signals.junit import ERROR, FAILED, JUNIT_OPTIONS, PASSED, SKIPPED, Report, file_of, read_report
from faultline.harness.signals.targets import Targets

TEST_RUN_SECONDS = 60.0  # wall seconds per run of the suite (never more than --timeout)
SUBMISSION, REFERENCE, BUNDLE = "submission", "reference", "bundle"
FAULT_PREFIX = "fault-"  # a fault's run is named fault-<id>: no fault id can take another run's name
REPORT, STATUS, LOG = "junit.xml", "status.json", "pytest.log"  # per target, written in the sandbox
RUNNER = "_faultline_suite_runner.py"
SUITE = "suite"  # the one "dataset" of the sandbox run: a folder of target workspaces and the runner
NOT_RUN = "not run"
LOG_TAIL_BYTES = 8192


def pytest_args(public_ids: frozenset[str]) -> tuple[str, ...]:
    """pytest over ``tests/``, public tests deselected, no plugin autoload, no cache (the runner adds the report)."""
    return (
        "-q", "--color=no", "-p", "no:cacheprovider", "--disable-plugin-autoload",
        # A test file that cannot import on one pipeline must not stop the others from running.
        "--continue-on-collection-errors", *JUNIT_OPTIONS,
        *(f"--deselect={node}" for node in sorted(public_ids)), "tests",
    )


def suite_command(names: list[str], public_ids: frozenset[str], seconds: float) -> tuple[str, ...]:
    return ("python", "-I", RUNNER, "--seconds", f"{seconds:g}", "--out", "{output}", *names,
            "--", *pytest_args(public_ids))


@dataclasses.dataclass(frozen=True)
class Ran:
    """One run of the suite: its report, or why there is none to use."""

    report: Report | None
    problem: str | None  # "timed out", "not run", "error: ..."; None when the report is usable
    log: str


def measure(
    box: Sandbox, workspace: Path, targets: Targets, limits: Limits, scratch: Path, deadline_at: float
) -> dict[str, Any]:
    """``signals.tests`` without points (see ``apply``); ``deadline_at`` is monotonic."""
    began = time.monotonic()
    signal = _measure(box, workspace, targets, limits, scratch, deadline_at)
    signal["seconds"] = round(time.monotonic() - began, 3)
    return signal


def _measure(
    box: Sandbox, workspace: Path, targets: Targets, limits: Limits, scratch: Path, deadline_at: float
) -> dict[str, Any]:
    faults = list(targets.faults)
    tests = workspace / "tests"
    if not tests.is_dir():
        return _stopped(faults, _suite("no tests", "the submission has no tests/ folder"))
    if _only_public(workspace, tests, targets.public_files):
        return _stopped(faults, _suite("no tests", "the submission's tests/ are the bundle's, unchanged"))
    stage = scratch / SUITE
    pipelines = {SUBMISSION: None, REFERENCE: targets.reference, BUNDLE: targets.bundle,
                 **{FAULT_PREFIX + fid: path for fid, path in targets.faults.items()}}
    for name, pipeline in pipelines.items():
        _stage(workspace, pipeline, stage / name)
    shutil.copyfile(Path(suite_runner.__file__), stage / RUNNER)
    runs = _run(box, workspace, stage, list(pipelines), targets.public_ids, limits, deadline_at,
                scratch / "tests-out")
    own_suite = _own_suite(runs[SUBMISSION], targets.public_ids)
    if own_suite["outcome"] in ("no tests", "timed out", "error"):
        return _stopped(faults, own_suite)
    return _verdict(own_suite, runs[SUBMISSION], runs, faults, targets.public_ids)


def _only_public(workspace: Path, tests: Path, public: dict[str, str]) -> bool:
    """True when every file under tests/ is one of the bundle's, byte for byte."""
    for path in tests.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = str(path.relative_to(workspace))
            if public.get(rel) != sha256_file(path):
                return False
    return True


def _stage(workspace: Path, pipeline: Path | None, dest: Path) -> Path:
    """A copy of the workspace (hard links where possible) with ``pipeline/`` swapped (None: kept)."""

    def skip(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__"}
        if pipeline is not None and Path(folder) == workspace:
            skipped.add("pipeline")
        return skipped

    shutil.copytree(workspace, dest, ignore=skip, copy_function=_link_or_copy)
    if pipeline is not None:
        shutil.copytree(pipeline, dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                        copy_function=shutil.copyfile)
    return dest


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copyfile(src, dst)


def _run(
    box: Sandbox, workspace: Path, stage: Path, names: list[str], public_ids: frozenset[str], limits: Limits,
    deadline_at: float, outputs: Path,
) -> dict[str, Ran]:
    """One sandbox run of the runner over every target; each target's outcome."""
    left = deadline_at - time.monotonic()
    if left <= 0:
        return {name: Ran(None, NOT_RUN, "") for name in names}
    seconds = min(TEST_RUN_SECONDS, limits.timeout)
    spec = RunSpec(
        workspace=workspace, datasets={SUITE: stage}, command=suite_command(names, public_ids, seconds),
        in_input=True, limits=dataclasses.replace(limits, timeout=left, deadline=left),
    )
    outputs.mkdir(parents=True, exist_ok=True)
    (run,) = box.run_pipeline(spec, outputs=outputs)
    return {name: _ran(run, outputs / SUITE / name) for name in names}


def _ran(run: RunResult, out: Path) -> Ran:
    """A target's outcome from what its run left in ``out`` (untrusted: read defensively)."""
    status = _status(out / STATUS)
    log = _log_tail(out / LOG)
    if status is None:  # the runner never finished this target
        if run.killed_reason == "deadline" or run.timed_out:
            return Ran(None, NOT_RUN, run.log)
        # SIGKILL that the sandbox did not send shows as "memory": the OOM killer, or a test's kill(-1).
        what = ("was killed (out of memory, or a test killed every process)" if run.killed_reason == "memory"
                else f"was stopped ({run.killed_reason})" if run.killed_reason else f"ended (exit {run.exit_code})")
        return Ran(None, f"error: the suite runner {what} before this run finished{_tail(run.log)}", run.log)
    if status.get("timed_out") is True:
        return Ran(None, "timed out", log)
    code = status.get("exit_code")
    report = read_report(out / REPORT)
    if report is None:
        return Ran(None, f"error: pytest wrote no report (exit {code}){_tail(log)}", log)
    if code not in (0, 1, 5):  # 2 interrupted, 3 internal error, 4 usage error
        return Ran(None, f"error: pytest exited {code}{_tail(log)}", log)
    return Ran(report, None, log)


def _status(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > 4096:
            return None
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _log_tail(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - LOG_TAIL_BYTES))
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _tail(log: str) -> str:
    last = next((line.strip() for line in reversed(log.splitlines()) if line.strip()), "")
    return f": {last[:300]}" if last else ""


def _candidates(report: Report, public: frozenset[str]) -> dict[str, str]:
    return {node: outcome for node, outcome in report.outcomes.items() if node not in public}


def _suite(outcome: str, message: str, tests: int = 0, failed: list[str] | None = None) -> dict[str, Any]:
    return {"outcome": outcome, "message": message, "tests": tests, "failed": failed or []}


def _own_suite(ran: Ran, public: frozenset[str]) -> dict[str, Any]:
    if ran.problem == NOT_RUN:
        return _suite("timed out", "not run: the submission's overall deadline had passed")
    if ran.problem == "timed out":
        return _suite("timed out", f"the suite ran past {TEST_RUN_SECONDS:.0f} s (or the submission's deadline) "
                                   "on the submission's own pipeline")
    if ran.report is None:
        return _suite("error", f"the suite could not run on the submission's own pipeline: {ran.problem}")
    own = _candidates(ran.report, public)
    broken = sorted(ran.report.broken_files)
    ran_tests = [n for n, o in own.items() if o != SKIPPED]
    if not ran_tests and not broken:
        return _suite("no tests", "no test of the candidate's own (the bundle's public tests are left out)")
    failed = sorted(n for n, o in own.items() if o in (FAILED, ERROR)) + [f"{f} (collection error)" for f in broken]
    if failed:
        return _suite("failed", f"{len(failed)} of the candidate's tests fail on their own pipeline",
                      len(ran_tests), failed)
    return _suite("passed", f"all {len(ran_tests)} of the candidate's tests pass on their own pipeline",
                  len(ran_tests))


def _stopped(faults: list[str], own_suite: dict[str, Any]) -> dict[str, Any]:
    """Nothing run past the submission's own pipeline: no fault is caught, and the suite says why."""
    why = f"not measured: {own_suite['message']}" if own_suite["outcome"] != "no tests" else own_suite["message"]
    return {
        "own_suite": own_suite,
        "faults": {fid: {"caught": False, "tests": [], "message": why} for fid in faults},
        "bundle": {"caught": False, "tests": []},
        "not_attributable": [],
        "message": why,
    }


def _failing(ran: Ran, tests: list[str]) -> list[str]:
    assert ran.report is not None
    got = ran.report.outcomes
    return [t for t in tests
            if got.get(t) in (FAILED, ERROR) or (t not in got and file_of(t) in ran.report.broken_files)]


def _verdict(
    own_suite: dict[str, Any], own: Ran, runs: dict[str, Ran], faults: list[str], public: frozenset[str]
) -> dict[str, Any]:
    reference = runs[REFERENCE]
    if reference.report is None:
        why = f"not measured: on the reference pipeline the suite {_said(reference.problem)}"
        return {**_stopped(faults, own_suite), "message": why,
                "faults": {fid: {"caught": False, "tests": [], "message": why} for fid in faults}}
    assert own.report is not None
    on_reference = _candidates(reference.report, public)
    own_ids = {n for n, o in _candidates(own.report, public).items() if o != SKIPPED}
    attributable = sorted(n for n, o in on_reference.items() if o == PASSED)
    not_attributable = sorted(
        n for n in own_ids | set(on_reference)
        if on_reference.get(n) in (FAILED, ERROR)
        or (n not in on_reference and file_of(n) in reference.report.broken_files)
    )

    def catch(name: str, what: str) -> dict[str, Any]:
        ran = runs[name]
        if ran.report is None:
            return {"caught": False, "tests": [], "message": f"not measured: on {what} the suite {_said(ran.problem)}"}
        tests = _failing(ran, attributable)
        if tests:
            message = f"caught by {len(tests)} test{'s' if len(tests) > 1 else ''}: {', '.join(tests[:3])}"
        elif not attributable:
            message = "none of the candidate's tests passes on the reference, so none can catch it"
        else:
            message = f"none of the candidate's {len(attributable)} attributable tests fails on {what}"
        return {"caught": bool(tests), "tests": tests, "message": message}

    caught = {fid: catch(FAULT_PREFIX + fid, "this fault's pipeline") for fid in faults}
    bundle = catch(BUNDLE, "the untouched bundle")
    n = sum(1 for c in caught.values() if c["caught"])
    return {
        "own_suite": own_suite,
        "faults": caught,
        "bundle": {"caught": bundle["caught"], "tests": bundle["tests"]},
        "not_attributable": not_attributable,
        "message": f"{n} of {len(faults)} faults caught by the candidate's tests"
                   + (f"; {len(not_attributable)} tests not attributable (they fail on the reference)"
                      if not_attributable else ""),
    }


def _said(problem: str | None) -> str:
    if problem == NOT_RUN:
        return "was not run: the submission's overall deadline had passed"
    if problem == "timed out":
        return f"ran past {TEST_RUN_SECONDS:.0f} s"
    return f"could not run ({problem})"


def apply(doc: dict[str, Any], signal: dict[str, Any] | None, *, points_per_fault: int, faults: int) -> None:
    """Put ``signal`` into result.json's ``signals.tests``, with its points.

    ``points_per_fault`` (``--test-points``) per caught fault: ``score_parts.signals`` gains
    them and ``max_score`` gains ``points_per_fault`` times the number of faults. ``signal``
    is None when it was not measured (a key without renders): nothing changes then.
    """
    if signal is None:
        return
    caught = sum(1 for entry in signal["faults"].values() if entry["caught"])
    points = points_per_fault * caught
    signal = {**signal, "points": points, "max_points": points_per_fault * faults}
    doc.setdefault("signals", {})["tests"] = signal
    doc["max_score"] += signal["max_points"]
    parts = doc["score_parts"]
    parts["signals"] += points
    if doc["score"] is not None:
        doc["score"] = scoring.total(parts)
