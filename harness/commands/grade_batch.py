from __future__ import annotations

import sys
import time
from pathlib import Path

from faultline.harness.batch.controller import BatchOptions, Executor, run_batch
from faultline.harness.batch.manifest import folder_entries, read_manifest
from faultline.harness.batch.progress import progress_for
from faultline.harness.batch.summary import markdown, table, write_step_summary
from faultline.harness.errors import ExitCode, UsageError
from faultline.harness.sandbox.base import Limits

SUMMARY = "summary.md"


def grade_batch(
    *,
    source: Path,
    key: Path | None,
    out: Path,
    sandbox: str,
    limits: Limits,
    jobs: int | None,
    regrade: bool,
    only: list[str] | None,
    executor: str,
    scheduler: str | None,
    shared_dir: Path | None,
    test_points: int = 0,
) -> int:
    if executor != "dask" and (scheduler or shared_dir):
        raise UsageError("--scheduler and --shared-dir are for --executor dask")
    if executor == "dask" and jobs:
        raise UsageError("--jobs is for --executor local; a Dask cluster runs one grading per worker thread")
    if source.is_dir():
        if key is None:
            raise UsageError(f"{source} is a folder of submissions: give the one --key they are graded with")
        entries = folder_entries(source, key, out=out)
    else:
        if key is not None:
            raise UsageError("--key is for a folder of submissions; a manifest names each candidate's key")
        entries = read_manifest(source)
    if sandbox == "local":
        from faultline.harness.commands.grade import LOCAL_WARNING

        print(f"faultline: warning: {LOCAL_WARNING}", file=sys.stderr)
    began = time.monotonic()
    options = BatchOptions(
        out=out, sandbox=sandbox, limits=limits, jobs=jobs, regrade=regrade,
        only=frozenset(only) if only else None, executor=Executor(executor), scheduler=scheduler,
        shared_dir=shared_dir, test_points=test_points,
    )
    report = run_batch(entries, options, progress_for)
    seconds = time.monotonic() - began
    headline = (f"faultline grade-batch: {report.graded} graded now, {report.skipped} already graded, "
                f"{len(report.pending)} without a submission; {seconds:.1f}s on {report.workers} worker(s)")
    print(headline)
    if report.rows:
        print(table(report.rows))
    if report.pending:
        print(f"no submission yet: {', '.join(report.pending)}")
    print(f"gradebook: {out / 'gradebook.sqlite'}   (faultline gradebook {out})")
    text = markdown(report.rows, headline)
    (out / SUMMARY).write_text(text)
    write_step_summary(text)
    if report.errors:
        print(f"faultline: {len(report.errors)} grading(s) hit infrastructure errors (not charged; "
              "rerun to retry them):", file=sys.stderr)
        for row in report.errors:
            print(f"  {row.key.candidate}: {row.message}", file=sys.stderr)
        return ExitCode.INFRASTRUCTURE
    return ExitCode.OK
