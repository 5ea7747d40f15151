"""A fix that special-cases the sample's dates or ids works on the sample and earns nothing.

Hidden datasets come from fresh data seeds (other dates, other ids), so only a fix of
the cause holds there.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Variants
from tests.helpers import fixed_faults, grade_inproc, workspace_with


@pytest.fixture
def variant(variants: Variants) -> Path:
    # A retail-events variant with the two faults patched below; each test switches on only
    # the fault it patches, with the key's own parameters.
    return variants.get("retail-events", "hardcoded", rows=3000, faults=["leading-zero-ids", "utc-partition-window"])


def _run(workspace: Path, data: Path, out: Path) -> pd.DataFrame:
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--input", str(data), "--output", str(out)],
        cwd=workspace, check=True, capture_output=True,
    )
    return pd.read_parquet(out / "features.parquet")


def _patch_sample_ids(workspace: Path, sample: Path) -> None:
    users = pd.read_csv(sample / "users.csv", dtype={"user_id": "str"})
    zeros = users.loc[users["user_id"].str.startswith("0"), "user_id"]
    mapping = {str(int(i)): i for i in zeros}
    ingest = workspace / "pipeline" / "ingest.py"
    text = ingest.read_text()
    anchor = '    users["signup_date"] = pd.to_datetime('
    assert text.count(anchor) == 1
    ingest.write_text(text.replace(anchor, f'    users["user_id"] = users["user_id"].replace({mapping!r})\n{anchor}'))


def _patch_sample_dates(workspace: Path, sample: Path) -> None:
    manifest = json.loads((sample / "manifest.json").read_text())
    start = dt.date.fromisoformat(manifest["start_date"])
    end = dt.date.fromisoformat(manifest["end_date"])
    extra = [start - dt.timedelta(days=1), end + dt.timedelta(days=1)]
    ingest = workspace / "pipeline" / "ingest.py"
    ingest.write_text(
        ingest.read_text()
        + "\n\n_window_dates = partition_dates\n\n\ndef partition_dates(settings):\n"
        + "    return _window_dates(settings) + ["
        + ", ".join(f"dt.date({d.year}, {d.month}, {d.day})" for d in extra)
        + "]\n"
    )


@pytest.mark.xdist_group("retail-events")
@pytest.mark.parametrize(
    ("fault", "patch"),
    [("leading-zero-ids", _patch_sample_ids), ("utc-partition-window", _patch_sample_dates)],
)
def test_hard_coded_fix_earns_nothing(variant: Path, fault: str, patch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = variant / "key"
    sample = variant / "candidate" / "data" / "raw"
    workspace = workspace_with(key, {fault}, tmp_path / "ws")
    patch(workspace, sample)

    # On the sample the special case is indistinguishable from a real fix...
    patched = _run(workspace, sample, tmp_path / "patched")
    reference = _run(key / "solution", sample, tmp_path / "reference")
    pd.testing.assert_frame_equal(patched, reference)

    # ...and on the hidden datasets it fixes nothing.
    result = grade_inproc(workspace, key)
    assert fault not in fixed_faults(result)
    message = next(f["message"] for f in result["faults"] if f["id"] == fault)
    assert "differ" in message
