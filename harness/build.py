"""Making a variant: render, generate data, measure footprints, self-check, write bundle and key.

Nothing is written to the user's folder until a draw passes its self-check; a draw that
fails is redrawn from the next attempt's streams of the same seed, so the outcome is
still a pure function of the seed.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pandas as pd

from faultline.exercises.base import Difficulty, Exercise, Footprint, SampleFacts
from faultline.exercises.common import TEMPLATES as COMMON_TEMPLATES
from faultline.exercises.registry import EXERCISES
from faultline.graders import compare, judge
from faultline.harness import archive, breadcrumbs, integrity, keyfile, poisoning, reference_runs, tickets
from faultline.harness.errors import RenderCrash, UsageError, VariantError
from faultline.harness.inproc import run_render
from faultline.harness.render import fault_namespace, render_tree
from faultline.harness.signals import targets as test_targets
from faultline.harness.variant import HIDDEN_DATASETS, Variant, draw, stream

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
            _make_private(stage / "key")
            for name in ("candidate", "candidate.zip", "key"):
                os.replace(stage / name, out / name)
            return Made(variant=variant, out=out, attempts=reasons)
    raise VariantError(
        f"no variant of {exercise.ID} passed its self-check in {MAX_ATTEMPTS} draws "
        f"(last: {reasons[-1]}); try more --rows or other --faults"
    )


def _make_private(key: Path) -> None:
    """The key holds the answers: readable by its owner only (files 0600, folders 0700)."""
    key.chmod(0o700)
    for folder, dirnames, filenames in os.walk(key):
        for name in dirnames:
            os.chmod(os.path.join(folder, name), 0o700)
        for name in filenames:
            os.chmod(os.path.join(folder, name), 0o600)


def _build(exercise: Exercise, variant: Variant, stage: Path) -> None:
    work = stage / "work"
    ids = frozenset(f.id for f in variant.faults)
    # Every render the checks need: reference, each fault alone, all, all but one.
    wanted = {frozenset(), ids, *(frozenset({f}) for f in ids), *(ids - {f} for f in ids)}
    # Every render but the bundle validates its input as the contract asks (see
    # render_pipeline); validation never changes an output on valid data.
    dirs = {on: render_pipeline(exercise, variant, on, work / "renders" / f"r{i}", strict=on != ids)
            for i, on in enumerate(sorted(wanted, key=sorted))}
    # A name a render never uses is a fix or a hint left beside a fault site: a bug, never redrawn.
    for on, workspace in dirs.items():
        breadcrumbs.require_clean(workspace, f"{exercise.ID} with faults {sorted(on) or 'off'}")

    # Datasets are independent: check them in parallel, each in a fresh interpreter.
    workers = max(1, min(4, os.cpu_count() or 1, 1 + len(HIDDEN_DATASETS)))
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        sample = pool.submit(_sample_task, exercise.ID, variant, dirs, work / "sample", work / "scratch-sample")
        hidden = {
            name: pool.submit(_hidden_task, exercise.ID, variant, dirs, name, stage / "key", work / f"scratch-{name}")
            for name in HIDDEN_DATASETS
        }
        poisoned = pool.submit(
            _poisoned_task, exercise.ID, variant, dirs[frozenset()], dirs[ids], stage / "key", work / "scratch-poisoned"
        )
        facts, footprints = sample.result()
        stats: dict[str, dict[str, int]] = {fid: {} for fid in sorted(ids)}
        for name, future in hidden.items():
            for fid, count in future.result().items():
                stats[fid][name] = count
        poison_records = poisoned.result()

    _run_public_tests({"the buggy bundle": dirs[ids], "the reference": dirs[frozenset()]}, work / "sample")

    # An expert ticket names no output column and no module: it reports a downstream symptom.
    # Identifiers only: a column called `country` or `earnings` is also a plain word.
    import pyarrow.parquet as pq

    columns = pq.read_schema(stage / "key" / "expected" / HIDDEN_DATASETS[0] / exercise.OUTPUT_FILE).names
    names = {c for c in columns if "_" in c}
    for module in (dirs[frozenset()] / "pipeline").glob("*.py"):
        names |= {module.name, f"pipeline.{module.stem}", f"pipeline/{module.name}"}
    brief = _brief_context(exercise, variant, facts, footprints, names)
    for target, on in ((stage / "candidate", ids), (stage / "key" / "solution", frozenset())):
        namespace = fault_namespace(list(exercise.FAULTS), {f: variant.on[f] for f in on})
        rendering = {"F": namespace, **brief, "strict": not on}
        render_tree(COMMON_TEMPLATES, target, rendering)
        render_tree(exercise.TEMPLATES, target, rendering)
        shutil.copytree(work / "sample", target / "data" / "raw")
    archive.write_zip(stage / "candidate", stage / "candidate.zip", prefix="candidate")
    _write_fingerprints(exercise, variant, stage, brief, work / "alternatives")
    # Sites compare renders that validate alike: the bundle's validation is not a fault's site.
    sites = {
        fid: archive.changed_lines(
            render_pipeline(exercise, variant, ids - {fid}, work / "lax" / fid, strict=False), dirs[ids]
        )
        for fid in ids
    }
    keyfile.write_variant(
        stage / "key", exercise=exercise, variant=variant, context=brief, stats=stats,
        sites=sites, bundle_zip=stage / "candidate.zip", poisoned=poison_records,
        columns=_columns(
            stage / "key" / "expected" / HIDDEN_DATASETS[0] / exercise.OUTPUT_FILE, exercise, variant.spec
        ),
    )
    keyfile.write_diff(stage / "key", solution=stage / "key" / "solution", bundle=stage / "candidate")
    hidden_data = {name: stage / "key" / "hidden" / name for name in HIDDEN_DATASETS}
    reference_runs.write(stage / "key", reference_runs.measure(stage / "key" / "solution", hidden_data))
    # The candidate's own tests are run against these when grading (signals.tests).
    test_targets.write_renders(
        stage / "key", bundle=dirs[ids], faults={fid: dirs[frozenset({fid})] for fid in sorted(ids)},
        bundle_tests=stage / "candidate" / "tests",
    )
    shutil.rmtree(work)


def _write_fingerprints(
    exercise: Exercise, variant: Variant, stage: Path, brief: dict[str, Any], scratch: Path
) -> None:
    """``key/fingerprints.json``: the bundle's files, and the lines that carry the spec.

    The spec's lines are found by rendering the reference with specs drawn for other
    variants (see harness.integrity).
    """
    namespace = fault_namespace(list(exercise.FAULTS), {})
    alternatives = []
    for i in range(integrity.ALTERNATIVE_SPECS):
        spec = exercise.draw_spec(stream(variant.seed, variant.attempt, "spec-alternative", i))
        target = scratch / f"a{i}"
        render_tree(exercise.TEMPLATES, target, {"F": namespace, **brief, "S": spec, "strict": True})
        alternatives.append(target)
    integrity.write_fingerprints(
        stage / "key", variant_id=variant.id, bundle=stage / "candidate",
        solution=stage / "key" / "solution", alternatives=alternatives,
    )


def _columns(expected: Path, exercise: Exercise, spec: Any) -> list[dict[str, Any]]:
    """The output's columns as the graders compare them: name, Arrow type, kind, minor unit."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(expected)
    specs = compare.infer_specs(
        pd.read_parquet(expected), list(exercise.KEY_COLUMNS), exercise.money_columns(spec)
    )
    return [
        {"name": f.name, "arrow": str(f.type), "kind": specs[f.name].kind.value,
         "minor_unit": specs[f.name].minor_unit}
        for f in schema
    ]


