"""Grading one submission: intake, run phase, check phase, result.

A candidate's failure (a crash, no entry point, garbage output) is a graded result.
Trouble on the grading host is an infrastructure error, never the candidate's zero.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from faultline import graders
from faultline.harness import intake, integrity, reference_runs
from faultline.harness.archive import sha256_file, tree_digest
from faultline.harness.errors import InfrastructureError, SubmissionRejected, UsageError
from faultline.harness.keyfile import Key, load_key
from faultline.harness.phases import CHECKS_REPORT, check_spec, run_spec
from faultline.harness.result import (
    Result,
    Submission,
    add_poisoned,
    build_result,
    infrastructure_result,
    rejected_result,
)
from faultline.harness.sandbox.base import Limits, RunResult, Sandbox
from faultline.harness.sandbox.session import temp_prefix
from faultline.harness.signals import tests as tests_signal
from faultline.harness.signals.overlap import release_while
from faultline.harness.signals.targets import Targets, load_targets

GRADERS_DIR = Path(graders.__file__).resolve().parent
SANDBOXES = ("docker", "local")


def make_sandbox(name: str) -> Sandbox:
    if name == "local":
        from faultline.harness.sandbox.local import LocalSandbox

        return LocalSandbox()
    if name == "docker":
        from faultline.harness.sandbox.docker import DockerSandbox

        return DockerSandbox()
    raise UsageError(f"unknown sandbox {name!r}; choose one of {', '.join(SANDBOXES)}")


def grade(
    submission: Path, key_dir: Path, *, sandbox: str = "docker", limits: Limits | None = None,
    test_points: int = 0,
) -> Result:
    """Grade ``submission`` against the key in ``key_dir``; ``test_points`` per fault its tests catch."""
    limits = limits or Limits()
    # Absolute paths: the sandboxes run things in other working directories.
    key = load_key(key_dir.resolve())
    targets = load_targets(key.root, [f.id for f in key.faults])  # signals.tests; None: an older key
    submission = submission.absolute()
    if not submission.exists():
        raise UsageError(f"submission {submission} does not exist")
    began = time.monotonic()
    identity = _identify(submission)
    try:
        box = make_sandbox(sandbox)
        with tempfile.TemporaryDirectory(prefix=temp_prefix("grade")) as tmp:
            try:
                workspace = intake.open_submission(submission, Path(tmp) / "submission")
            except SubmissionRejected as exc:
                return rejected_result(key, str(exc), sandbox=sandbox, submission=identity)
            tests = _Tests(targets, test_points)
            return _grade_workspace(key, workspace, box, limits, Path(tmp), began, identity, tests)
    except InfrastructureError as exc:
        return infrastructure_result(key, str(exc), sandbox=sandbox, submission=identity)


def _identify(submission: Path) -> Submission:
    """Which submission this is: its name, a hash of its bytes, and when it was graded."""
    try:
        digest = tree_digest(submission) if submission.is_dir() else sha256_file(submission)
    except OSError as exc:
        raise UsageError(f"submission {submission} is unreadable: {exc.strerror or exc}") from None
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Submission(name=submission.name, sha256=digest, graded_at=now)


@dataclasses.dataclass(frozen=True)
class _Tests:
    """signals.tests for one grading: the key's renders (None: not measured) and --test-points."""

    targets: Targets | None
    points: int


