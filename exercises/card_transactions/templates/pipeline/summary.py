"""The run summary: what each stage read and produced, and how long it took.

The scheduler keeps the summary beside the run's log; on-call compares it with the
previous night's when a downstream team asks whether the table changed.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.lineage import InputFile
from pipeline.quality import Profile

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Stage:
    """One step of the run: its name, the rows it ended with, its wall time."""

    name: str
    rows: int
    seconds: float


@dataclasses.dataclass
class RunSummary:
    """Collects the stages of one run; written once at the end."""

    export: str
    window: str
    stages: list[Stage] = dataclasses.field(default_factory=list)
    inputs: list[InputFile] = dataclasses.field(default_factory=list)
    columns: list[Profile] = dataclasses.field(default_factory=list)
    days: dict[str, int] = dataclasses.field(default_factory=dict)  # attempts per local day
    mature_labels: float = 1.0  # share of attempts whose label horizon has passed
    output: str = ""

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[list[int]]:
        """Time a step; the step puts its row count into the yielded list."""
        rows: list[int] = []
        began = time.perf_counter()
        yield rows
        took = time.perf_counter() - began
        count = rows[-1] if rows else 0
        self.stages.append(Stage(name=name, rows=count, seconds=round(took, 3)))
        log.info("%-22s %10d rows %8.2fs", name, count, took)

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.stages), 3)

    def as_dict(self) -> dict[str, Any]:
        return {
            "export": self.export,
            "window": self.window,
            "output": self.output,
            "seconds": self.seconds,
            "inputs": [dataclasses.asdict(i) for i in self.inputs],
            "stages": [dataclasses.asdict(s) for s in self.stages],
            "days": self.days,
            "mature_labels": self.mature_labels,
            "columns": [dataclasses.asdict(c) for c in self.columns],
        }

    def table(self) -> str:
        """The stages as a fixed-width table: the last lines of the run's log."""
        width = max([len(s.name) for s in self.stages] + [5])
        lines = [f"{'stage':<{width}}  {'rows':>10}  {'seconds':>8}"]
        lines += [f"{s.name:<{width}}  {s.rows:>10}  {s.seconds:>8.2f}" for s in self.stages]
        lines.append(f"{'total':<{width}}  {'':>10}  {self.seconds:>8.2f}")
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), indent=2) + "\n")
