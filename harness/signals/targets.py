"""The part of the key the tests signal needs: ``key/renders/``, written when a variant is made.

Layout (code only, never mounted into the graders' container)::

    renders/public_tests.json      {"node_ids": [...], "files": {"tests/<file>": sha256}}:
                                   the bundle's own tests, which never count as the candidate's
    renders/bundle/pipeline/       the untouched bundle's pipeline (every chosen fault on)
    renders/<fault-id>/pipeline/   the reference with only that fault on

The reference is ``solution/pipeline``. A key without ``renders/`` (made by an older
faultline) grades as before: the signal is not measured.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from faultline.harness.archive import sha256_file
from faultline.harness.errors import UsageError
from faultline.harness.signals.junit import JUNIT_OPTIONS, read_report

RENDERS = "renders"
BUNDLE = "bundle"
PUBLIC = "public_tests.json"
PUBLIC_JUNIT = "public-tests.xml"  # written beside the bundle render by the build's public-test run


def public_junit_args(workspace: Path) -> list[str]:
    """pytest options for the build's run of the public tests: a report of their node ids."""
    return [*JUNIT_OPTIONS, f"--junitxml={workspace / PUBLIC_JUNIT}"]


def write_renders(key: Path, *, bundle: Path, faults: dict[str, Path], bundle_tests: Path) -> None:
    """Keep the bundle's and each single-fault render's ``pipeline/`` and the public tests' ids.

    ``bundle`` and ``faults`` are render folders (``pipeline/``, ``tests/``); the bundle's
    one holds the report of the public-test run that the self-check made there.
    """
    if BUNDLE in faults:
        raise ValueError(f"a fault may not be called {BUNDLE!r}: its render would take the bundle's place")
    report = read_report(bundle / PUBLIC_JUNIT)
    if report is None or not report.outcomes:
        raise RuntimeError(f"the public tests left no report in {bundle / PUBLIC_JUNIT}")
    root = key / RENDERS
    for name, render in {BUNDLE: bundle, **faults}.items():
        shutil.copytree(render / "pipeline", root / name / "pipeline",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    files = {
        str(p.relative_to(bundle_tests.parent)): sha256_file(p)
        for p in sorted(bundle_tests.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    }
    doc = {"node_ids": sorted(report.outcomes), "files": files}
    (root / PUBLIC).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


@dataclasses.dataclass(frozen=True)
class Targets:
    """The pipelines the candidate's tests run against, and what counts as public."""

    reference: Path  # a pipeline/ package folder
    bundle: Path
    faults: dict[str, Path]  # fault id -> pipeline/ package folder, in the key's order
    public_ids: frozenset[str]
    public_files: dict[str, str]  # path relative to the workspace -> sha256


def load_targets(key_root: Path, fault_ids: list[str]) -> Targets | None:
    """The key's renders, checked whole; None for a key made before they existed."""
    root = key_root / RENDERS
    if not root.exists():
        return None
    wanted = {"solution": key_root / "solution" / "pipeline", BUNDLE: root / BUNDLE / "pipeline",
              **{fid: root / fid / "pipeline" for fid in fault_ids}}
    for name, pipeline in wanted.items():
        if not (pipeline / "__main__.py").is_file():
            where = pipeline.relative_to(key_root)
            raise UsageError(f"key {key_root} is incomplete: {where}/__main__.py is missing ({name})")
    try:
        doc = json.loads((root / PUBLIC).read_text())
        ids, files = doc["node_ids"], doc["files"]
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids) and isinstance(files, dict)):
            raise ValueError("unexpected fields")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"key {key_root}: {RENDERS}/{PUBLIC} is missing or damaged ({exc})") from None
    return Targets(
        reference=wanted["solution"], bundle=wanted[BUNDLE],
        faults={fid: wanted[fid] for fid in fault_ids},
        public_ids=frozenset(ids), public_files={str(k): str(v) for k, v in files.items()},
    )
