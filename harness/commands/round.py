from __future__ import annotations

import os
import time
from pathlib import Path

from faultline.harness.batch.manifest import read_candidates
from faultline.harness.batch.round import MANIFEST, Made, RoundItem, make_round
from faultline.harness.commands.lookup import exercise_named
from faultline.harness.errors import ExitCode


def new_round(
    *,
    exercise: str,
    candidates: Path,
    out: Path,
    seed: str | None,
    faults: list[str] | None,
    rows: int,
    difficulty: str,
    jobs: int | None,
) -> int:
    exercise_named(exercise)  # unknown exercise: a usage error before any worker starts
    people = read_candidates(candidates)
    began = time.monotonic()

    def report(item: RoundItem) -> None:
        print(f"  {item.outcome.value:<6} {item.candidate.name} -> {out / item.candidate.folder}: {item.detail}",
              flush=True)

    print(f"making {len(people)} variant(s) of {exercise} into {out}/")
    # Each variant already checks its datasets in parallel; one variant per two cores keeps
    # the machine busy without thrashing.
    workers = jobs or max(1, (os.cpu_count() or 1) // 2)
    items = make_round(
        exercise=exercise, candidates=people, out=out, seed=seed, difficulty=difficulty, rows=rows,
        faults=faults, jobs=workers, report=report,
    )
    counts = {m: sum(1 for i in items if i.outcome is m) for m in Made}
    print(f"made {counts[Made.MADE]}, kept {counts[Made.KEPT]}, failed {counts[Made.FAILED]} "
          f"in {time.monotonic() - began:.1f}s; manifest: {out / MANIFEST}")
    print("  fill in each candidate's `submission` path in the manifest, then: "
          f"faultline grade-batch {out / MANIFEST} --out GRADES/")
    return ExitCode.NO_VARIANT if counts[Made.FAILED] else ExitCode.OK