def render_pipeline(
    exercise: Exercise, variant: Variant, on: frozenset[str], dest: Path, *, strict: bool = True
) -> Path:
    """The pipeline package and public tests with the faults ``on`` switched on.

    ``strict``: with the validation the contract asks for (the reference's), as every render
    has but the bundle, whose validation is partial; it refuses invalid exports and never
    changes an output on valid data.
    """
    namespace = fault_namespace(list(exercise.FAULTS), {f: variant.on[f] for f in on})
    context = {"F": namespace, "S": variant.spec, "strict": strict}
    render_tree(exercise.TEMPLATES / "pipeline", dest / "pipeline", context)
    shutil.copytree(exercise.TEMPLATES / "tests", dest / "tests")
    return dest


def _output(
    workspace: Path, data: Path, scratch: Path, output_file: str, on: frozenset[str], variant: Variant
) -> pd.DataFrame:
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        run_render(workspace, data, scratch)
    except Exception as exc:
        # A template that raises is a bug in the exercise: redrawing would only hide it until
        # a candidate's draw hits the same form.
        raise RenderCrash(_crash_message(variant, on, workspace, exc)) from exc
    return pd.read_parquet(scratch / output_file)


def _crash_message(variant: Variant, on: frozenset[str], workspace: Path, exc: Exception) -> str:
    params = variant.on
    what = "; ".join(
        f"fault {fid} (form {params[fid].get('form', 'the only one')}, "
        f"params {json.dumps(dict(params[fid]), sort_keys=True)})"
        for fid in sorted(on)
    ) or "the reference (no fault on)"
    root = workspace.resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(root)]
    where = f" at {Path(frames[-1].filename).resolve().relative_to(root)}:{frames[-1].lineno}" if frames else ""
    return (f"a rendered pipeline crashed in the self-check of {variant.exercise}: {what}: "
            f"{type(exc).__name__}: {exc}{where}")