def _grade_workspace(
    key: Key, workspace: Path, box: Sandbox, limits: Limits, tmp: Path, began: float, identity: Submission,
    tests: _Tests,
) -> Result:
    outputs = tmp / "outputs"
    outputs.mkdir()
    problem: str | None = None
    runs: list[RunResult] = []
    deadline_at = time.monotonic() + limits.overall_deadline()  # the pipeline's runs and the tests share it
    signal: dict[str, Any] | None = None
    poison_runs: dict[str, RunResult] = {}
    # The check phase gets ready (container, imports) while the run phase goes on.
    with box.check_phase(check_spec(GRADERS_DIR, key.root), outputs=outputs) as pending:
        if not (workspace / "pipeline" / "__main__.py").is_file():
            problem = (
                "the submission has no pipeline/__main__.py: the entry point `python -m pipeline` is missing"
            )
        else:
            datasets = {name: key.hidden(name) for name in key.datasets}
            # The poisoned exports run after the hidden datasets, with the same limits.
            datasets.update({p.name: key.poisoned_input(p.name) for p in key.poisoned or ()})
            runs = box.run_pipeline(run_spec(workspace, datasets, limits), outputs=outputs)
            poison_runs = {r.dataset: r for r in runs if r.dataset not in key.datasets}
            runs = [r for r in runs if r.dataset in key.datasets]
            problem = _run_problem(runs)
        run_done = time.monotonic()
        if tests.targets is None:
            check = pending.release()
        else:  # the candidate's tests run while the graders grade
            targets = tests.targets
            check, signal = release_while(pending, lambda: tests_signal.measure(
                box, workspace, targets, limits, tmp / "signals", deadline_at))
    report = parse_report(check.reports.get(CHECKS_REPORT, ""), check.log)
    missing = {f.id for f in key.faults} - {str(f.get("id")) for f in report["faults"] if isinstance(f, dict)}
    if missing:
        raise InfrastructureError(f"the graders' report has no verdict for {sorted(missing)[0]}")
    raw = report.get("poisoned")
    judged: dict[str, Any] = raw if isinstance(raw, dict) else {}
    unjudged = [p.name for p in key.poisoned or () if p.kind == "valid" and p.name not in judged]
    if unjudged:
        raise InfrastructureError(f"the graders' report has no verdict for poisoned export {unjudged[0]}")
    result = build_result(
        key, report, runs, sandbox=box.name, submission=identity, problem=problem,
        timings={
            "run_phase_seconds": round(run_done - began, 3),
            "check_phase_seconds": round(check.wall_seconds, 3),
            "total_seconds": round(time.monotonic() - began, 3),
        },
    )
    add_poisoned(result, key, poison_runs, report)
    # The reference's run times and peak memory on the machine that made the key, for the debrief.
    result.doc["reference_runs"] = reference_runs.read(key.root)
    # Whether the submission is built on this variant: evidence for a human, no points.
    result.doc["integrity"] = integrity.check(key.root, workspace)
    tests_signal.apply(result.doc, signal, points_per_fault=tests.points, faults=len(key.faults))
    return result


def _run_problem(runs: list[RunResult]) -> str | None:
    bad = [r for r in runs if r.exit_code != 0]
    if not bad:
        return None
    first = bad[0]
    if first.killed_reason == "deadline":
        what = "ran past the submission's overall deadline"
    elif first.timed_out:
        what = f"timed out after {first.wall_seconds:.0f}s"
    elif first.killed_reason:
        what = f"was stopped ({first.killed_reason})"
    else:
        what = f"exited {first.exit_code}"
    last = next((line for line in reversed(first.log.splitlines()) if line.strip()), "")
    names = ", ".join(r.dataset for r in bad)
    return f"the pipeline {what} on {names}" + (f": {last.strip()[:300]}" if last else "")


REPORT_SCHEMA = "faultline.checks/2"
_REPORT_FIELDS = {"tests": list, "faults": list, "regression": dict, "schema_problems": dict, "datasets": dict}


def parse_report(text: str, log: str) -> dict[str, Any]:
    """The graders' report, checked; InfrastructureError when the graders could not grade.

    The graders say so themselves in a typed ``error`` (an unreadable key, a grader bug);
    a report that is missing or malformed means the check phase itself broke.
    """
    try:
        report = json.loads(text)
        if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
            raise ValueError("not a faultline.checks/2 report")
    except ValueError:
        tail = " | ".join(log.strip().splitlines()[-3:])
        raise InfrastructureError(f"the graders produced no report ({tail or 'no output'})") from None
    error = report.get("error")
    if isinstance(error, dict):
        what = "the key could not be read" if error.get("kind") == "key" else "a grader failed to run"
        raise InfrastructureError(f"{what}: {error.get('message', '')}")
    for field, kind in _REPORT_FIELDS.items():
        if not isinstance(report.get(field), kind):
            raise InfrastructureError(f"the graders' report has no usable {field!r}")
    return dict(report)
