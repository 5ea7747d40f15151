"""The one way the Docker sandbox runs something and waits for it: watched, capped, timed.

A stream of output (an exec's, or a container's logs) is read to its end while a
``Watchdog`` kills at the deadline, past the log cap, or when a poll says so. The result is
one frozen record, whatever ran: candidate code, our cleaner, or the graders.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from faultline.harness.sandbox.watchdog import Watchdog

WALL_REASONS = ("timeout", "deadline")  # kills for wall time; RunResult.timed_out


@dataclasses.dataclass(frozen=True)
class ExecResult:
    exit_code: int | None  # None when killed, or when the engine never reported one
    output: str  # stdout+stderr, cut to the cap, decoded with errors="replace"
    truncated: bool
    timed_out: bool
    duration: float  # wall seconds from start to the end of the output stream
    killed_reason: str | None  # the watchdog's first reason: "timeout", "log-limit", ...


def watch(
    stream: Iterable[bytes],
    *,
    started: float,
    deadline: float,
    log_bytes: int,
    kill: Callable[[str], None],
    exit_code: Callable[[], int | None],
    poll: Callable[[], str | None] | None = None,
    deadline_reason: str = "timeout",
) -> ExecResult:
    """Read ``stream`` to its end under a watchdog; ``exit_code()`` is asked once it ends."""
    dog = Watchdog(deadline=deadline, kill=kill, poll=poll, deadline_reason=deadline_reason).start()
    try:
        output, truncated = read_capped(stream, log_bytes, dog)
    finally:
        dog.stop()
    duration = time.monotonic() - started
    reason = dog.reason
    return ExecResult(
        exit_code=exit_code(),
        output=output,
        truncated=truncated,
        timed_out=reason in WALL_REASONS,
        duration=duration,
        killed_reason=reason,
    )


def run_exec(
    api: Any,
    container_id: str,
    argv: list[str],
    *,
    user: str,
    deadline: float,
    log_bytes: int,
    kill: Callable[[str], None],
    workdir: str = "/",
    poll: Callable[[], str | None] | None = None,
    deadline_reason: str = "timeout",
    detach: bool = False,
) -> ExecResult:
    """``docker exec`` of ``argv`` in a running container, watched like everything else.

    Besides ``poll``, the watchdog ends a run whose process exited while something it left
    (a daemon) still holds its output open: ``kill("")`` is then called once. ``detach``
    keeps no output and only waits for the exit: a streamed start can block for good while a
    fork bomb holds every pid, so our own cleaner starts detached.
    """
    exec_id = api.exec_create(container_id, argv, user=user, workdir=workdir, stdin=False, tty=False)["Id"]
    started = time.monotonic()
    if detach:
        api.exec_start(exec_id, detach=True)
        stream: Iterable[bytes] = _until_exited(api, exec_id, deadline)
    else:
        stream = api.exec_start(exec_id, stream=True)

    def check() -> str | None:
        verdict = poll() if poll is not None else None
        if verdict is None and not api.exec_inspect(exec_id).get("Running"):
            return ""
        return verdict

    return watch(
        stream,
        started=started,
        deadline=deadline,
        log_bytes=log_bytes,
        kill=kill,
        exit_code=lambda: exec_exit_code(api, exec_id),
        poll=check,
        deadline_reason=deadline_reason,
    )


def _until_exited(api: Any, exec_id: str, deadline: float) -> Iterator[bytes]:
    """An empty output stream that ends when the exec exits (or just past the deadline)."""
    while time.monotonic() < deadline + 1.0 and api.exec_inspect(exec_id).get("Running", True):
        time.sleep(0.05)
    yield from ()


def exec_exit_code(api: Any, exec_id: str, *, wait: float = 2.0) -> int | None:
    # The stream can end a moment before the engine records the exit; an exec killed very
    # early can stay "Running" for good, hence the bound.
    until = time.monotonic() + wait
    while True:
        info = api.exec_inspect(exec_id)
        if not info.get("Running"):
            code = info.get("ExitCode")
            return int(code) if code is not None else None
        if time.monotonic() >= until:
            return None
        time.sleep(0.05)


def read_capped(stream: Iterable[bytes], cap: int, dog: Watchdog) -> tuple[str, bool]:
    """Read a stream to its end, keeping ``cap`` bytes; past the cap, ask for a kill and drain."""
    kept = bytearray()
    truncated = False
    for chunk in stream:
        if truncated:
            continue  # writers are being killed; draining lets the stream end on its own
        room = cap - len(kept)
        kept += chunk[:room]
        if len(chunk) > room:
            truncated = True
            dog.request("log-limit")
    return kept.decode("utf-8", errors="replace"), truncated