def _poisoned_task(
    exercise_id: str, variant: Variant, reference: Path, bundle: Path, key: Path, scratch: Path
) -> list[dict[str, Any]]:
    """The poisoned exports, checked against the reference and the bundle (see harness.poisoning)."""
    return poisoning.make_poisoned(
        EXERCISES[exercise_id], variant, reference=reference, bundle=bundle, key=key, scratch=scratch
    )


def _sample_task(
    exercise_id: str, variant: Variant, dirs: dict[frozenset[str], Path], sample: Path, scratch: Path
) -> tuple[SampleFacts, dict[str, Footprint]]:
    """Generate the candidate's sample; every fault must leave a trace the candidate can see.

    Each fault's footprint on the sample is summed up for its ticket (harness.tickets).
    """
    exercise = EXERCISES[exercise_id]
    facts = exercise.generate(
        sample, seed=variant.sample_seed, rows=variant.rows, knobs=variant.knobs, spec=variant.spec
    )
    keys = list(exercise.KEY_COLUMNS)
    ref = _output(dirs[frozenset()], sample, scratch, exercise.OUTPUT_FILE, frozenset(), variant)
    specs = compare.infer_specs(ref, keys, exercise.money_columns(variant.spec))
    values = [c for c in ref.columns if c not in keys]
    footprints: dict[str, Footprint] = {}
    traces: dict[str, pd.DataFrame] = {}
    for fault in variant.faults:
        on = frozenset({fault.id})
        output = _output(dirs[on], sample, scratch, exercise.OUTPUT_FILE, on, variant)
        if compare.cell_diff(ref, output, keys, specs).empty:
            raise SelfCheckFailed(f"{fault.id} leaves no trace on the sample data")
        footprints[fault.id] = tickets.footprint(
            ref, output, keys=keys, specs=specs, units=exercise.UNITS, facts=facts
        )
        traces[fault.id] = compare.expand(compare.cell_diff(ref, output, keys, specs), keys, values)
    shutil.rmtree(scratch, ignore_errors=True)
    if variant.difficulty == "expert":
        _check_expert(exercise, footprints, traces, keys)
    return facts, footprints


NARROW_SHARE = 0.02  # a narrow slice: one day of the sample, or at most this share of its rows


