"""Does parallel grading pay? grade-batch over 20 submissions of mixed variants in Docker,
with --jobs 1, --jobs 2 and the default, each into a fresh gradebook.

    python benchmarks/bench_batch.py [--rows 3000] [--submissions 20] [--variants 2] [--round DIR]

Prints, per setting: wall time, speed-up over --jobs 1, and the peak of the machine's memory
in use above what it used before (MemTotal - MemAvailable, sampled every 0.2 s: containers,
page cache they dirty, and the worker processes), and the highest container peak reported.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import copy_tree, workspace_with  # noqa: E402


def memory_in_use() -> int:
    info = {}
    with open("/proc/meminfo") as fh:
        for line in fh:
            name, value = line.split(":", 1)
            info[name] = int(value.split()[0]) * 1024
    return info["MemTotal"] - info["MemAvailable"]


class PeakMemory:
    def __init__(self) -> None:
        self.base = memory_in_use()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, memory_in_use())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def make_round(dest: Path, variants: int, rows: int) -> Path:
    listing = dest / "candidates.csv"
    listing.write_text("candidate,difficulty\n" + "".join(f"v{i},easy\n" for i in range(variants)))
    subprocess.run([sys.executable, "-m", "faultline", "new", "retail-events", "--candidates", str(listing),
                    "--out", str(dest / "round"), "--rows", str(rows), "--seed", "bench-batch"], check=True)
    return dest / "round"


def make_submissions(round_dir: Path, dest: Path, count: int) -> Path:
    """``count`` candidates spread over the round's variants: solutions, bundles, partial fixes."""
    keys = sorted(p / "key" for p in round_dir.iterdir() if (p / "key" / "variant.json").is_file())
    rows = []
    for i in range(count):
        key = keys[i % len(keys)]
        faults = [f["id"] for f in json.loads((key / "variant.json").read_text())["faults"]]
        name = f"c{i:02d}"
        if i % 3 == 0:
            sub = copy_tree(key / "solution", dest / name)
            shutil.rmtree(sub / "data")
        elif i % 3 == 1:
            sub = dest / f"{name}.zip"
            shutil.copyfile(key.parent / "candidate.zip", sub)
        else:
            sub = workspace_with(key, set(faults[1:]), dest / name)
        rows.append((name, sub, key))
    manifest = dest / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["candidate", "submission", "key"])
        writer.writerows((n, str(s), str(k)) for n, s, k in rows)
    return manifest


def run(manifest: Path, out: Path, jobs: int | None) -> tuple[float, int, float]:
    cmd = [sys.executable, "-m", "faultline", "grade-batch", str(manifest), "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    with PeakMemory() as mem:
        began = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"grade-batch exited {done.returncode}: {done.stderr.strip()}")
    workers = int(done.stdout.split(" worker(s)")[0].rsplit(" ", 1)[1])
    peaks = [r.get("peak_memory_bytes") or 0 for p in (out / "results").glob("*/result.json")
             for r in json.loads(p.read_text())["runs"]]
    container = max(peaks, default=0) / 2**20
    print(f"  jobs={jobs or 'default'}: {seconds:.1f}s on {workers} worker(s), machine memory peak "
          f"+{(mem.peak - mem.base) / 2**20:.0f} MiB, highest run container peak {container:.0f} MiB, "
          f"load average after {os.getloadavg()[0]:.1f}", flush=True)
    return seconds, workers, (mem.peak - mem.base) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--variants", type=int, default=2)
    parser.add_argument("--round", type=Path, help="reuse a round made by `faultline new --candidates`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        base = Path(tmp)
        round_dir = args.round or make_round(base, args.variants, args.rows)
        (base / "subs").mkdir()
        manifest = make_submissions(round_dir, base / "subs", args.submissions)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"grade-batch, Docker sandbox, {args.submissions} submissions of "
              f"{len([p for p in round_dir.iterdir() if p.is_dir()])} variants:")
        times = {}
        for jobs in (1, 2, None):
            times[jobs] = run(manifest, base / f"out-{jobs or 'default'}", jobs)[0]
        for jobs in (2, None):
            print(f"speed-up jobs={jobs or 'default'} over jobs=1: {times[1] / times[jobs]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
