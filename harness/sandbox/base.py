"""What a sandbox is: something that runs what grading hands it, with limits.

The sandbox knows nothing of exercises, faults or the key's layout. Grading gives it two
specs: a ``RunSpec`` (a command run once per dataset inside a workspace) and a ``CheckSpec``
(the trusted graders' command, the read-only mounts it needs and where it writes its
report). Two implementations: ``local`` (subprocesses, for development and practice) and
``docker`` (the default, hardened).

Paths inside a sandbox are relative to the sandbox's root: the Docker sandbox mounts
``target`` at ``/<target>`` and runs with ``/`` as working folder; the local one links
``target`` inside a temporary folder and runs there. A command's first word ``python`` is
the sandbox's own interpreter.
"""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from faultline.harness.sandbox.collect import MAX_OUTPUT_DEPTH, MAX_OUTPUT_ENTRIES


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits for one grading's run phase; the defaults are documented in the README."""

    timeout: float = 120.0  # wall seconds per dataset run
    memory: int = 2 * 1024**3  # bytes; memory+swap is set to the same value
    cpus: float = 1.0
    pids: int = 256
    log_bytes: int = 1024 * 1024  # stdout+stderr kept per run; past it the run is killed
    output_bytes: int = 256 * 1024 * 1024  # total bytes a run may write to its output folder
    output_entries: int = MAX_OUTPUT_ENTRIES  # files and folders in all output folders together
    output_depth: int = MAX_OUTPUT_DEPTH  # folder levels inside one dataset's output folder
    tmp_bytes: int = 256 * 1024 * 1024  # size of the /tmp tmpfs
    nofile: int = 256  # open files
    # Overall wall seconds for all of a submission's runs together, enforced from the host;
    # None means DEADLINE_FACTOR x timeout. Runs that would start after it are not started.
    deadline: float | None = None

    def overall_deadline(self) -> float:
        return self.deadline if self.deadline is not None else DEADLINE_FACTOR * self.timeout


DEADLINE_FACTOR = 2.0  # a hanging submission costs two dataset timeouts, however many datasets


@dataclasses.dataclass(frozen=True)
class Mount:
    """A host file or folder shown read-only inside the sandbox at ``target`` (relative)."""

    source: Path
    target: str


@dataclasses.dataclass(frozen=True)
class RunSpec:
    """The run phase: ``command`` once per dataset, from inside ``workspace``.

    ``{input}`` and ``{output}`` in the command become the dataset's input folder and its
    output folder as the sandbox shows them. Outputs land on the host in
    ``outputs/<dataset>/``, holding only regular files under the output caps.
    With ``in_input``, each command runs from inside its dataset's (read-only) folder
    instead of the workspace: a folder per run that is itself a workspace (the
    candidate's tests, run against each pipeline).
    """

    workspace: Path
    datasets: Mapping[str, Path]
    command: tuple[str, ...]
    limits: Limits
    in_input: bool = False


@dataclasses.dataclass(frozen=True)
class CheckSpec:
    """The check phase: trusted graders over the run phase's outputs.

    ``command`` runs from the sandbox's root; ``mounts`` are read-only; the outputs appear
    read-only at ``outputs``; ``report`` is the only writable folder, and the files named in
    ``report_files`` come back in ``CheckRun.reports``. When ``ready`` is set, the sandbox may
    start the command before the outputs are complete and creates ``ready`` (a file path)
    once they are; the command must wait for it.
    """

    command: tuple[str, ...]
    mounts: tuple[Mount, ...]
    outputs: str
    report: str
    report_files: tuple[str, ...]
    limits: Limits
    ready: str | None = None


@dataclasses.dataclass(frozen=True)
class RunResult:
    """How one dataset run went. Informational: grades come only from output files."""

    dataset: str
    exit_code: int | None  # None when killed before it could exit
    wall_seconds: float
    timed_out: bool  # killed for wall time: its own timeout or the submission's deadline
    log: str  # stdout+stderr, truncated to Limits.log_bytes, decoded with errors="replace"
    log_truncated: bool = False
    # "timeout", "deadline", "log-limit", "output-limit", "memory"; "deadline" with
    # wall_seconds 0 means the run never started because the deadline had passed.
    killed_reason: str | None = None
    # Highest memory use seen during the run, None where the sandbox cannot tell. Docker: the
    # container's cgroup peak (cgroup v1 memory.max_usage_in_bytes, reset before each run), so
    # it counts page cache (inputs read, outputs written) as the memory limit does, not only RSS.
    peak_memory_bytes: int | None = None

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class CheckRun:
    """The check phase's outcome: the report files the spec named (text), exit code, log."""

    reports: Mapping[str, str]  # file name -> text; a file the graders did not write is absent
    exit_code: int | None
    wall_seconds: float
    log: str
    killed_reason: str | None = None  # "timeout" or "log-limit" when the graders were stopped


class PendingCheck(Protocol):
    """A check phase made ready before the outputs exist (see ``Sandbox.check_phase``)."""

    def release(self) -> CheckRun:
        """The outputs are complete: grade them now and return the report."""
        ...


class Sandbox(Protocol):
    name: str

    def check_phase(self, spec: CheckSpec, *, outputs: Path) -> contextlib.AbstractContextManager[PendingCheck]:
        """Prepare the check phase while the run phase goes on; leaving the block cleans up.

        Inside the block, ``release()`` grades what ``outputs`` then holds, once. A sandbox
        may start the graders early (Docker: container up, pandas imported) but they read
        no output before ``release()``.
        """
        ...

    def run_pipeline(self, spec: RunSpec, *, outputs: Path) -> list[RunResult]:
        """Run ``spec.command`` on each dataset; outputs land in ``outputs/<dataset>/``.

        The workspace and datasets are never modified. Runs past the overall deadline are
        reported as not run, never skipped silently.
        """
        ...

    def run_graders(self, spec: CheckSpec, *, outputs: Path) -> CheckRun:
        """Run the check phase at once over complete ``outputs``."""
        ...
