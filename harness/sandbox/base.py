"""What a sandbox is: something that runs a submission's entry point and the graders.

The sandbox knows nothing of exercises or faults. It runs
``python -m pipeline --input <dataset> --output <out>`` inside a workspace, once per
dataset, and it runs the trusted graders over the outputs. Two implementations:
``local`` (a subprocess, for development and practice) and ``docker`` (the default, hardened).
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Protocol


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits for one grading; the defaults are documented in the README."""

    timeout: float = 120.0  # wall seconds per dataset run
    memory: int = 2 * 1024**3  # bytes; memory+swap is set to the same value
    cpus: float = 1.0
    pids: int = 256
    log_bytes: int = 1024 * 1024  # stdout+stderr kept per run; past it the run is killed
    output_bytes: int = 256 * 1024 * 1024  # total bytes a run may write to its output folder
    tmp_bytes: int = 256 * 1024 * 1024  # size of the /tmp tmpfs
    nofile: int = 256  # open files


@dataclasses.dataclass(frozen=True)
class RunResult:
    """How one dataset run went. Informational: grades come only from output files."""

    dataset: str
    exit_code: int | None  # None when killed before it could exit
    wall_seconds: float
    timed_out: bool
    log: str  # stdout+stderr, truncated to Limits.log_bytes, decoded with errors="replace"
    log_truncated: bool = False
    killed_reason: str | None = None  # "timeout", "log-limit", "output-limit", "memory" ...
    # Highest memory use seen during the run, None where the sandbox cannot tell. Docker: the
    # container's cgroup peak (cgroup v1 memory.max_usage_in_bytes, reset before each run), so
    # it counts page cache (inputs read, outputs written) as the memory limit does, not only RSS.
    peak_memory_bytes: int | None = None

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class CheckRun:
    """The check phase's outcome: the graders' own report (JSON) and JUnit XML, as text."""

    report_json: str
    junit_xml: str
    exit_code: int | None
    wall_seconds: float
    log: str


class PendingCheck(Protocol):
    """A check phase made ready before the outputs exist (see ``Sandbox.check_phase``)."""

    def release(self) -> CheckRun:
        """The outputs are complete: grade them now and return the report."""
        ...


class Sandbox(Protocol):
    name: str

    def check_phase(
        self, *, graders: Path, key: Path, outputs: Path, limits: Limits
    ) -> contextlib.AbstractContextManager[PendingCheck]:
        """Prepare the check phase while the run phase goes on; leaving the block cleans up.

        Inside the block, ``release()`` grades what ``outputs`` then holds, once. A sandbox
        may start the graders early (Docker: container up, pandas imported) but they read
        no output before ``release()``.
        """
        ...

    def run_pipeline(
        self,
        *,
        workspace: Path,
        datasets: dict[str, Path],
        outputs: Path,
        limits: Limits,
    ) -> list[RunResult]:
        """Run the workspace's entry point on each dataset.

        ``workspace`` holds ``pipeline/``; ``datasets`` maps a dataset name to an input
        folder. Outputs land in ``outputs/<dataset>/`` on the host, holding only regular
        files (links and specials are dropped, sizes capped). The workspace and datasets
        are never modified.
        """
        ...

    def run_graders(
        self,
        *,
        graders: Path,
        key: Path,
        outputs: Path,
        limits: Limits,
    ) -> CheckRun:
        """Run ``graders/run.py`` over ``outputs`` against ``key`` and return its report."""
        ...
