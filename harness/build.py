"""Making a variant: render, generate data, measure footprints, self-check, write bundle and key.

Nothing is written to the user's folder until a draw passes its self-check; a draw that
fails is redrawn from the next attempt's streams of the same seed, so the outcome is
still a pure function of the seed.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from exercises.base import Difficulty, Exercise, SampleFacts
from graders import compare
from harness import archive, keyfile
from harness.errors import UsageError, VariantError
from harness.inproc import run_render
from harness.render import fault_namespace, render_tree
from harness.variant import HIDDEN_DATASETS, Variant, draw

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class SelfCheckFailed(Exception):
    """This draw cannot be handed out; the message says why (recorded, then redrawn)."""


@dataclasses.dataclass(frozen=True)
class Made:
    variant: Variant
    out: Path
    attempts: list[str]  # why earlier draws were redrawn


def make_variant(
    exercise: Exercise,
    *,
    out: Path,
    seed: str,
    difficulty: Difficulty = "medium",
    rows: int = 200_000,
    fault_ids: list[str] | None = None,
) -> Made:
    if rows < 2_000:
        raise UsageError("--rows must be at least 2000 (smaller exports cannot show every fault)")
    for name in ("candidate", "candidate.zip", "key"):
        if (out / name).exists():
            raise UsageError(f"{out / name} already exists; choose another --out or move it away")
    out.mkdir(parents=True, exist_ok=True)
    reasons: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".faultline-new-", dir=out) as tmp:
        for attempt in range(MAX_ATTEMPTS):
            variant = draw(
                exercise, seed=seed, attempt=attempt, difficulty=difficulty, rows=rows,
                fault_ids=fault_ids,
            )
            stage = Path(tmp) / f"attempt-{attempt}"
            try:
                _build(exercise, variant, stage)
            except SelfCheckFailed as exc:
                reasons.append(f"attempt {attempt}: {exc}")
                log.info("redrawing: %s", exc)
                shutil.rmtree(stage, ignore_errors=True)
                continue
            for name in ("candidate", "candidate.zip", "key"):
                os.replace(stage / name, out / name)
            return Made(variant=variant, out=out, attempts=reasons)
    raise VariantError(
        f"no variant of {exercise.ID} passed its self-check in {MAX_ATTEMPTS} draws "
        f"(last: {reasons[-1]}); try more --rows or other --faults"
    )


def _build(exercise: Exercise, variant: Variant, stage: Path) -> None:
    work = stage / "work"
    renders = _Renders(exercise, variant, work / "renders")
    ids = [f.id for f in variant.faults]
    keys = list(exercise.KEY_COLUMNS)

    facts = exercise.generate(
        work / "sample", seed=variant.sample_seed, rows=variant.rows, knobs=variant.knobs
    )
    for name in HIDDEN_DATASETS:
        exercise.generate(
            stage / "key" / "hidden" / name, seed=variant.hidden_seeds[name],
            rows=variant.rows, knobs=variant.knobs,
        )

    # The candidate must be able to see every fault on the sample data.
    sample_ref = renders.output(frozenset(), work / "sample", work / "out")
    for fid in ids:
        if compare.cell_diff(sample_ref, renders.output(frozenset({fid}), work / "sample", work / "out"), keys).empty:
            raise SelfCheckFailed(f"{fid} leaves no trace on the sample data")

    footprints: dict[str, dict[str, pd.DataFrame]] = {}
    stats: dict[str, dict[str, int]] = {fid: {} for fid in ids}
    for name in HIDDEN_DATASETS:
        data = stage / "key" / "hidden" / name
        ref = renders.output(frozenset(), data, work / "out", keep=stage / "key" / "expected" / name)
        values = [c for c in ref.columns if c not in keys]
        single = {
            fid: compare.expand(
                compare.cell_diff(ref, renders.output(frozenset({fid}), data, work / "out"), keys),
                keys, values,
            )
            for fid in ids
        }
        marked = compare.exclusive_footprints(single, keys)
        for fid, fp in marked.items():
            n_excl = int(fp["exclusive"].sum())
            if n_excl == 0:
                raise SelfCheckFailed(f"{fid} has no exclusive footprint on hidden dataset {name}")
            stats[fid][name] = n_excl
        footprints[name] = marked
        _check_matrix(renders, ids, data, ref, marked, keys, values, name, work / "out")
        for fid, fp in marked.items():
            keyfile.write_footprint(stage / "key", name, fid, fp)

    bundle = renders.workspace(frozenset(ids))
    solution = renders.workspace(frozenset())
    _run_public_tests(bundle, work / "sample", "the buggy bundle")
    _run_public_tests(solution, work / "sample", "the reference")

    context = _brief_context(exercise, variant, facts)
    for target, on in ((stage / "candidate", frozenset(ids)), (stage / "key" / "solution", frozenset())):
        render_tree(exercise.TEMPLATES, target, {"F": fault_namespace(list(exercise.FAULTS), {f: variant.on[f] for f in on}), **context})
        shutil.copytree(work / "sample", target / "data" / "raw")
    archive.write_zip(stage / "candidate", stage / "candidate.zip", prefix="candidate")
    sites = {fid: archive.changed_lines(renders.workspace(frozenset(ids) - {fid}), bundle) for fid in ids}
    keyfile.write_variant(
        stage / "key", exercise=exercise, variant=variant, context=context, stats=stats,
        sites=sites, bundle_zip=stage / "candidate.zip",
    )
    keyfile.write_diff(stage / "key", solution=stage / "key" / "solution", bundle=stage / "candidate")
    shutil.rmtree(work)


def _check_matrix(
    renders: _Renders,
    ids: list[str],
    data: Path,
    ref: pd.DataFrame,
    marked: dict[str, pd.DataFrame],
    keys: list[str],
    values: list[str],
    name: str,
    scratch: Path,
) -> None:
    """The bundle fails every fault and nothing else; fixing one fault flips exactly it."""
    cases: list[tuple[frozenset[str], set[str]]] = [(frozenset(ids), set(ids))]
    if len(ids) > 1:
        cases += [(frozenset(ids) - {fid}, set(ids) - {fid}) for fid in ids]
    for on, expected_failing in cases:
        output = renders.output(on, data, scratch)
        if list(output.columns) != list(ref.columns) or not output.dtypes.equals(ref.dtypes):
            raise SelfCheckFailed(f"faults {sorted(on)} change the output schema on {name}")
        diff = compare.expand(compare.cell_diff(ref, output, keys), keys, values)
        verdict = compare.verdicts(diff, marked, keys)
        failing = {fid for fid in ids if not verdict[fid].empty}
        if failing != expected_failing:
            raise SelfCheckFailed(
                f"with faults {sorted(on)} on {name}, graders fail {sorted(failing)} "
                f"instead of {sorted(expected_failing)}"
            )
        if not verdict["no_regression"].empty:
            raise SelfCheckFailed(f"faults {sorted(on)} interact outside their footprints on {name}")


class _Renders:
    """Pipeline renders keyed by the set of faults on, each rendered once and run in-process."""

    def __init__(self, exercise: Exercise, variant: Variant, root: Path) -> None:
        self.exercise, self.variant, self.root = exercise, variant, root
        self._dirs: dict[frozenset[str], Path] = {}

    def workspace(self, on: frozenset[str]) -> Path:
        if on not in self._dirs:
            path = self.root / f"r{len(self._dirs)}"
            ns = fault_namespace(list(self.exercise.FAULTS), {f: self.variant.on[f] for f in on})
            render_tree(self.exercise.TEMPLATES / "pipeline", path / "pipeline", {"F": ns})
            shutil.copytree(self.exercise.TEMPLATES / "tests", path / "tests")
            self._dirs[on] = path
        return self._dirs[on]

    def output(
        self, on: frozenset[str], data: Path, scratch: Path, keep: Path | None = None
    ) -> pd.DataFrame:
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            run_render(self.workspace(on), data, scratch)
        except Exception as exc:  # a render that crashes is a broken draw, not a user error
            raise SelfCheckFailed(f"faults {sorted(on)} crash the pipeline: {exc!r}") from exc
        produced = scratch / self.exercise.OUTPUT_FILE
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, keep / self.exercise.OUTPUT_FILE)
        return pd.read_parquet(produced)


def _run_public_tests(workspace: Path, sample: Path, what: str) -> None:
    raw = workspace / "data" / "raw"
    if not raw.exists():
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.symlink_to(sample.resolve(), target_is_directory=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests"],
        cwd=workspace, env=env, capture_output=True, text=True, errors="replace", timeout=600,
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise SelfCheckFailed(f"public tests fail on {what}: {' | '.join(tail)}")


def _brief_context(exercise: Exercise, variant: Variant, facts: SampleFacts) -> dict[str, Any]:
    tickets = [
        exercise.FAULTS[f.id].ticket(f.params, variant.difficulty, facts) for f in variant.faults
    ]
    return {
        "tickets": tickets,
        "sample": dataclasses.asdict(facts),
        "difficulty": variant.difficulty,
        "exercise_title": exercise.TITLE,
    }
