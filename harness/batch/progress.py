"""Progress for people, lines for machines: a rich bar on a terminal, plain lines otherwise."""
from __future__ import annotations

import sys
from typing import Any, Protocol


class Progress(Protocol):
    def advance(self, line: str) -> None: ...

    def close(self) -> None: ...


class PlainLines:
    """One flushed line per finished grading: what a CI log or a pipe wants."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def advance(self, line: str) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total}] {line}", flush=True)

    def close(self) -> None:
        pass


class RichBar:
    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar: Any = Progress(
            TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
        )
        self._task = self._bar.add_task("grading", total=total)
        self._bar.start()

    def advance(self, line: str) -> None:
        self._bar.console.print(line, markup=False, highlight=False)
        self._bar.advance(self._task)

    def close(self) -> None:
        self._bar.stop()


def progress_for(total: int) -> Progress:
    return RichBar(total) if sys.stdout.isatty() else PlainLines(total)
