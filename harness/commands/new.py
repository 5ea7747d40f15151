from __future__ import annotations

import time
from pathlib import Path

from faultline.exercises.base import Difficulty
from faultline.harness.build import make_variant
from faultline.harness.commands.lookup import exercise_named, faults_named
from faultline.harness.commands.outputs import make_folder, undone_on_failure
from faultline.harness.errors import ExitCode
from faultline.harness.variant import new_seed


def new(
    *,
    exercise: str,
    out: Path,
    seed: str | None,
    faults: list[str] | None,
    rows: int,
    difficulty: Difficulty,
) -> int:
    began = time.monotonic()
    ex = exercise_named(exercise)
    if faults is not None:
        faults_named(ex, faults)
    # Made here, before any work, so that a failed or interrupted `new` removes exactly
    # the folders it created (make_variant cleans up its own staging folder inside).
    created = make_folder(out, "--out")
    with undone_on_failure(created):
        made = make_variant(ex, out=out, seed=seed or new_seed(), difficulty=difficulty,
                            rows=rows, fault_ids=faults)
    redraws = f", {len(made.attempts)} draw(s) redrawn" if made.attempts else ""
    print(f"variant {made.variant.id}: {len(made.variant.faults)} faults, {rows} rows, "
          f"self-check passed{redraws} in {time.monotonic() - began:.1f}s")
    print(f"  hand to the candidate: {out / 'candidate.zip'} (or the folder {out / 'candidate'})")
    print(f"  keep secret:           {out / 'key'}   (faultline explain --key {out / 'key'})")
    return ExitCode.OK
