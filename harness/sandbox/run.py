"""The Docker run phase: one container per submission, one ``docker exec`` per dataset.

The container's own process is a sleeper owned by ``keeper``; candidate code runs as
``runner``, so ``kill -9 -1`` as runner ends every candidate process (daemons included)
between runs without ending the container, and the host times, logs and kills each run
itself: nothing the candidate prints is trusted. Outputs go to a disk-backed volume (the
archive API cannot see tmpfs), are measured on the host where it can read the volume, and
come back dataset by dataset through ``get_archive`` into ``archive.extract_tree``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from faultline.harness.sandbox.archive import extract_tree
from faultline.harness.sandbox.base import RunResult, RunSpec
from faultline.harness.sandbox.cgroup import PeakMemory
from faultline.harness.sandbox.collect import OutputCaps, measure
from faultline.harness.sandbox.engine import hard_kill
from faultline.harness.sandbox.execs import ExecResult, run_exec
from faultline.harness.sandbox.hardening import RUNNER

KILL_GRACE = 5.0  # seconds our cleaner may take before the container itself is killed
DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Creates the run's output folder, then becomes the spec's command.
WRAPPER = 'mkdir -p "$1" && shift && exec "$@"'
# Runs as runner: kill(-1) spares the caller, PID 1 and keeper; a fork bomb may outrun one
# pass, hence three. /tmp is emptied so one dataset's leftovers never reach the next.
CLEAN_SCRIPT = "kill -9 -1; kill -9 -1; kill -9 -1; rm -rf /tmp/* /tmp/.[!.]* /tmp/..?* 2>/dev/null; true"
OUTPUT_LIMIT_NOTE = "[faultline] outputs over the output limit were discarded"


def check_names(spec: RunSpec) -> None:
    for name in spec.datasets:
        if not DATASET_NAME.match(name):
            raise ValueError(f"dataset name {name!r} is not a plain file name")


def command_for(spec: RunSpec, name: str) -> list[str]:
    inp, out = f"/data/{name}", f"/out/{name}"
    argv = [a.replace("{input}", inp).replace("{output}", out) for a in spec.command]
    return ["sh", "-c", WRAPPER, "sh", out, *argv]


class RunPhase:
    """The per-dataset loop over one container, under the submission's overall deadline."""

    def __init__(self, container: Any, volume: Any, spec: RunSpec) -> None:
        self.api = container.client.api
        self.container = container
        self.spec = spec
        self.limits = spec.limits
        self.mountpoint = Path(volume.attrs.get("Mountpoint") or "/nonexistent")
        self.caps = OutputCaps.of(self.limits)
        # Two cleaners at once would kill each other (both are runner), and an exec killed that
        # early can stay "Running" in the engine for good: one at a time.
        self._kill_lock = threading.Lock()
        self.memory = PeakMemory(None)
        self.deadline = float("inf")

    def run_all(self) -> list[RunResult]:
        self.deadline = time.monotonic() + self.limits.overall_deadline()
        names = list(self.spec.datasets)
        results = []
        for i, name in enumerate(names):
            if time.monotonic() >= self.deadline:
                results.append(self._not_run(name))
                continue
            results.append(self._run(name))
            if i < len(names) - 1:  # after the last run, collect() kills the whole container
                self._clean()
        return results

    def _not_run(self, name: str) -> RunResult:
        seconds = self.limits.overall_deadline()
        return RunResult(
            dataset=name, exit_code=None, wall_seconds=0.0, timed_out=True,
            log=f"[faultline] not run: the submission's overall deadline of {seconds:.0f} s had passed\n",
            killed_reason="deadline",
        )

    def _run(self, name: str) -> RunResult:
        # Bytes are capped per run (earlier runs' bytes do not count), entries per submission:
        # a run that made thousands of folders leaves none of that budget to the next, so a
        # hostile submission cannot make every dataset cost the engine 10000 removals.
        used = measure(self.mountpoint, _UNCAPPED, depth_offset=-1)
        if used.entries > self.caps.max_entries:
            return RunResult(
                dataset=name, exit_code=None, wall_seconds=0.0, timed_out=False,
                log=f"[faultline] not run: earlier runs left more than {self.caps.max_entries} files and folders\n",
                killed_reason="output-limit",
            )
        self._ensure_running()
        volume_caps = dataclasses.replace(
            _UNCAPPED, max_bytes=used.bytes + self.caps.max_bytes, max_entries=self.caps.max_entries
        )

        problems: list[str] = []

        def over() -> str | None:
            problem = (
                measure(self.mountpoint / name, self.caps).problem
                or measure(self.mountpoint, volume_caps, depth_offset=-1).problem
            )
            if problem:
                problems.append(problem)
                return "output-limit"
            return None

        own = time.monotonic() + self.limits.timeout
        self.memory.reset()
        ran: ExecResult = run_exec(
            self.api,
            self.container.id,
            command_for(self.spec, name),
            user=RUNNER,
            workdir=f"/data/{name}" if self.spec.in_input else "/work",
            deadline=min(own, self.deadline),
            deadline_reason="deadline" if self.deadline < own else "timeout",
            log_bytes=self.limits.log_bytes,
            kill=self._kill_all,
            poll=over,
        )
        reason = ran.killed_reason
        if reason is None and ran.exit_code == 137:
            reason = "memory"  # SIGKILL we did not send: the cgroup's OOM killer
        return RunResult(
            dataset=name,
            exit_code=None if reason else ran.exit_code,
            wall_seconds=round(ran.duration, 3),
            timed_out=ran.timed_out,
            log=ran.output + (f"[faultline] stopped at the output limit: {problems[0]}\n" if problems else ""),
            log_truncated=ran.truncated,
            killed_reason=reason,
            peak_memory_bytes=self.memory.read(),
        )

    def collect(self, results: list[RunResult], outputs: Path) -> list[RunResult]:
        """Copy each dataset's output folder to the host; folders over a cap are discarded."""
        hard_kill(self.container)  # nothing may write while we read
        return [self._collect_one(r, outputs / r.dataset) for r in results]

    def _collect_one(self, r: RunResult, dest: Path) -> RunResult:
        import docker.errors

        shutil.rmtree(dest, ignore_errors=True)  # stale files would block ours (O_EXCL)
        stopped = r.killed_reason == "output-limit"
        problem: str | None = None
        dropped = 0
        if not stopped:
            # Where the host can read the volume, a look costs milliseconds and spares the engine
            # archiving a tree we would throw away.
            problem = measure(self.mountpoint / r.dataset, self.caps).problem
        if not stopped and problem is None:
            try:
                chunks, _ = self.container.get_archive(f"/out/{r.dataset}")
            except docker.errors.NotFound:
                chunks = None  # the run removed its own output folder
            if chunks is not None:
                got = extract_tree(chunks, dest, self.caps)
                problem, dropped = got.problem, got.dropped
        note = ""
        if stopped or problem is not None:
            shutil.rmtree(dest, ignore_errors=True)
            note += f"{OUTPUT_LIMIT_NOTE} ({problem})\n" if problem else f"{OUTPUT_LIMIT_NOTE}\n"
            r = dataclasses.replace(r, killed_reason=r.killed_reason or "output-limit")
        if dropped:
            note += f"[faultline] dropped {dropped} output entries that were not regular files\n"
        return dataclasses.replace(r, log=r.log + note) if note else r

    def _ensure_running(self) -> None:
        self.container.reload()
        if self.container.status != "running":
            self.container.start()  # first run, or after a hard kill; /tmp comes back empty
            self.container.reload()  # for the new init's pid, which leads to the cgroup
            self.memory = PeakMemory.of(self.container.id, int(self.container.attrs["State"].get("Pid") or 0))

    def _kill_all(self, reason: str) -> None:
        with self._kill_lock:
            self._cleaner()

    def _clean(self) -> None:
        with self._kill_lock, contextlib.suppress(Exception):
            self.container.reload()
            if self.container.status == "running":
                self._cleaner()

    def _cleaner(self) -> None:
        """Our trusted cleaner as runner; the whole container is killed if it cannot finish."""
        try:
            ran = run_exec(
                self.api, self.container.id, ["sh", "-c", CLEAN_SCRIPT], user=RUNNER,
                deadline=time.monotonic() + KILL_GRACE, log_bytes=4096,
                kill=lambda why: hard_kill(self.container) if why else None, detach=True,
            )
            if ran.exit_code is None:
                hard_kill(self.container)
        except Exception:  # e.g. no pid left to start the cleaner with
            hard_kill(self.container)


# For the whole volume (every dataset's folder and strays beside them); depth is each
# dataset folder's own cap.
_UNCAPPED = OutputCaps(max_bytes=2**62, max_entries=2**62, max_depth=2**30)
