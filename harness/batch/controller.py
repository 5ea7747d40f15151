"""The batch controller: decides what to grade, hands jobs to workers, writes every result.

It is the gradebook's only writer. Each result is committed as it comes back (result
folder first, then the row), so a kill at any moment loses only gradings still running,
and the next run skips every row already done for the same inputs.
"""
from __future__ import annotations

import contextlib
import dataclasses
import enum
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from faultline.harness.batch import executors
from faultline.harness.batch.gradebook import Gradebook, Row, RowKey, open_gradebook
from faultline.harness.batch.identity import key_id, submission_sha256
from faultline.harness.batch.manifest import Entry, safe_name
from faultline.harness.batch.progress import Progress
from faultline.harness.batch.work import Finished, Job
from faultline.harness.errors import InfrastructureError, UsageError
from faultline.harness.image import harness_version
from faultline.harness.keyfile import load_key
from faultline.harness.report import write_reports
from faultline.harness.result import Result, Status
from faultline.harness.sandbox.base import Limits

RESULTS = "results"


class Executor(enum.StrEnum):
    LOCAL = "local"  # worker processes on this machine
    DASK = "dask"  # a Dask distributed cluster (--scheduler)


@dataclasses.dataclass(frozen=True)
class BatchOptions:
    out: Path
    sandbox: str
    limits: Limits
    jobs: int | None = None  # None: executors.default_jobs
    regrade: bool = False
    only: frozenset[str] | None = None
    executor: Executor = Executor.LOCAL
    scheduler: str | None = None
    shared_dir: Path | None = None
    test_points: int = 0  # --test-points: points per fault the candidate's tests catch


@dataclasses.dataclass(frozen=True)
class BatchReport:
    rows: list[Row]  # the current row of each candidate of this batch, graded now or before
    graded: int  # gradings run now
    skipped: int  # already in the gradebook for the same inputs
    pending: list[str]  # candidates with no submission yet
    errors: list[Row]  # infrastructure errors of this run (not charged, retried next run)
    workers: int


def run_batch(entries: list[Entry], options: BatchOptions, progress: Callable[[int], Progress]) -> BatchReport:
    entries = _select(entries, options.only)
    pending = [e.candidate for e in entries if e.submission is None]
    ready = [e for e in entries if e.submission is not None]
    _validate(ready, options.shared_dir)
    version = harness_version()
    with contextlib.ExitStack() as stack:
        client = None
        if options.executor is Executor.DASK:
            if not options.scheduler:
                raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
            client = stack.enter_context(executors.dask_client(options.scheduler))
            paths = sorted({p for e in ready for p in (e.submission, e.key) if p is not None})
            image, workers = executors.dask_preflight(client, options.sandbox, paths)
        else:
            image = _local_image(options.sandbox)
            if options.sandbox == "docker":
                _reap_orphans()
            workers = options.jobs or executors.default_jobs(options.limits.memory)
        book = open_gradebook(options.out)
        stack.callback(book.close)
        for stale in leftovers(options.out):  # a kill's half-swapped folder; its row was never committed
            shutil.rmtree(stale, ignore_errors=True)
        keys: dict[str, RowKey] = {}
        jobs: list[Job] = []
        for e in ready:
            assert e.submission is not None
            keys[e.candidate] = RowKey(e.candidate, submission_sha256(e.submission), key_id(e.key), image, version)
            if options.regrade or not book.is_done(keys[e.candidate]):
                jobs.append(Job(e.candidate, e.submission, e.key, options.sandbox, options.limits,
                                options.test_points))
        errors: list[Row] = []
        if jobs:
            bar = progress(len(jobs))
            try:
                source = executors.run_dask(client, jobs) if client is not None else executors.run_local(jobs, workers)
                for finished in source:
                    row = _commit(book, options.out, keys[finished.job.candidate], finished)
                    if row.status is Status.INFRASTRUCTURE_ERROR:
                        errors.append(row)
                    bar.advance(_line(row))
            finally:
                bar.close()
        current = {r.key: r for r in book.rows()}
        rows = [current[keys[e.candidate]] for e in ready if keys[e.candidate] in current]
    if client is None:  # the pool never starts more workers than there are gradings
        workers = min(workers, max(len(jobs), 1))
    return BatchReport(rows, len(jobs), len(ready) - len(jobs), pending, errors, workers)


