"""Every form of every fault renders into a pipeline that runs; a render that raises stops `new`.

The self-check redraws unlucky draws, so a form whose template raises could hide behind
redraws for a long time (a NameError in one form of stale-correction once shipped after
three silent redraws). Here each form is rendered and run once, in-process as the
self-check runs them, on a small dataset.
"""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from faultline.exercises.base import Exercise, Fault
from faultline.exercises.registry import EXERCISES
from faultline.harness.build import render_pipeline
from faultline.harness.inproc import run_render
from faultline.harness.variant import ChosenFault, Variant, draw, stream
from tests.helpers import ROOT

ROWS = 2_000
NO_FORM = "(no form)"


def forms_of(fault: Fault) -> list[str]:
    """The forms a fault can take: its FORMS where it declares them, and every form its sampler draws.

    Samplers choose a form uniformly among at most four, so 200 draws miss one with a
    probability below 1e-24.
    """
    drawn = {fault.sample(stream("forms-test", fault.ID, i)).get("form") for i in range(200)}
    forms = {str(f) for f in drawn if f is not None} | {str(f) for f in getattr(fault, "FORMS", ())}
    return sorted(forms) or [NO_FORM]


def _with_form(variant: Variant, fault: Fault, form: str) -> tuple[Variant, dict[str, Any]]:
    params = dict(variant.on[fault.ID])
    if form != NO_FORM:
        params["form"] = form
    knobs = {**variant.knobs, **fault.knobs(params)}  # a form may need its own data
    return dataclasses.replace(variant, faults=(ChosenFault(fault.ID, params),), knobs=knobs), knobs


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_form_of_every_fault_runs(exercise_id: str, tmp_path: Path) -> None:
    exercise: Exercise = EXERCISES[exercise_id]
    # Every fault on: the draw gives each its parameters and knobs, as a variant would.
    variant = draw(exercise, seed="every-form", attempt=0, rows=ROWS, fault_ids=list(exercise.FAULTS))
    datasets: dict[str, Path] = {}

    def dataset(knobs: dict[str, Any]) -> Path:
        label = json.dumps(knobs, sort_keys=True, default=str)
        if label not in datasets:
            datasets[label] = tmp_path / f"data-{len(datasets)}"
            exercise.generate(
                datasets[label], seed=variant.sample_seed, rows=ROWS, knobs=knobs, spec=variant.spec
            )
        return datasets[label]

    reference = render_pipeline(exercise, variant, frozenset(), tmp_path / "reference")
    run_render(reference, dataset(dict(variant.knobs)), tmp_path / "out-reference")
    columns = list(pd.read_parquet(tmp_path / "out-reference" / exercise.OUTPUT_FILE).columns)

    ran = []
    for fault in exercise.FAULTS.values():
        for i, form in enumerate(forms_of(fault)):
            single, knobs = _with_form(variant, fault, form)
            where = tmp_path / f"{fault.ID}-{i}"
            render_pipeline(exercise, single, frozenset({fault.ID}), where / "render")
            try:
                run_render(where / "render", dataset(knobs), where / "out")
            except Exception as exc:  # reported with the form, so the failure names the culprit
                pytest.fail(f"{exercise_id}: fault {fault.ID}, form {form}: {exc!r}")
            output = pd.read_parquet(where / "out" / exercise.OUTPUT_FILE)
            assert list(output.columns) == columns, (fault.ID, form)
            ran.append((fault.ID, form))
    # Each fault ran at least once, and the forms really differ where a fault has several.
    assert {fid for fid, _ in ran} == set(exercise.FAULTS)


def test_forms_are_found() -> None:
    # The enumeration above is only as good as forms_of: check it on faults whose forms are known.
    stale = EXERCISES["retail-events"].FAULTS["stale-correction"]
    assert forms_of(stale) == ["first-seen", "sorted-first"]
    miles = EXERCISES["ride-trips"].FAULTS["miles-as-km"]
    assert forms_of(miles) == sorted(miles.FORMS)  # type: ignore[attr-defined]
    assert forms_of(EXERCISES["retail-events"].FAULTS["cents-cutover"]) == [NO_FORM]


# Run in a fresh interpreter: copy retail-events' templates, make one form of stale-correction
# raise, point the exercise at the copy, then call the real CLI's main(). Renders are made in
# the parent process, so the self-check's worker processes run the broken render.
_CRASHING_NEW = textwrap.dedent("""
    import shutil, sys
    from pathlib import Path
    from faultline.exercises.registry import EXERCISES
    from faultline.harness.cli import main

    if __name__ == "__main__":
        exercise = EXERCISES["retail-events"]
        templates = Path(sys.argv[1])
        shutil.copytree(exercise.TEMPLATES, templates)
        clean = templates / "pipeline" / "clean.py.j2"
        site = '{% if F.stale_correction.form == "first-seen" %}\\n'
        assert site in clean.read_text()
        clean.write_text(clean.read_text().replace(site, site + "    events = injected_name\\n"))
        exercise.TEMPLATES = templates
        sys.exit(main(sys.argv[2:]))
""")


def _seed_with_form(form: str) -> tuple[str, dict[str, Any]]:
    exercise = EXERCISES["retail-events"]
    for i in range(100):
        seed = f"crash-{i}"
        params = draw(exercise, seed=seed, attempt=0, rows=ROWS, fault_ids=["stale-correction"]).on
        if params["stale-correction"]["form"] == form:
            return seed, dict(params["stale-correction"])
    raise AssertionError(f"no seed draws form {form}")


def test_a_crashing_form_stops_new_with_exit_70(tmp_path: Path) -> None:
    seed, params = _seed_with_form("first-seen")
    script = tmp_path / "crashing_new.py"
    script.write_text(_CRASHING_NEW)
    out = tmp_path / "parent" / "v"
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "templates"), "new", "retail-events", "--out", str(out),
         "--seed", seed, "--faults", "stale-correction", "--rows", str(ROWS)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 70, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("faultline: a rendered pipeline crashed"), last
    # Exit 70 (not a pass after a redraw, nor exit 4) shows the crash was not redrawn away.
    share = f'"correction_share": {params["correction_share"]}'
    for name in ("retail-events", "stale-correction", "form first-seen", share,
                 "NameError", "injected_name", "pipeline/clean.py:"):
        assert name in last, (name, last)
    assert "Traceback" in proc.stderr  # exit 70 is a bug report: the traceback comes with it
    assert not (tmp_path / "parent").exists()  # a failed `new` leaves no folder it created