def _check_expert(
    exercise: Exercise, footprints: dict[str, Footprint], traces: dict[str, pd.DataFrame], keys: list[str]
) -> None:
    """An expert draw has a fault confined to a narrow slice and a pair that interacts.

    Narrow: one fault's trace on the sample lies on one day, or on at most NARROW_SHARE of
    the rows. Interacting: the two faults of one of the exercise's ``INTERACTING`` pairs
    change some of the same cells on the sample, so the one masks or mimics the other there.
    """
    narrow = [fid for fid, fp in footprints.items()
              if fp.get("days.affected") == 1 or float(fp["rows.share"]) <= NARROW_SHARE]
    if not narrow:
        raise SelfCheckFailed("no fault of this expert draw is confined to a narrow slice of the sample")
    for a, b in getattr(exercise, "INTERACTING", ()):
        if a in traces and b in traces:
            shared = traces[a][keys + ["column"]].merge(traces[b][keys + ["column"]], on=keys + ["column"])
            if len(shared):
                return
    raise SelfCheckFailed("no pair of faults of this expert draw interacts on the sample")


def _hidden_task(
    exercise_id: str, variant: Variant, dirs: dict[frozenset[str], Path], name: str, key: Path, scratch: Path
) -> dict[str, int]:
    """Generate one hidden dataset, its expected output and footprints; check the fault matrix."""
    exercise = EXERCISES[exercise_id]
    data = key / "hidden" / name
    # Each hidden dataset has knobs of its own (other id widths, currencies, lateness...).
    exercise.generate(
        data, seed=variant.hidden_seeds[name], rows=variant.rows,
        knobs=variant.hidden_knobs[name], spec=variant.spec,
    )
    keys = list(exercise.KEY_COLUMNS)
    out = exercise.OUTPUT_FILE
    ref = _output(dirs[frozenset()], data, scratch, out, frozenset(), variant)
    (key / "expected" / name).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(scratch / out, key / "expected" / name / out)
    values = [c for c in ref.columns if c not in keys]
    specs = compare.infer_specs(ref, keys, exercise.money_columns(variant.spec))
    single, own_values = {}, {}
    for fault in variant.faults:
        on = frozenset({fault.id})
        alone = _output(dirs[on], data, scratch, out, on, variant)
        single[fault.id] = compare.expand(compare.cell_diff(ref, alone, keys, specs), keys, values)
        # The fault's own output on its footprint's keys: graders tell "still faulty" from "other".
        touched = single[fault.id][keys].drop_duplicates()
        own_values[fault.id] = (
            alone.merge(touched, on=keys, how="inner")[list(alone.columns)] if len(touched) else alone.iloc[:0]
        )
    marked = compare.exclusive_footprints(single, keys)
    stats = {}
    for fid, fp in marked.items():
        stats[fid] = int(fp["exclusive"].sum())
        if stats[fid] == 0:
            raise SelfCheckFailed(f"{fid} has no exclusive footprint on hidden dataset {name}")
    world = _World(data=data, ref=ref, marked=marked, own_values=own_values, keys=keys, specs=specs,
                   name=name, scratch=scratch, output_file=out, variant=variant)
    _check_matrix(dirs, world)
    marked = _with_guards(exercise, marked, ref, keys)
    for fid, fp in marked.items():
        keyfile.write_footprint(key, name, fid, fp)
        keyfile.write_fault_values(key, name, fid, own_values[fid], schema_of=key / "expected" / name / out)
    shutil.rmtree(scratch, ignore_errors=True)
    return stats


def _with_guards(
    exercise: Exercise, marked: dict[str, pd.DataFrame], ref: pd.DataFrame, keys: list[str]
) -> dict[str, pd.DataFrame]:
    """Add each fault's guard cells (``guard(reference, keys)`` in its module) to its footprint.

    A guard cell is one the fault leaves alone but a fix fitted to the sample gets wrong
    (a genuinely empty country beside Namibia's "NA"): judged with the footprint, such a
    fix leaves the fault open instead of passing as a regression elsewhere. Cells in any
    fault's footprint are never guards.
    """
    union = pd.concat([fp[keys + ["column"]] for fp in marked.values()], ignore_index=True)
    out = dict(marked)
    for fid in marked:
        guard = getattr(exercise.FAULTS[fid], "guard", None)
        if guard is None:
            continue
        cells = compare.subtract(guard(ref, keys).drop_duplicates(), union, keys)
        if len(cells):
            out[fid] = pd.concat([marked[fid], cells.assign(exclusive=True)], ignore_index=True)
    return out


