from __future__ import annotations

import json
import sys
from pathlib import Path

from faultline.harness.errors import ExitCode
from faultline.harness.grading import grade as grade_submission
from faultline.harness.report import prepare_out, write_reports
from faultline.harness.result import Status, summary
from faultline.harness.sandbox.base import Limits


def grade(
    *,
    submission: Path,
    key: Path,
    out: Path,
    sandbox: str,
    limits: Limits,
    as_json: bool,
    junit: Path | None,
    fail_under: float | None,
) -> int:
    prepare_out(out)  # before grading: a refused --out costs nothing, and no stale file survives
    result = grade_submission(submission, key, sandbox=sandbox, limits=limits)
    write_reports(result, out, junit_path=junit)
    if as_json:
        sys.stdout.write(json.dumps(result.doc, indent=2) + "\n")
    else:
        print(summary(result))
        print(f"results in {out}/")
    if result.status is Status.INFRASTRUCTURE_ERROR:
        print(f"faultline: {result.doc['message']}", file=sys.stderr)
        return ExitCode.INFRASTRUCTURE
    if fail_under is not None and (result.score or 0) < fail_under:
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK
