"""The exec helper's watchdog on fake streams: deadline, log cap, polls, decoding. No Docker."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from faultline.harness.sandbox.execs import watch


class Hang:
    """A stream that hangs silently (or floods) until killed, like a process that ignores SIGTERM."""

    def __init__(self, flood: bytes = b"") -> None:
        self.killed = threading.Event()
        self.reasons: list[str] = []
        self.flood = flood

    def kill(self, reason: str) -> None:
        self.reasons.append(reason)
        if reason:
            self.killed.set()

    def stream(self) -> Iterator[bytes]:
        yield b"started\n"
        while not self.killed.is_set():
            if self.flood:
                yield self.flood
            else:
                self.killed.wait(0.01)


def _watch(hang: Hang, seconds: float, **kw: object) -> object:
    now = time.monotonic()
    return watch(
        hang.stream(), started=now, deadline=now + seconds, log_bytes=kw.pop("log_bytes", 1024),  # type: ignore[arg-type]
        kill=hang.kill, exit_code=lambda: None, **kw,  # type: ignore[arg-type]
    )


def test_kills_at_the_deadline() -> None:
    hang = Hang()
    ran = _watch(hang, 0.5)
    assert hang.reasons == ["timeout"]
    assert ran.killed_reason == "timeout" and ran.timed_out and ran.exit_code is None  # type: ignore[attr-defined]
    assert 0.45 < ran.duration < 1.5  # type: ignore[attr-defined]
    assert ran.output == "started\n"  # type: ignore[attr-defined]


def test_the_overall_deadline_has_its_own_reason() -> None:
    ran = _watch(Hang(), 0.3, deadline_reason="deadline")
    assert ran.killed_reason == "deadline" and ran.timed_out  # type: ignore[attr-defined]


def test_kills_past_the_log_cap_and_keeps_exactly_the_cap() -> None:
    hang = Hang(flood=b"\xff" * 4096)  # not UTF-8: decoded with replacement characters
    ran = _watch(hang, 30.0, log_bytes=10_000)
    assert hang.reasons == ["log-limit"]
    assert ran.killed_reason == "log-limit" and ran.truncated and not ran.timed_out  # type: ignore[attr-defined]
    assert ran.duration < 5  # type: ignore[attr-defined]
    assert ran.output.startswith("started\n") and set(ran.output[8:]) == {"\ufffd"}  # type: ignore[attr-defined]
    assert len(ran.output) == 10_000  # type: ignore[attr-defined]


def test_a_poll_verdict_kills_with_its_reason() -> None:
    hang = Hang()
    polls = iter([None, None, "output-limit"])
    ran = _watch(hang, 30.0, poll=lambda: next(polls, None))
    assert hang.reasons == ["output-limit"] and ran.killed_reason == "output-limit"  # type: ignore[attr-defined]


def test_an_empty_verdict_cleans_up_once_and_is_no_kill() -> None:
    # The process exited, a daemon it left holds the stream: clean up, charge nothing.
    hang = Hang()

    def poll() -> str:
        threading.Timer(0.05, hang.killed.set).start()  # the cleanup ends the stream
        return ""

    ran = _watch(hang, 30.0, poll=poll)
    assert hang.reasons == [""] and ran.killed_reason is None and not ran.timed_out  # type: ignore[attr-defined]


def test_a_failing_poll_never_stops_the_deadline() -> None:
    def poll() -> str | None:
        raise OSError("engine hiccup")

    hang = Hang()
    ran = _watch(hang, 0.4, poll=poll)
    assert ran.killed_reason == "timeout"  # type: ignore[attr-defined]


def test_exit_code_is_asked_after_the_stream_ends() -> None:
    now = time.monotonic()
    ran = watch(iter([b"ok\n"]), started=now, deadline=now + 5, log_bytes=100, kill=lambda r: None,
                exit_code=lambda: 3)
    assert (ran.exit_code, ran.output, ran.killed_reason, ran.truncated) == (3, "ok\n", None, False)
