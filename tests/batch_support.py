"""A small round for the batch tests: two candidates, each with a variant of their own, made
once per session through the real `faultline new --candidates`, and submissions built from it."""
from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import build_once, shared_root
from tests.helpers import copy_tree, faultline, variant_doc, workspace_with

CANDIDATES = ["Ann Lee", "bob"]


@pytest.fixture(scope="session", name="round_dir")
def round_dir_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The round, built once per test session and shared by the xdist workers."""

    def build(folder: Path) -> None:
        folder.mkdir()
        listing = folder / "candidates.csv"
        listing.write_text("candidate,difficulty\nAnn Lee,easy\nbob,easy\n")
        proc = faultline("new", "retail-events", "--candidates", listing, "--out", folder / "round", "--rows", "3000",
                         "--seed", "batch-tests")
        assert proc.returncode == 0, proc.stderr

    return build_once(shared_root(tmp_path_factory), "shared-round", build) / "round"


@pytest.fixture(scope="session", name="docker_image")
def docker_image_fixture() -> str:
    """The sandbox image's tag, engine up; fails (never skips) when CI is set and it cannot be had."""
    from faultline.harness.errors import InfrastructureError
    from faultline.harness.image import build_image

    try:
        return build_image()
    except InfrastructureError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the sandbox cannot run: {exc}", pytrace=False)
        pytest.skip(str(exc))


def submissions(round_dir: Path, dest: Path, count: int) -> tuple[Path, dict[str, set[str]]]:
    """A manifest of ``count`` candidates over the round's two variants; returns it and, per
    candidate, the faults their submission fixes (what grading must find)."""
    keys = [round_dir / "Ann-Lee" / "key", round_dir / "bob" / "key"]
    rows, expected = [], {}
    for i in range(count):
        key = keys[i % 2]
        faults = [f["id"] for f in variant_doc(key)["faults"]]
        name = f"cand-{i:02d}"
        kind = i % 4
        if kind == 0:  # the reference solution: everything fixed
            sub = copy_tree(key / "solution", dest / name)
            shutil.rmtree(sub / "data")
            fixed = set(faults)
        elif kind == 1:  # the bundle as handed out
            sub = dest / f"{name}.zip"
            shutil.copyfile(key.parent / "candidate.zip", sub)
            fixed = set()
        else:  # one fault fixed: every other fault still on
            left_on = set(faults) - {faults[kind - 2]}
            sub = workspace_with(key, left_on, dest / name)
            fixed = {faults[kind - 2]}
        rows.append((name, sub, key))
        expected[name] = fixed
    manifest = dest / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["candidate", "submission", "key"])
        writer.writerows((n, str(s), str(k)) for n, s, k in rows)
    return manifest, expected


def gradebook_rows(out: Path) -> list[dict[str, object]]:
    """The gradebook as a reader sees it (read-only, as another process would)."""
    path = out / "gradebook.sqlite"
    if not path.exists():
        return []
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM grades")]
    except sqlite3.OperationalError:  # the writer has not created the table yet
        return []
    finally:
        conn.close()


def fixed_in(row: dict[str, object]) -> set[str]:
    doc = json.loads(str(row["result_json"]))
    return {f["id"] for f in doc["faults"] if f["fixed"]}
