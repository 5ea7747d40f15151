"""What runs on a worker: one grading as a pure function of its inputs, and the preflight.

A worker only reads its inputs and returns the result as data; it never writes the
gradebook or the result folders (the controller does, as each result comes back), so a
lost worker costs nothing but a resubmission.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.harness.result import RESULT_SCHEMA, Status
from faultline.harness.sandbox.base import Limits


@dataclasses.dataclass(frozen=True)
class Job:
    candidate: str
    submission: Path
    key: Path
    sandbox: str
    limits: Limits
    test_points: int = 0


@dataclasses.dataclass(frozen=True)
class Finished:
    job: Job
    doc: dict[str, Any]  # result.json; junit.xml is rendered from it when the folder is written
    started_at: str
    finished_at: str
    seconds: float
    worker: str


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def grade_job(job: Job) -> Finished:
    """Grade one submission; every outcome, a bug included, comes back as a result."""
    from faultline.harness.grading import grade

    started, began = now(), time.monotonic()
    try:
        with _interruptible():
            result = grade(job.submission, job.key, sandbox=job.sandbox, limits=job.limits,
                           test_points=job.test_points)
        doc = result.doc
    except Exception as exc:  # a bug or a vanished input: the batch goes on and lists it
        doc = failure_doc(f"grading failed on the worker: {type(exc).__name__}: {exc}")
    return Finished(job, doc, started, now(), round(time.monotonic() - began, 3), worker_name())


def ignore_interrupts() -> None:
    """Pool initializer: an idle worker ignores Ctrl-C (no traceback from a worker waiting for work)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """While grading, Ctrl-C raises KeyboardInterrupt, so the sandbox removes what it started."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not (
        signal.SIG_IGN
    ):
        yield  # a Dask worker thread, or a process that already takes Ctrl-C
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def failure_doc(message: str) -> dict[str, Any]:
    """A result for a grading that never produced one: never charged to the candidate."""
    return {"schema": RESULT_SCHEMA, "status": Status.INFRASTRUCTURE_ERROR.value, "score": None,
            "max_score": None, "message": message, "faults": [], "checks": [], "runs": []}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclasses.dataclass(frozen=True)
class Preflight:
    host: str
    problem: str | None  # None: this worker can grade
    image_id: str | None


def preflight(sandbox: str, paths: list[str]) -> Preflight:
    """On a worker: is there an engine and the current image, and can it read every input?"""
    from faultline.harness.errors import InfrastructureError

    host = socket.gethostname()
    unseen = [p for p in paths if not os.path.exists(p)]
    if unseen:
        more = f" and {len(unseen) - 1} more" if len(unseen) > 1 else ""
        return Preflight(host, f"cannot see {unseen[0]}{more}: submissions and keys must be on a path every "
                               "worker shares (--shared-dir)", None)
    if sandbox != "docker":
        return Preflight(host, None, f"{sandbox}-sandbox")
    try:
        from faultline.harness.image import docker_client, image_status, require_image

        client = docker_client()
        require_image(client)
        return Preflight(host, None, image_status(client).image_id)
    except InfrastructureError as exc:
        return Preflight(host, str(exc), None)
