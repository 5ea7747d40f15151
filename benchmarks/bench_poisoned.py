"""What the poisoned exports add to a grade's wall time.

    python benchmarks/bench_poisoned.py [--exercise E] [--rows N] [--sandbox local|docker] [--repeat 3]

Makes one variant, then grades its solution with the key as made (key_format 3, poisoned
exports run and judged) and with a copy of the key downgraded to key_format 2 (no poisoned
exports: the signal is not measured). Prints the medians of --repeat gradings, each phase,
and the poisoned runs' own seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faultline.exercises.registry import EXERCISES  # noqa: E402
from faultline.harness.build import make_variant  # noqa: E402
from faultline.harness.grading import grade  # noqa: E402


def _without_poisoned(key: Path, dest: Path) -> Path:
    shutil.copytree(key, dest, ignore=shutil.ignore_patterns("poisoned"))
    doc = json.loads((dest / "variant.json").read_text())
    doc["key_format"] = 2
    del doc["poisoned"]
    (dest / "variant.json").write_text(json.dumps(doc))
    return dest


def _time(key: Path, sandbox: str, repeat: int) -> dict[str, float]:
    rows = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = grade(key / "solution", key, sandbox=sandbox)
        wall = time.perf_counter() - began
        assert result.status.value == "graded", result.doc["message"]
        signal = (result.doc.get("signals") or {}).get("poisoned") or {"datasets": []}
        rows.append({
            "wall": wall,
            "run": result.doc["timings"]["run_phase_seconds"],
            "check": result.doc["timings"]["check_phase_seconds"],
            "poisoned_runs": sum(d["wall_seconds"] or 0.0 for d in signal["datasets"]),
            "hidden_runs": sum(r["wall_seconds"] for r in result.doc["runs"]),
        })
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exercise", default="retail-events", choices=list(EXERCISES))
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sandbox", default="local", choices=("local", "docker"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "variant"
        make_variant(EXERCISES[args.exercise], out=out, seed="bench-poisoned", rows=args.rows)
        key = out / "key"
        with_poison = _time(key, args.sandbox, args.repeat)
        without = _time(_without_poisoned(key, Path(tmp) / "key2"), args.sandbox, args.repeat)
    print(f"{args.exercise}, {args.rows} rows, sandbox {args.sandbox}, medians of {args.repeat}")
    print(f"{'':<26}{'wall':>8}{'run phase':>11}{'check':>8}{'hidden runs':>13}{'poisoned runs':>15}")
    for label, t in (("without poisoned (kf 2)", without), ("with poisoned (kf 3)", with_poison)):
        print(f"{label:<26}{t['wall']:>7.2f}s{t['run']:>10.2f}s{t['check']:>7.2f}s"
              f"{t['hidden_runs']:>12.2f}s{t['poisoned_runs']:>14.2f}s")
    added = with_poison["wall"] - without["wall"]
    print(f"added by poisoned exports: {added:+.2f}s ({added / without['wall']:+.0%} of a grade)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
