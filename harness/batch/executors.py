"""Where gradings run: worker processes on this machine, or a Dask cluster.

Both take a list of jobs and yield each ``Finished`` as soon as it is done (futures and
``as_completed``, no queue of our own). Each job is ``work.grade_job``, a pure function of
its inputs, so Dask may rerun it on another worker when one is lost.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.harness.batch.work import (
    Finished,
    Job,
    Preflight,
    failure_doc,
    grade_job,
    ignore_interrupts,
    now,
    preflight,
)
from faultline.harness.errors import InfrastructureError, UsageError

GRACE_SECONDS = 60.0  # after Ctrl-C, time for workers to remove their containers


def default_jobs(memory_per_grading: int) -> int:
    """One more grading than cores (a grading waits on container start and I/O part of the
    time), but never more than the memory available holds at each grading's limit."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores + 1, _available_memory() // max(memory_per_grading, 1)))


def _available_memory() -> int:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


@contextlib.contextmanager
def _interrupt_workers() -> Iterator[None]:
    """On Ctrl-C, pass it to the workers so each grading cleans up (containers, temp files)."""
    try:
        yield
    except KeyboardInterrupt:
        for child in multiprocessing.active_children():
            if child.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGINT)
        raise


def run_local(jobs: list[Job], workers: int) -> Iterator[Finished]:
    # spawn: a fresh interpreter per worker; nothing of the controller's state is inherited.
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(
        max(1, min(workers, len(jobs))), mp_context=context, initializer=ignore_interrupts
    )
    try:
        with _interrupt_workers():
            futures = {pool.submit(grade_job, job): job for job in jobs}
            for future in concurrent.futures.as_completed(futures):
                try:
                    yield future.result()
                except concurrent.futures.process.BrokenProcessPool as exc:
                    # A worker died (the host's OOM killer, say): not the candidate's doing.
                    yield lost(futures[future], f"the grading's worker process died: {exc}")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def lost(job: Job, message: str) -> Finished:
    """A grading that never came back: an infrastructure error, never charged to the candidate."""
    at = now()
    return Finished(job, failure_doc(message), at, at, 0.0, "lost")


def _dask_client(scheduler: str) -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError("--executor dask needs the dask extra: pip install 'faultline[dask]'") from None
    try:
        return distributed.Client(scheduler, timeout="20s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InfrastructureError(f"no Dask scheduler answers at {scheduler}: {exc}") from None


def dask_preflight(client: Any, sandbox: str, paths: list[Path]) -> tuple[str, int]:
    """Run the preflight on every worker: the image id they share and how many there are."""
    found: dict[str, Preflight] = client.run(preflight, sandbox, [str(p) for p in paths])
    if not found:
        raise InfrastructureError("the Dask cluster has no worker")
    bad = {addr: p for addr, p in found.items() if p.problem}
    if bad:
        addr, p = next(iter(bad.items()))
        raise InfrastructureError(
            f"{len(bad)} of {len(found)} Dask worker(s) cannot grade; {addr} ({p.host}): {p.problem}"
        )
    images = {p.image_id for p in found.values()}
    if len(images) != 1:
        names = ", ".join(sorted(map(str, images)))
        raise InfrastructureError(
            f"the Dask workers hold different sandbox images ({names}): build the same version's image on each"
        )
    return str(images.pop()), len(found)


def run_dask(client: Any, jobs: list[Job]) -> Iterator[Finished]:
    import distributed

    # pure=False: a regrade of the same inputs must run again, not reuse a cached future.
    # retries=1: a worker lost mid-grading is replaced by a second try elsewhere.
    futures = {client.submit(grade_job, job, pure=False, retries=1): job for job in jobs}
    try:
        for future in distributed.as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker and the like: the cluster's trouble, retried next run
                yield lost(futures[future], f"the Dask cluster lost the grading: {type(exc).__name__}: {exc}")
    finally:
        client.cancel(list(futures))


@contextlib.contextmanager
def dask_client(scheduler: str) -> Iterator[Any]:
    client = _dask_client(scheduler)
    try:
        yield client
    finally:
        client.close()