@dataclasses.dataclass(frozen=True)
class _World:
    """One hidden dataset as the self-check sees it."""

    data: Path
    ref: pd.DataFrame
    marked: dict[str, pd.DataFrame]
    own_values: dict[str, pd.DataFrame]
    keys: list[str]
    specs: dict[str, compare.ColumnSpec]
    name: str
    scratch: Path
    output_file: str
    variant: Variant


def _check_matrix(dirs: dict[frozenset[str], Path], world: _World) -> None:
    """The bundle fails every fault and nothing else; fixing one fault flips exactly it."""
    ids = [f.id for f in world.variant.faults]
    cases: list[tuple[frozenset[str], set[str]]] = [(frozenset(ids), set(ids))]
    if len(ids) > 1:
        cases += [(frozenset(ids) - {fid}, set(ids) - {fid}) for fid in ids]
    for on, expected_failing in cases:
        output = _output(dirs[on], world.data, world.scratch, world.output_file, on, world.variant)
        if list(output.columns) != list(world.ref.columns) or not output.dtypes.equals(world.ref.dtypes):
            raise SelfCheckFailed(f"faults {sorted(on)} change the output schema on {world.name}")
        judged = judge.judge_dataset(
            world.name, world.ref, output, world.marked, world.own_values, world.keys, world.specs
        )
        verdict = judge.verdicts([judged], ids)
        failing = {fid for fid in ids if not verdict[fid].fixed}
        if failing != expected_failing:
            raise SelfCheckFailed(
                f"with faults {sorted(on)} on {world.name}, graders fail {sorted(failing)} "
                f"instead of {sorted(expected_failing)}"
            )
        if judged.regression.cells:
            raise SelfCheckFailed(f"faults {sorted(on)} interact outside their footprints on {world.name}")


def _run_public_tests(workspaces: dict[str, Path], sample: Path) -> None:
    """The bundle's own tests pass on the buggy bundle (the faults are silent) and the reference."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = {}
    for what, workspace in workspaces.items():
        raw = workspace / "data" / "raw"
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.symlink_to(sample.resolve(), target_is_directory=True)
        procs[what] = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
             *test_targets.public_junit_args(workspace), "tests"],
            cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
    failures = []
    for what, proc in procs.items():
        output, _ = proc.communicate(timeout=900)
        if proc.returncode != 0:
            tail = output.decode(errors="replace").strip().splitlines()[-3:]
            failures.append(f"public tests fail on {what}: {' | '.join(tail)}")
    if failures:
        raise SelfCheckFailed("; ".join(failures))


def _brief_context(
    exercise: Exercise, variant: Variant, facts: SampleFacts, footprints: dict[str, Footprint],
    code_names: set[str],
) -> dict[str, Any]:
    # Each ticket states its own fault's footprint; a claim the sample does not bear out raises.
    ticketed = [f for f in variant.faults if f.id not in variant.unticketed]
    written = tickets.write_tickets(exercise, ticketed, variant.difficulty, facts, footprints, code_names)
    ticket_of = {f.id: t.text for f, t in zip(ticketed, written, strict=True)}
    return {
        "tickets": [t.text for t in written],
        # Per fault, in the variant's order; None for a fault no ticket describes.
        "ticket_of": {f.id: ticket_of.get(f.id) for f in variant.faults},
        "tickets_exhaustive": not variant.unticketed,
        "sample": {
            f.name: getattr(facts, f.name) for f in dataclasses.fields(facts) if f.name not in ("spec", "footprint")
        },
        "S": variant.spec,
        "difficulty": variant.difficulty,
        "exercise_title": exercise.TITLE,
    }
