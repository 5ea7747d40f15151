from __future__ import annotations

import json
import sys
from pathlib import Path

from faultline.harness.commands.outputs import check_file, make_folder, undone_on_failure
from faultline.harness.debrief import write_debrief
from faultline.harness.errors import ExitCode, InfrastructureError, UsageError
from faultline.harness.grading import grade as grade_submission
from faultline.harness.report import prepare_out, write_reports
from faultline.harness.result import Result, Status, summary
from faultline.harness.sandbox.base import Limits

LOCAL_WARNING = (
    "--sandbox local is not a sandbox: the submission runs as a plain process with your "
    "permissions and network; only --timeout and --deadline apply"
)


def grade(
    *,
    submission: Path,
    key: Path,
    out: Path,
    sandbox: str,
    timeout: float,
    memory: int | None,
    cpus: float | None,
    pids: int | None,
    as_json: bool,
    deadline: float | None = None,
    junit: Path | None,
    fail_under: float | None,
    feedback: bool = False,
    test_points: int = 0,
) -> int:
    if sandbox == "local":
        # Refused rather than ignored: a limit the user asked for and did not get would
        # make a local grade look like a sandboxed one.
        given = [flag for flag, value in (("--memory", memory), ("--cpus", cpus), ("--pids-limit", pids))
                 if value is not None]
        if given:
            raise UsageError(f"{' and '.join(given)} {'needs' if len(given) == 1 else 'need'} --sandbox docker: "
                             "--sandbox local cannot enforce limits")
    d = Limits()
    limits = Limits(timeout=timeout, memory=memory or d.memory, cpus=cpus or d.cpus, pids=pids or d.pids,
                    deadline=deadline)
    # Where the results go is checked before the key is read or anything runs.
    prepare_out(out)  # no stale file of an earlier run survives; a folder with others' files is refused
    created = make_folder(out, "--out")
    with undone_on_failure(created):
        if junit is not None:
            created.extend(check_file(junit, "--junit"))  # the same list: undone on failure too
        if sandbox == "local":
            print(f"faultline: warning: {LOCAL_WARNING}", file=sys.stderr)
        result = grade_submission(submission, key, sandbox=sandbox, limits=limits, test_points=test_points)
        try:
            write_reports(result, out, junit_path=junit)
            write_debrief(result.doc, key_dir=key, submission=submission, out=out, feedback=feedback)
        except OSError as exc:  # checked writable above; a full disk, say, is the host's trouble
            raise InfrastructureError(f"cannot write the results into {out}: {exc.strerror}") from None
    if as_json:
        sys.stdout.write(json.dumps(result.doc, indent=2) + "\n")
    else:
        print(summary(result))
        print(f"results in {out}/")
    if result.status is Status.INFRASTRUCTURE_ERROR:
        print(f"faultline: {result.doc['message']}", file=sys.stderr)
        return ExitCode.INFRASTRUCTURE
    return _threshold(result, fail_under)


def _threshold(result: Result, fail_under: float | None) -> int:
    """--fail-under is a percentage of the maximum score, which varies with the difficulty."""
    if fail_under is None:
        return ExitCode.OK
    score, top = result.score or 0, int(result.doc["max_score"])
    percent = 100.0 * score / top if top else 0.0
    if percent < fail_under:
        print(f"faultline: score {score}/{top} = {percent:.4g}% is below --fail-under {fail_under:g}%",
              file=sys.stderr)
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK
