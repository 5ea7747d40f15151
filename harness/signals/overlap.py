"""The graders grade on a thread of their own while the candidate's tests run on this one.

The check phase is trusted and bounded by its own timeout; the candidate's tests run here,
so an interrupt lands where the candidate's containers and processes are cleaned up, and
leaving the check phase stops the graders.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from faultline.harness.sandbox.base import CheckRun, PendingCheck

T = TypeVar("T")


def release_while(pending: PendingCheck, work: Callable[[], T]) -> tuple[CheckRun, T]:
    """``pending.release()`` in the background, ``work()`` here; both results, or the first error."""
    done: dict[str, CheckRun] = {}
    failed: list[BaseException] = []

    def release() -> None:
        try:
            done["check"] = pending.release()
        except BaseException as exc:  # re-raised on the caller's thread below
            failed.append(exc)

    thread = threading.Thread(target=release, name="faultline-graders", daemon=True)
    thread.start()
    value = work()
    thread.join()
    if failed:
        raise failed[0]
    return done["check"], value
