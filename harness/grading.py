"""Grading one submission: intake, run phase, check phase, result.

A candidate's failure (a crash, no entry point, garbage output) is a graded result.
Trouble on the grading host is an infrastructure error, never the candidate's zero.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from faultline import graders
from faultline.harness import integrity, intake
from faultline.harness.errors import InfrastructureError, SubmissionRejected, UsageError
from faultline.harness.keyfile import Key, load_key
from faultline.harness.phases import CHECKS_REPORT, JUNIT_REPORT, check_spec, run_spec
from faultline.harness.result import Result, build_result, infrastructure_result, rejected_result
from faultline.harness.sandbox.base import Limits, RunResult, Sandbox
from faultline.harness.sandbox.session import temp_prefix

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
    submission: Path, key_dir: Path, *, sandbox: str = "docker", limits: Limits | None = None
) -> Result:
    """Grade ``submission`` against the key in ``key_dir``."""
    limits = limits or Limits()
    # Absolute paths: the sandboxes run things in other working directories.
    key = load_key(key_dir.resolve())
    submission = submission.absolute()
    if not submission.exists():
        raise UsageError(f"submission {submission} does not exist")
    began = time.monotonic()
    try:
        box = make_sandbox(sandbox)
        with tempfile.TemporaryDirectory(prefix=temp_prefix("grade")) as tmp:
            try:
                workspace = intake.open_submission(submission, Path(tmp) / "submission")
            except SubmissionRejected as exc:
                return rejected_result(key, str(exc), sandbox=sandbox)
            return _grade_workspace(key, workspace, box, limits, Path(tmp), began)
    except InfrastructureError as exc:
        return infrastructure_result(key, str(exc), sandbox=sandbox)


def _grade_workspace(
    key: Key, workspace: Path, box: Sandbox, limits: Limits, tmp: Path, began: float
) -> Result:
    outputs = tmp / "outputs"
    outputs.mkdir()
    problem: str | None = None
    runs: list[RunResult] = []
    # The check phase gets ready (container, imports) while the run phase goes on.
    with box.check_phase(check_spec(GRADERS_DIR, key.root), outputs=outputs) as pending:
        if not (workspace / "pipeline" / "__main__.py").is_file():
            problem = (
                "the submission has no pipeline/__main__.py: the entry point `python -m pipeline` is missing"
            )
        else:
            datasets = {name: key.hidden(name) for name in key.datasets}
            runs = box.run_pipeline(run_spec(workspace, datasets, limits), outputs=outputs)
            problem = _run_problem(runs)
        run_done = time.monotonic()
        check = pending.release()
    report = _parse_report(check.reports.get(CHECKS_REPORT, ""), check.log)
    result = build_result(
        key, report, runs, sandbox=box.name, problem=problem, junit_xml=check.reports.get(JUNIT_REPORT, ""),
        timings={
            "run_phase_seconds": round(run_done - began, 3),
            "check_phase_seconds": round(check.wall_seconds, 3),
            "total_seconds": round(time.monotonic() - began, 3),
        },
    )
    # Whether the submission is built on this variant: evidence for a human, no points.
    result.doc["integrity"] = integrity.check(key.root, workspace)
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


def _parse_report(text: str, log: str) -> dict[str, Any]:
    try:
        report = json.loads(text)
        tests = report["tests"]
        if not isinstance(tests, list) or not tests:
            raise ValueError("no tests")
    except (ValueError, KeyError, TypeError):
        tail = " | ".join(log.strip().splitlines()[-3:])
        raise InfrastructureError(f"the graders produced no report ({tail or 'no output'})") from None
    broken = [t for t in tests if str(t.get("message", "")).startswith("grader error")]
    if broken:
        raise InfrastructureError(f"a grader failed to run: {broken[0]['message']}")
    return dict(report)
