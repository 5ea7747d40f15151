"""The local sandbox: plain subprocesses, for development and practice.

It isolates nothing beyond a fresh environment, a process group and a wall-clock
kill: use it for your own code and the reference, never for untrusted submissions
(``--sandbox docker`` is the default for that). It follows the same specs as Docker:
mounts become links in a temporary root, the deadline and output caps hold.
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

from faultline.harness.sandbox.base import CheckRun, CheckSpec, RunResult, RunSpec
from faultline.harness.sandbox.collect import OutputCaps, prune_outputs
from faultline.harness.sandbox.execs import WALL_REASONS, ExecResult
from faultline.harness.sandbox.session import temp_prefix
from faultline.harness.sandbox.staging import container_path


def run_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float, log_bytes: int,
    timeout_reason: str = "timeout",
) -> ExecResult:
    """Run ``argv`` in its own process group, killed with the group at ``timeout``."""
    with tempfile.TemporaryFile() as log:
        began = time.monotonic()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        reason: str | None = None
        try:
            code: int | None = proc.wait(timeout=max(timeout, 0.0))
        except subprocess.TimeoutExpired:
            reason, code = timeout_reason, None
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
    return ExecResult(
        exit_code=code, output=text, truncated=size > log_bytes, timed_out=reason in WALL_REASONS,
        duration=seconds, killed_reason=reason,
    )


def _env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }


def _argv(command: tuple[str, ...] | list[str]) -> list[str]:
    # "python" in a spec is the sandbox's interpreter: here, ours, without the user site.
    return [sys.executable, "-s", *command[1:]] if command and command[0] == "python" else list(command)


class LocalSandbox:
    name = "local"

    def run_pipeline(self, spec: RunSpec, *, outputs: Path) -> list[RunResult]:
        limits = spec.limits
        deadline = time.monotonic() + limits.overall_deadline()
        caps = OutputCaps.of(limits)
        results = []
        with tempfile.TemporaryDirectory(prefix=temp_prefix("home")) as home:
            for name, data in spec.datasets.items():
                left = deadline - time.monotonic()
                if left <= 0:
                    results.append(RunResult(
                        dataset=name, exit_code=None, wall_seconds=0.0, timed_out=True,
                        log=f"[faultline] not run: the submission's overall deadline of "
                            f"{limits.overall_deadline():.0f} s had passed\n",
                        killed_reason="deadline",
                    ))
                    continue
                target = outputs / name
                target.mkdir(parents=True, exist_ok=True)
                argv = [a.replace("{input}", str(data)).replace("{output}", str(target)) for a in spec.command]
                ran = run_process(
                    _argv(argv), cwd=data if spec.in_input else spec.workspace, env=_env(Path(home)),
                    timeout=min(limits.timeout, left),
                    log_bytes=limits.log_bytes, timeout_reason="timeout" if limits.timeout <= left else "deadline",
                )
                log, reason = ran.output, ran.killed_reason
                problem = prune_outputs(target, caps)
                if problem is not None:
                    reason = reason or "output-limit"
                    log += f"[faultline] outputs over the output limit were discarded ({problem})\n"
                results.append(
                    RunResult(
                        dataset=name, exit_code=ran.exit_code, wall_seconds=round(ran.duration, 3),
                        timed_out=ran.timed_out, log=log, log_truncated=ran.truncated, killed_reason=reason,
                    )
                )
        return results

    def run_graders(self, spec: CheckSpec, *, outputs: Path) -> CheckRun:
        with tempfile.TemporaryDirectory(prefix=temp_prefix("check")) as tmp:
            root = Path(tmp)
            links = [(m.source.resolve(), m.target) for m in spec.mounts] + [(outputs.resolve(), spec.outputs)]
            for source, target in links:
                place = root / container_path(target).lstrip("/")
                place.parent.mkdir(parents=True, exist_ok=True)
                place.symlink_to(source)
            report = root / container_path(spec.report).lstrip("/")
            report.mkdir(parents=True, exist_ok=True)
            if spec.ready:  # the outputs are complete before the graders start
                ready = root / container_path(spec.ready).lstrip("/")
                ready.parent.mkdir(parents=True, exist_ok=True)
                ready.touch()
            ran = run_process(
                _argv(spec.command), cwd=root, env=_env(root), timeout=spec.limits.timeout,
                log_bytes=spec.limits.log_bytes,
            )
            reports = {
                name: (report / name).read_text(errors="replace")
                for name in spec.report_files
                if (report / name).is_file()
            }
            return CheckRun(
                reports=reports, exit_code=ran.exit_code, wall_seconds=round(ran.duration, 3),
                log=ran.output, killed_reason=ran.killed_reason,
            )

    @contextlib.contextmanager
    def check_phase(self, spec: CheckSpec, *, outputs: Path) -> Iterator[_LateCheck]:
        # Nothing to warm up for a subprocess: the graders simply run at release().
        yield _LateCheck(lambda: self.run_graders(spec, outputs=outputs))


class _LateCheck:
    def __init__(self, run: Callable[[], CheckRun]) -> None:
        self._run = run

    def release(self) -> CheckRun:
        return self._run()
