"""Measure the Docker sandbox's costs: image build (warm), container start, run phase with one
container per submission vs one per dataset, and the check phase's overhead.

    python benchmarks/bench_grade.py [--datasets 3] [--repeat 3] [--key DIR --submission PATH]

Prints one line per figure (median of --repeat). With --key and --submission it also times a
full `grade` through the Docker sandbox.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faultline.harness.image import build_image, docker_client  # noqa: E402
from faultline.harness.phases import CHECKS_REPORT, check_spec, run_spec  # noqa: E402
from faultline.harness.sandbox.base import Limits  # noqa: E402
from faultline.harness.sandbox.docker import DockerSandbox  # noqa: E402
from faultline.harness.sandbox.hardening import hardening  # noqa: E402
from faultline.harness.sandbox.session import labels  # noqa: E402

WELL_BEHAVED = ROOT / "tests" / "sandbox" / "hostile" / "well_behaved"
TRIVIAL_GRADERS = (
    "import sys\nargs = dict(zip(sys.argv[1::2], sys.argv[2::2]))\nopen(args['--report'], 'w').write('{}')\n"
)


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--submission", type=Path)
    args = parser.parse_args()

    build = median_seconds(lambda: build_image(), args.repeat)
    print(f"image build (warm, up to date): {build:.3f} s")
    client = docker_client()
    tag = build_image()
    limits = Limits()

    def start_container() -> None:
        container = client.containers.create(tag, command=["true"], user="10001:10001", **hardening(limits))
        try:
            container.start()
            container.wait()
        finally:
            container.remove(force=True)

    print(f"container create+start+exit+remove: {median_seconds(start_container, args.repeat):.3f} s")

    def python_only() -> None:
        client.containers.run(
            tag, ["python", "-c", "import pandas, pyarrow.parquet"], remove=True, labels=labels()
        )

    print(
        f"container with `import pandas, pyarrow.parquet`: {median_seconds(python_only, args.repeat):.3f} s"
    )

    box = DockerSandbox()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        datasets = {}
        for i in range(args.datasets):
            folder = base / "data" / f"d{i}"
            folder.mkdir(parents=True)
            (folder / "events.csv").write_text("user,clicks\n1,3\n")
            datasets[f"d{i}"] = folder
        counter = iter(range(10_000))

        def per_dataset() -> None:
            for name, path in datasets.items():
                out = base / f"o{next(counter)}"
                box.run_pipeline(run_spec(WELL_BEHAVED, {name: path}, limits), outputs=out)

        overheads: list[float] = []
        inner: list[float] = []

        def one_container_measured() -> None:
            out = base / f"o{next(counter)}"
            start = time.perf_counter()
            runs = box.run_pipeline(run_spec(WELL_BEHAVED, datasets, limits), outputs=out)
            runs_seconds = sum(r.wall_seconds for r in runs)
            overheads.append(time.perf_counter() - start - runs_seconds)
            inner.append(runs_seconds)

        n = args.datasets
        one = median_seconds(one_container_measured, args.repeat)
        per = median_seconds(per_dataset, args.repeat)
        print(f"run phase, {n} datasets, one container:        {one:.3f} s")
        print(f"run phase, {n} datasets, one container each:   {per:.3f} s")
        print(
            f"run phase overhead beyond the runs themselves: {statistics.median(overheads):.3f} s "
            f"(each run, pandas import and to_parquet included: {statistics.median(inner) / n:.3f} s)"
        )

        graders = base / "graders"
        graders.mkdir()
        (graders / "run.py").write_text(TRIVIAL_GRADERS)
        key = base / "key"
        (key / "expected").mkdir(parents=True)
        (key / "variant.json").write_text("{}")
        outputs = next(p for p in base.iterdir() if p.name.startswith("o"))

        def check() -> None:
            result = box.run_graders(check_spec(graders, key), outputs=outputs)
            assert result.reports.get(CHECKS_REPORT) == "{}", result.log

        print(f"check phase with trivial graders (overhead): {median_seconds(check, args.repeat):.3f} s")

    if args.key and args.submission:
        from faultline.harness.grading import grade

        start = time.perf_counter()
        result = grade(args.submission, args.key, sandbox="docker")
        status = getattr(result, "status", "?")
        print(f"full grade through Docker: {time.perf_counter() - start:.3f} s ({status})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
