"""How long the reference takes, and how much memory, on each hidden dataset.

Measured once when a variant is made, as a plain process on the machine that made it (the
debrief shows the candidate's runs beside these). Timings are not a function of the seed,
so they live in their own file, ``key/measured.json``: the one file of a key that differs
between two builds of the same seed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MEASURED = "measured.json"


def measure(solution: Path, hidden: dict[str, Path]) -> list[dict[str, Any]]:
    """Run the reference on each hidden dataset, one at a time: wall seconds and peak RSS."""
    runs = []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for name, data in hidden.items():
        with tempfile.TemporaryDirectory(prefix="faultline-reference-") as out:
            began = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "--input", str(data), "--output", out],
                cwd=solution, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            runs.append({
                "dataset": name, "exit_code": proc.returncode,
                "wall_seconds": round(time.monotonic() - began, 3),
                "peak_memory_bytes": int(usage.ru_maxrss) * 1024,  # Linux reports KiB
            })
    return runs


def write(key: Path, runs: list[dict[str, Any]]) -> None:
    (key / MEASURED).write_text(json.dumps({"reference_runs": runs}, indent=2) + "\n")


def read(key: Path) -> list[dict[str, Any]]:
    """The reference's runs, or none for a key made before they were measured (or unreadable)."""
    try:
        doc = json.loads((key / MEASURED).read_text())
    except (OSError, ValueError):
        return []
    runs = doc.get("reference_runs") if isinstance(doc, dict) else None
    return [r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []
