"""Grading overhead: `faultline grade` in Docker versus the pipeline alone on the host.

    python benchmarks/bench_overhead.py [--key DIR] [--repeat 3] [--cpus 1 2]

Without --key it makes the default variant once (`faultline new retail-events --seed bench`,
200000 rows) and caches it under ``$FAULTLINE_CACHE/bench`` (default ~/.cache/faultline).
Per repeat and CPU limit it times

- pipeline: ``python -m pipeline --input key/hidden/hN --output tmp`` in key/solution, one host
  subprocess per hidden dataset, summed (no Docker, no limits);
- grade: ``faultline grade key/solution --key key --sandbox docker --cpus C`` as a subprocess,
  with the phases taken from its result.json ``timings``;

and prints them, the ratio grade/pipeline and the overhead grade - pipeline, with the load
average (other processes share this machine, so read figures next to it). Targets: overhead
at most 2 s, ratio at most 1.5. Pipeline and grade alternate so that load drifts hit both.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_OVERHEAD = 2.0
TARGET_RATIO = 1.5


def cache_dir() -> Path:
    return Path(os.environ.get("FAULTLINE_CACHE", Path.home() / ".cache" / "faultline")) / "bench"


def default_key() -> Path:
    """The default variant's key, made once (it takes a minute or two) and reused."""
    out = cache_dir() / "retail-events-bench"
    key = out / "key"
    if (key / "variant.json").is_file():
        return key
    shutil.rmtree(out, ignore_errors=True)  # a half-made variant from an interrupted run
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"making the benchmark variant in {out} (once) ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "faultline", "new", "retail-events", "--seed", "bench", "--out", str(out)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    return key


def pipeline_seconds(key: Path, tmp: Path) -> float:
    """Sum of the host's wall time for the reference pipeline on each hidden dataset."""
    total = 0.0
    for data in sorted(p for p in (key / "hidden").iterdir() if p.is_dir()):
        out = tmp / "host-out" / data.name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pipeline", "--input", str(data), "--output", str(out)],
            cwd=key / "solution", check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        total += time.perf_counter() - start
    return total


def grade_seconds(key: Path, tmp: Path, cpus: float) -> tuple[float, dict[str, Any]]:
    """Wall time of the CLI's Docker grade of the reference solution, and its result.json."""
    out = tmp / "grade-out"
    shutil.rmtree(out, ignore_errors=True)
    argv = [
        sys.executable, "-m", "faultline", "grade", str(key / "solution"), "--key", str(key),
        "--sandbox", "docker", "--cpus", str(cpus), "--out", str(out),
    ]
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    doc: dict[str, Any] = json.loads((out / "result.json").read_text())
    if doc.get("status") != "graded" or doc.get("score") != doc.get("max_score"):
        raise SystemExit(f"the reference solution did not score full marks: {doc.get('message')}")
    return wall, doc


def _cells(row: tuple[float, ...]) -> str:
    widths = (9, 7, 6, 9, 6, 6, 6, 6)
    text = " ".join(f"{v:>{w}.2f}" for v, w in zip(row, widths, strict=False))
    return f"{text} {row[-1]:>9.0f}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", type=Path, help="a variant's key folder (default: the cached bench variant)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpus", type=float, nargs="+", default=[1.0])
    args = parser.parse_args()
    key = (args.key or default_key()).resolve()

    print(f"key {key}; {os.cpu_count()} cores; load average at start {load()}")
    print(f"{'cpus':>4} {'pipeline':>9} {'grade':>7} {'ratio':>6} {'overhead':>9} "
          f"{'total':>6} {'run':>6} {'check':>6} {'runs':>6} {'peak MiB':>9}  load")
    with tempfile.TemporaryDirectory(prefix="faultline-bench-") as tmp:
        for cpus in args.cpus:
            rows = []
            for _ in range(args.repeat):
                host = pipeline_seconds(key, Path(tmp))
                wall, doc = grade_seconds(key, Path(tmp), cpus)
                timings: dict[str, float] = doc["timings"]
                runs: list[dict[str, Any]] = doc["runs"]
                runs_sum = sum(float(r["wall_seconds"]) for r in runs)
                peaks = [int(r["peak_memory_bytes"]) for r in runs if r.get("peak_memory_bytes")]
                row = (host, wall, wall / host, wall - host, timings["total_seconds"],
                       timings["run_phase_seconds"], timings["check_phase_seconds"], runs_sum,
                       max(peaks, default=0) / 2**20)
                rows.append(row)
                print(f"{cpus:>4g} {_cells(row)}  {load()}", flush=True)
            med = [statistics.median(col) for col in zip(*rows, strict=True)]
            verdict = "meets" if med[3] <= TARGET_OVERHEAD and med[2] <= TARGET_RATIO else "misses"
            print(f"{'med':>4} {_cells(tuple(med))}  "
                  f"({verdict} the targets: overhead <= {TARGET_OVERHEAD:g} s, ratio <= {TARGET_RATIO:g})")
    print("columns: seconds. grade = the CLI's wall (interpreter start and imports included); "
          "total/run/check = result.json timings (total from after loading the key; run = intake + "
          "run phase; check = from release of the outputs to the graders' report); runs = sum of "
          "per-dataset run walls; peak = largest per-run container memory peak (cgroup, page cache "
          "included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
