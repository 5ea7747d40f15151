"""Making a variant's poisoned exports and checking the renders against them.

Each exercise names its poisoned exports (``Exercise.poisons``): a small export from the
hidden-data generator, with fresh knobs and seeds from the variant's own streams, then
mutated. The reference (with the contract's validation) must refuse every invalid one
with a message naming the problem and run every valid one; the untouched bundle must be
silently wrong on at least ``MIN_BUNDLE_WRONG`` of them. A draw that breaks this is a bug
in the exercise, never redrawn: the poisoned exports do not depend on the faults drawn.

Key files, per dataset ``key/poisoned/<name>/``: ``input/`` (the export), ``poison.json``
(see ``write``) and, for a valid export, ``expected/<output_file>`` (the reference's output).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from faultline.exercises.base import Exercise, Poison
from faultline.graders import compare
from faultline.graders.scoring import POISON_POINTS
from faultline.harness.errors import RenderCrash
from faultline.harness.inproc import run_render
from faultline.harness.signals.poisoned import RIGHT, Outcome, classify
from faultline.harness.variant import Variant, stream, stream_seed

POISON_SCHEMA = "faultline.poison/1"
POISON_ROWS = 1500  # small: each poisoned run costs a grade about an interpreter start
MIN_BUNDLE_WRONG = 2


class PoisonCheckFailed(RenderCrash):
    """The reference or the bundle does not behave on a poisoned export as the exercise
    promises: a bug in the exercise (exit 70), never redrawn."""


def make_poisoned(
    exercise: Exercise, variant: Variant, *, reference: Path, bundle: Path, key: Path, scratch: Path
) -> list[dict[str, Any]]:
    """Write every poisoned export into ``key/poisoned/``; returns their poison.json records."""
    records = []
    for poison in exercise.poisons():
        records.append(_make_one(exercise, variant, poison, reference, bundle, key, scratch))
    wrong = [r["name"] for r in records if r["bundle_outcome"] == Outcome.SILENTLY_WRONG]
    if len(wrong) < MIN_BUNDLE_WRONG:
        raise PoisonCheckFailed(
            f"{exercise.ID}: the untouched bundle is silently wrong on {wrong or 'no poisoned export'}, "
            f"fewer than {MIN_BUNDLE_WRONG} (faults {sorted(variant.on)}, seed {variant.seed!r})"
        )
    shutil.rmtree(scratch, ignore_errors=True)
    return records


def _make_one(
    exercise: Exercise, variant: Variant, poison: Poison, reference: Path, bundle: Path, key: Path,
    scratch: Path,
) -> dict[str, Any]:
    folder = key / "poisoned" / poison.name
    data = folder / "input"
    labels = (variant.seed, variant.attempt, "poisoned", poison.name)
    knobs = variant.knobs.changed(
        exercise.hidden_knobs(variant.knobs, stream(*labels, "knobs")), source=f"knobs of poisoned {poison.name}"
    )
    exercise.generate(data, seed=stream_seed(*labels, "data"), rows=POISON_ROWS, knobs=knobs, spec=variant.spec)
    poison.mutate(data, stream(*labels, "mutate"), variant.spec)

    ref_error, ref_out = _attempt(reference, data, scratch / "reference", exercise.OUTPUT_FILE)
    ref_outcome, ref_message = classify(
        poison.kind, exit_code=0 if ref_error is None else 1, killed_reason=None, log=ref_error or "",
        words=poison.words, output_equal=True,
    )
    if ref_outcome is not RIGHT[poison.kind]:
        raise PoisonCheckFailed(
            f"{exercise.ID}: the reference's outcome on poisoned export {poison.name} ({poison.kind}) is "
            f"{ref_outcome.value}, not {RIGHT[poison.kind].value}: {ref_message or 'no message'}"
        )
    if poison.kind == "valid":
        assert ref_out is not None
        (folder / "expected").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scratch / "reference" / exercise.OUTPUT_FILE, folder / "expected" / exercise.OUTPUT_FILE)

    bundle_error, bundle_out = _attempt(bundle, data, scratch / "bundle", exercise.OUTPUT_FILE)
    equal = None
    if bundle_out is not None and ref_out is not None:
        keys = list(exercise.KEY_COLUMNS)
        specs = compare.infer_specs(ref_out, keys, exercise.money_columns(variant.spec))
        equal = list(bundle_out.columns) == list(ref_out.columns) and compare.cell_diff(
            ref_out, bundle_out, keys, specs).empty
    bundle_outcome, bundle_message = classify(
        poison.kind, exit_code=0 if bundle_error is None else 1, killed_reason=None, log=bundle_error or "",
        words=poison.words, output_equal=equal,
    )
    record = {
        "schema": POISON_SCHEMA,
        "name": poison.name,
        "kind": poison.kind,
        "problem": poison.problem,
        "words": list(poison.words),
        # Nothing is earned by leaving the bundle's behaviour as it was.
        "max_points": 0 if bundle_outcome is RIGHT[poison.kind] else POISON_POINTS,
        "bundle_outcome": bundle_outcome.value,
        "bundle_message": bundle_message,
        "reference_outcome": ref_outcome.value,
        "reference_message": ref_message,
        "rows": POISON_ROWS,
        "knobs": dict(knobs),
    }
    (folder / "poison.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record


def _attempt(workspace: Path, data: Path, scratch: Path, output_file: str) -> tuple[str | None, Any]:
    """Run a trusted render in process: (the error as its last words, None) or (None, output)."""
    import pandas as pd

    shutil.rmtree(scratch, ignore_errors=True)
    try:
        run_render(workspace, data, scratch)
    except Exception as exc:  # noqa: BLE001 (a refusal or a crash: classified by its message)
        return f"{type(exc).__name__}: {exc}", None
    path = scratch / output_file
    return None, pd.read_parquet(path) if path.is_file() else None
