"""A host-side thread that ends a run at its deadline, on request, or when a poll says so.

``container.wait(timeout=)`` is only an HTTP timeout and a log stream blocks forever on a
silent process that ignores SIGTERM, so the kill must come from a thread of our own. Kills
always happen on this thread: the log reader must keep draining while the engine kills, or
the engine (blocked writing the stream to us) is slow to notice the exits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

POLL_SECONDS = 0.25


class Watchdog:
    """Calls ``kill(reason)``: at ``deadline`` (monotonic), on ``request``, or when ``poll()`` says.

    ``poll`` returns a kill reason ("output-limit"), "" to end a run that finished but left
    something behind (a daemon holding its stdout), or None while all is well.
    """

    def __init__(
        self,
        *,
        deadline: float,
        kill: Callable[[str], None],
        poll: Callable[[], str | None] | None = None,
        deadline_reason: str = "timeout",
    ) -> None:
        self.deadline = deadline
        self.deadline_reason = deadline_reason  # "deadline" when the submission's overall one is nearer
        self._kill = kill
        self._poll = poll
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._requested: str | None = None
        self.reason: str | None = None  # the first kill reason; "" cleanups do not count
        self._thread = threading.Thread(target=self._loop, name="faultline-watchdog", daemon=True)

    def start(self) -> Watchdog:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=60)

    def request(self, reason: str) -> None:
        """Ask for a kill without blocking the caller (the log reader past its cap)."""
        with self._lock:
            if self._requested is None:
                self._requested = reason
        self._wake.set()

    def _fire(self, reason: str) -> None:
        with self._lock:
            if self.reason is None and reason:
                self.reason = reason
        try:
            self._kill(reason)
        except Exception:  # the phase's finally still removes the container
            pass

    def _loop(self) -> None:
        fired = False
        while True:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stop.is_set():
                return
            with self._lock:
                requested, self._requested = self._requested, None
            if requested is not None:
                self._fire(requested)
                fired = True
                continue
            if time.monotonic() >= self.deadline:
                self._fire(self.deadline_reason)
                self.deadline = float("inf")  # once; a failed kill falls back inside kill()
                continue
            if self._poll is None or fired:
                continue
            try:
                verdict = self._poll()
            except Exception:  # a failed poll must never stop the deadline from firing
                continue
            if verdict is not None:
                self._fire(verdict)
                if verdict == "":
                    self._poll = None  # cleaned up once; from here only the deadline fires
