"""The local sandbox: plain subprocesses, for development and practice.

It isolates nothing beyond a fresh environment, a process group and a wall-clock
kill: use it for your own code and the reference, never for untrusted submissions
(``--sandbox docker`` is the default for that).
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from faultline.harness.sandbox.base import CheckRun, Limits, RunResult
from faultline.harness.sandbox.collect import prune_outputs


def run_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float, log_bytes: int
) -> tuple[int | None, float, bool, str, bool]:
    """Run ``argv`` in its own process group: (exit code, seconds, timed out, log, truncated)."""
    with tempfile.TemporaryFile() as log:
        began = time.monotonic()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        timed_out = False
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            code = None
        finally:
            # Also reaps whatever the run left behind in its group (daemons, children).
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        seconds = time.monotonic() - began
        size = log.seek(0, os.SEEK_END)
        log.seek(max(size - log_bytes, 0))
        text = log.read(log_bytes).decode("utf-8", errors="replace")
    return code, seconds, timed_out, text, size > log_bytes


def _env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }


class LocalSandbox:
    name = "local"

    def run_pipeline(
        self, *, workspace: Path, datasets: dict[str, Path], outputs: Path, limits: Limits
    ) -> list[RunResult]:
        results = []
        with tempfile.TemporaryDirectory(prefix="faultline-home-") as home:
            for name, data in datasets.items():
                target = outputs / name
                target.mkdir(parents=True, exist_ok=True)
                argv = [sys.executable, "-s", "-m", "pipeline", "--input", str(data), "--output", str(target)]
                code, seconds, timed_out, log, truncated = run_process(
                    argv, cwd=workspace, env=_env(Path(home)), timeout=limits.timeout,
                    log_bytes=limits.log_bytes,
                )
                reason = "timeout" if timed_out else None
                if prune_outputs(target, max_bytes=limits.output_bytes):
                    reason = reason or "output-limit"
                results.append(
                    RunResult(
                        dataset=name, exit_code=code, wall_seconds=round(seconds, 3),
                        timed_out=timed_out, log=log, log_truncated=truncated,
                        killed_reason=reason,
                    )
                )
        return results

    def run_graders(self, *, graders: Path, key: Path, outputs: Path, limits: Limits) -> CheckRun:
        with tempfile.TemporaryDirectory(prefix="faultline-check-") as tmp:
            report, junit = Path(tmp) / "checks.json", Path(tmp) / "junit.xml"
            argv = [
                sys.executable, "-I", str(graders / "run.py"), "--key", str(key),
                "--outputs", str(outputs), "--report", str(report), "--junit", str(junit),
            ]
            code, seconds, _, log, _ = run_process(
                argv, cwd=Path(tmp), env=_env(Path(tmp)), timeout=max(limits.timeout, 300.0),
                log_bytes=limits.log_bytes,
            )
            return CheckRun(
                report_json=report.read_text() if report.is_file() else "",
                junit_xml=junit.read_text() if junit.is_file() else "",
                exit_code=code, wall_seconds=round(seconds, 3), log=log,
            )

    @contextlib.contextmanager
    def check_phase(
        self, *, graders: Path, key: Path, outputs: Path, limits: Limits
    ) -> Iterator[_LateCheck]:
        # Nothing to warm up for a subprocess: the graders simply run at release().
        yield _LateCheck(lambda: self.run_graders(graders=graders, key=key, outputs=outputs, limits=limits))


class _LateCheck:
    def __init__(self, run: Callable[[], CheckRun]) -> None:
        self._run = run

    def release(self) -> CheckRun:
        return self._run()
