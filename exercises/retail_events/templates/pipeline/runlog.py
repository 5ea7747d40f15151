"""Stage timings of a run, for the scheduler's dashboards.

Each stage of ``pipeline.cli.run`` is wrapped in ``stage(name)``: its wall time and the
rows it handed on are logged as one line and kept for the run's manifest. Peak memory is
read from the process's resource usage where the platform reports it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Stage:
    name: str
    seconds: float = 0.0
    rows: int | None = None

    def handed_on(self, rows: int) -> None:
        """Record how many rows the stage produced."""
        self.rows = rows

    @property
    def rows_per_second(self) -> float | None:
        if self.rows is None or self.seconds <= 0:
            return None
        return self.rows / self.seconds


@dataclasses.dataclass
class RunLog:
    stages: list[Stage] = dataclasses.field(default_factory=list)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        record = Stage(name)
        began = time.perf_counter()
        try:
            yield record
        finally:
            record.seconds = time.perf_counter() - began
            self.stages.append(record)
            speed = record.rows_per_second
            rows = "" if speed is None else f", {record.rows} rows ({speed:,.0f}/s)"
            log.info("stage %s: %.2fs%s", name, record.seconds, rows)

    def summary(self) -> dict[str, Any]:
        """Stage timings and the peak memory, for the run manifest."""
        return {
            "stages": [dataclasses.asdict(s) for s in self.stages],
            "seconds": round(sum(s.seconds for s in self.stages), 3),
            "peak_memory_mib": peak_memory_mib(),
        }


def peak_memory_mib() -> float:
    """The process's peak resident memory in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / scale, 1)
