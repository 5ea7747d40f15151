"""A container's peak memory, read from its cgroup on the host (needs root, else unknown).

cgroup v1 (our Debian 12 hosts with Docker 20.10): ``memory.max_usage_in_bytes``, which
writing 0 resets to the current usage, so each run gets its own peak. v2:
``memory.peak``, resettable only on recent kernels; where it cannot be reset the figure
would mix runs, so it is reported as unknown. Both count what the memory limit counts:
process memory plus page cache charged to the container (inputs read, outputs written,
including cache left by an earlier run), so they are an upper bound of the runs' RSS.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup/memory")
V2_ROOT = Path("/sys/fs/cgroup")


class PeakMemory:
    """Reset-and-read access to one container's memory peak; every failure means "unknown"."""

    def __init__(self, peak_file: Path | None) -> None:
        self._file = peak_file
        self._reset_ok = False

    @classmethod
    def of(cls, container_id: str, pid: int) -> PeakMemory:
        return cls(_peak_file(container_id, pid))

    def reset(self) -> None:
        self._reset_ok = False
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            self._file.write_text("0")
            self._reset_ok = True

    def read(self) -> int | None:
        if self._file is None or not self._reset_ok:
            return None
        try:
            return int(self._file.read_text().strip())
        except (OSError, ValueError):
            return None


def _peak_file(container_id: str, pid: int) -> Path | None:
    if pid <= 0 or not container_id:
        return None
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        # The path must name the container: a pid seen from another PID namespace (harness
        # itself in a container) could belong to some other process.
        if container_id not in path:
            continue
        if "memory" in controllers.split(","):
            candidate = V1_ROOT / path.lstrip("/") / "memory.max_usage_in_bytes"
        elif controllers == "":
            candidate = V2_ROOT / path.lstrip("/") / "memory.peak"
        else:
            continue
        if candidate.is_file():
            return candidate
    return None