def _select(entries: list[Entry], only: frozenset[str] | None) -> list[Entry]:
    if only is None:
        return entries
    names = {e.candidate for e in entries}
    unknown = sorted(only - names)
    if unknown:
        raise UsageError(f"--only names unknown candidate(s): {', '.join(unknown)}")
    return [e for e in entries if e.candidate in only]


def _validate(entries: list[Entry], shared: Path | None) -> None:
    """Every input readable before anything runs: a typo is a usage error, not N failed gradings."""
    for e in entries:
        assert e.submission is not None
        if not e.submission.exists():
            raise UsageError(f"submission of {e.candidate!r} does not exist: {e.submission}")
        load_key(e.key.resolve())
        if shared is not None:
            for path in (e.submission, e.key):
                if not path.resolve().is_relative_to(shared.resolve()):
                    raise UsageError(f"{path} ({e.candidate!r}) is outside --shared-dir {shared}")


def _reap_orphans() -> None:
    """Containers an earlier batch left when it was killed (SIGKILL) go before this one starts."""
    from faultline.harness.image import docker_client
    from faultline.harness.sandbox.engine import engine_errors, reap_orphans

    try:
        with engine_errors():
            count = reap_orphans(docker_client())
    except InfrastructureError:
        return  # no engine: every grading reports that itself, as an infrastructure error
    if count:
        print(f"faultline: removed {count} container(s) and volume(s) left by a killed grading", file=sys.stderr)


def _local_image(sandbox: str) -> str:
    if sandbox != "docker":
        return f"{sandbox}-sandbox"
    from faultline.harness.image import docker_client, image_status, require_image

    client = docker_client()  # no engine: InfrastructureError, exit 3 before anything runs
    require_image(client)
    return str(image_status(client).image_id)


def _commit(book: Gradebook, out: Path, key: RowKey, finished: Finished) -> Row:
    folder = out / RESULTS / safe_name(key.candidate)
    doc = finished.doc
    _write_folder(folder, Result(doc))
    status = doc.get("status")
    row = Row(
        key=key, submission=str(finished.job.submission), key_path=str(finished.job.key),
        status=Status(status) if status in set(Status) else Status.INFRASTRUCTURE_ERROR,
        score=_int(doc.get("score")), max_score=_int(doc.get("max_score")), message=doc.get("message"),
        result_path=str(folder), result=doc, started_at=finished.started_at,
        finished_at=finished.finished_at, seconds=finished.seconds, worker=finished.worker,
    )
    book.record(row)
    return row


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _write_folder(folder: Path, result: Result) -> None:
    """Write the new result beside the old, then swap, so a kill never leaves half a folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    fresh.chmod(0o755)  # mkdtemp makes it private; results are for the graders to read
    try:
        if result.doc.get("variant") and result.doc.get("faults") is not None and "checks" in result.doc:
            write_reports(result, fresh)
        else:  # a worker failure has no report to render: keep what there is
            import json

            (fresh / "result.json").write_text(json.dumps(result.doc, indent=2) + "\n")
        old = None
        if folder.exists():
            old = folder.parent / f".{folder.name}.old-{os.getpid()}"
            os.replace(folder, old)
        os.replace(fresh, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _line(row: Row) -> str:
    score = "-" if row.score is None else f"{row.score}/{row.max_score}"
    note = f": {row.message[:120]}" if row.status is not Status.GRADED and row.message else ""
    return f"{row.key.candidate}: {row.status.value} {score} in {row.seconds:.1f}s{note}"


def leftovers(out: Path) -> Iterator[Path]:
    """Half-written folders a kill may have left in ``out/results`` (removed at the next run's end)."""
    root = out / RESULTS
    if root.is_dir():
        yield from (p for p in root.iterdir() if p.name.startswith(".") and (".new-" in p.name or ".old-" in p.name))
