"""One way for every test to make a variant, build workspaces from its key, and grade.

- ``new_variant``: make a variant with the library (prefer the shared fixtures in conftest).
- ``workspace_with(key, on, dest)``: a candidate workspace with exactly the faults ``on``.
- ``grade_inproc(submission, key, out)``: grade in this process with the local sandbox, as
  ``faultline grade --sandbox local`` does, minus the interpreter start; for tests whose
  subject is the grading, not the CLI or Docker.
- ``grade_local(...)``: the real CLI in a subprocess, for tests of the command line itself.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

from faultline.exercises.registry import EXERCISES
from faultline.harness.build import make_variant
from faultline.harness.grading import grade
from faultline.harness.render import fault_namespace, render_tree
from faultline.harness.report import write_reports

ROOT = Path(__file__).resolve().parent.parent


def new_variant(
    out: Path, exercise: str, seed: str, *, rows: int = 5000, difficulty: str = "hard",
    faults: list[str] | None = None,
) -> Path:
    """Make a variant with the library (as `faultline new` does); returns its folder."""
    make_variant(
        EXERCISES[exercise], out=out, seed=seed, rows=rows, difficulty=difficulty,  # type: ignore[arg-type]
        fault_ids=faults,
    )
    return out


def variant_doc(key: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((key / "variant.json").read_text())
    return doc


def workspace_with(key: Path, on: set[str], dest: Path, *, strict: bool = False) -> Path:
    """The candidate workspace with exactly the faults ``on`` (a subset of the variant's);
    ``strict`` adds the reference's validation of the export (the bundle's is partial)."""
    doc = variant_doc(key)
    exercise = EXERCISES[doc["exercise"]]
    params = {f["id"]: f["params"] for f in doc["faults"] if f["id"] in on}
    assert set(params) == on, f"{on} is not a subset of the variant's faults"
    render_tree(
        exercise.TEMPLATES / "pipeline", dest / "pipeline",
        {"F": fault_namespace(list(exercise.FAULTS), params), "S": exercise.spec_from_json(doc["spec"]),
         "strict": strict},
    )
    return dest


def faultline(*args: str | Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "faultline", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"faultline {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def grade_local(submission: Path, key: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """`faultline grade --sandbox local`; returns the exit code and result.json."""
    proc = faultline("grade", submission, "--key", key, "--out", out, "--sandbox", "local", *extra)
    result_path = out / "result.json"
    assert result_path.is_file(), f"no result.json; stderr: {proc.stderr}"
    return proc.returncode, json.loads(result_path.read_text())


def grade_inproc(submission: Path, key: Path, out: Path | None = None) -> dict[str, Any]:
    """Grade with the library and the local sandbox; returns result.json's document.

    With ``out``, the reports are written there as the CLI writes them.
    """
    result = grade(submission, key, sandbox="local")
    if out is not None:
        write_reports(result, out)
    return result.doc


def fixed_faults(result: dict[str, Any]) -> set[str]:
    return {f["id"] for f in result["faults"] if f["fixed"]}


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def template_module(path: Path, **config: object) -> types.ModuleType:
    """A plain module of a template tree, with ``pipeline.config`` set to ``config``."""
    fake = types.ModuleType("pipeline.config")
    for name, value in config.items():
        setattr(fake, name, value)
    saved = {name: sys.modules.get(name) for name in ("pipeline", "pipeline.config")}
    sys.modules["pipeline"] = types.ModuleType("pipeline")
    sys.modules["pipeline.config"] = fake
    try:
        spec = importlib.util.spec_from_file_location(f"template_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while a class is built
        spec.loader.exec_module(module)
        del sys.modules[spec.name]
        return module
    finally:
        for name, old in saved.items():
            if old is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old
