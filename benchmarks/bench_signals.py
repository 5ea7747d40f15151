"""What signals.tests adds to a grade's wall time: the same submission graded with and without it.

    python benchmarks/bench_signals.py [--rows 200000] [--repeat 3] [--sandbox docker|local]
                                       [--key DIR] [--out DIR]

The submission is the reference solution plus a test file that catches product-fanout
(tests/signal_cases.py) on a retail-events variant with three faults (a medium draw: the
suite runs six times, on the candidate's pipeline, the reference, the bundle and each
fault's). "Without" grades the same submission with a copy of the key minus ``renders/``,
i.e. a key on which the signal is not measured. Gradings alternate, medians are printed.
Target: the signal adds at most 50% to a grade's wall time at the default rows.
"""

from __future__ import annotations

import argparse
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
from tests.signal_cases import RETAIL  # noqa: E402

FAULTS = ["product-fanout", "leading-zero-ids", "cents-cutover"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sandbox", choices=("docker", "local"), default="docker")
    parser.add_argument("--key", type=Path, help="an existing retail-events key with product-fanout")
    parser.add_argument("--out", type=Path, help="where to make the variant (default: a temporary folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        key = args.key
        if key is None:
            out = args.out or base / "variant"
            began = time.perf_counter()
            make_variant(EXERCISES["retail-events"], out=out, seed="bench-signals", rows=args.rows,
                         fault_ids=FAULTS)
            print(f"variant: {args.rows} rows, faults {', '.join(FAULTS)} ({time.perf_counter() - began:.1f} s)")
            key = out / "key"
        old_key = base / "key-without-renders"
        shutil.copytree(key, old_key)
        shutil.rmtree(old_key / "renders")
        submission = base / "submission"
        shutil.copytree(key / "solution", submission)
        (submission / "tests" / "test_guard.py").write_text(RETAIL)

        walls: dict[str, list[float]] = {"without": [], "with": []}
        signal_seconds: list[float] = []
        for i in range(args.repeat):
            order = ("without", "with") if i % 2 == 0 else ("with", "without")
            for what in order:
                began = time.perf_counter()
                result = grade(submission, key if what == "with" else old_key, sandbox=args.sandbox)
                walls[what].append(time.perf_counter() - began)
                assert result.doc["status"] == "graded", result.doc["message"]
                if what == "with":
                    tests = result.doc["signals"]["tests"]
                    assert tests["faults"]["product-fanout"]["caught"], tests
                    signal_seconds.append(tests["seconds"])
                print(f"  {what:<8} {walls[what][-1]:6.2f} s", flush=True)
        without, with_ = statistics.median(walls["without"]), statistics.median(walls["with"])
        print(f"grade without signals.tests: {without:.2f} s (median of {args.repeat}, {args.sandbox})")
        print(f"grade with signals.tests:    {with_:.2f} s; the signal's own wall time "
              f"{statistics.median(signal_seconds):.2f} s (beside the graders)")
        print(f"added: {with_ - without:+.2f} s = {100 * (with_ - without) / without:+.0f}% (target: at most +50%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
