"""Argument types for the CLI: every value is checked while parsing, before any work starts.

Each function turns one command-line string into a value or raises
``argparse.ArgumentTypeError``, which argparse prints as a one-line usage error (exit 2).
The floors and ceilings are documented in the README's limits table.
"""
from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

_SIZE_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}

# Below these a run cannot even start, so a grade would only report the candidate as failed.
MIN_MEMORY = 256 * 1024**2  # importing pandas and pyarrow alone takes about 110 MiB
MIN_PIDS = 32  # pyarrow starts a thread per core and threads count against the pids limit
MIN_TIMEOUT = 5.0  # importing pandas and pyarrow takes about a second on a quiet machine
MAX_TIMEOUT = 24 * 3600.0  # per dataset run; more is a typo, not a plan
MAX_PIDS = 4 * 1024**2  # Linux's largest pid_max
MIN_ROWS = 2_000  # smaller exports cannot show every fault (make_variant refuses them too)


def _number(text: str, kind: type[int] | type[float]) -> float:
    try:
        value = float(kind(text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def machine_memory() -> int | None:
    """Physical memory of this machine in bytes, None where the platform cannot say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def memory(text: str) -> int:
    """``2g``, ``512m``, ``1048576``: bytes, between MIN_MEMORY and this machine's memory."""
    value = text.strip().lower().removesuffix("b").removesuffix("i")
    factor = _SIZE_UNITS.get(value[-1:], 1)
    number = value[:-1] if value[-1:] in _SIZE_UNITS else value
    try:
        size = float(number) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2g, 512m)") from None
    if not math.isfinite(size):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2g, 512m)")
    if size < MIN_MEMORY:
        raise argparse.ArgumentTypeError(
            f"{text} is too little: the minimum is {MIN_MEMORY // 1024**2}m "
            "(pandas and pyarrow need about 110 MiB just to start)"
        )
    total = machine_memory()
    if total is not None and size > total:
        raise argparse.ArgumentTypeError(
            f"{text} is more than this machine's memory ({total / 1024**3:.1f} GiB)"
        )
    return int(size)


def cpus(text: str) -> float:
    """A CPU limit: positive, at most the number of CPUs of this machine."""
    value = _number(text, float)
    available = os.cpu_count() or 1
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    if value > available:
        raise argparse.ArgumentTypeError(f"{text} is more than the {available} CPU(s) of this machine")
    return value


def pids(text: str) -> int:
    value = _number(text, int)
    if not MIN_PIDS <= value <= MAX_PIDS:
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: between {MIN_PIDS} and {MAX_PIDS} "
            f"(below {MIN_PIDS}, pyarrow cannot start its threads)"
        )
    return int(value)


def _seconds(text: str, what: str) -> float:
    value = _number(text, float)
    if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g} seconds {what}"
        )
    return value


def timeout(text: str) -> float:
    return _seconds(text, "per dataset run")


def deadline(text: str) -> float:
    return _seconds(text, "for the whole submission")


def rows(text: str) -> int:
    value = _number(text, int)
    if value < MIN_ROWS:
        raise argparse.ArgumentTypeError(
            f"{text} is too few: at least {MIN_ROWS} (smaller exports cannot show every fault)"
        )
    return int(value)


def percent(text: str) -> float:
    value = _number(text, float)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percentage of the maximum score (0 to 100)")
    return value


MAX_TEST_POINTS = 1000


def test_points(text: str) -> int:
    value = _number(text, float)
    if value != int(value) or not 0 <= value <= MAX_TEST_POINTS:
        raise argparse.ArgumentTypeError(
            f"{text} is not a whole number of points per caught fault (0 to {MAX_TEST_POINTS})"
        )
    return int(value)


def nonempty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text.strip()


def path(text: str) -> Path:
    # Path("") is ".", which would quietly mean the current folder.
    return Path(nonempty(text))


def fault_ids(text: str) -> list[str]:
    """``a,b,c``: every item named, none twice."""
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise argparse.ArgumentTypeError("must name at least one fault id")
    if not all(items):
        raise argparse.ArgumentTypeError(f"{text!r} has an empty item (a stray comma?)")
    repeated = sorted({item for item in items if items.count(item) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"fault {repeated[0]!r} is named more than once")
    return items
