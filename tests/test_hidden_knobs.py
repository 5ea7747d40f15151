"""Fixes fitted to the sample's data knobs hold on the sample and earn nothing on hidden data.

Every hidden dataset draws the knobs its faults depend on afresh (id widths, foreign
currencies, lateness, the direction of corrections, genuinely empty countries). Each case
below starts from the variant's reference solution, puts back one fault's cause and
patches its symptom with a fix fitted to the sample: on the sample it is exact, on the
hidden datasets it is caught.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from faultline.harness.grading import grade
from tests.helpers import new_variant, variant_doc

# Three variants and nine grades: minutes, so `make test-slow`.
pytestmark = pytest.mark.slow

ROWS = 3000
FAULTS = {
    "retail-events": ["leading-zero-ids", "stale-correction"],
    "card-transactions": ["currency-exponent", "na-country-token"],
    "ride-trips": ["late-trip-partitions", "uncorrected-trip"],
}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found once in {path.name}"
    path.write_text(text.replace(old, new))


def _pad_ids_to_sample_width(ws: Path, sample: Path) -> None:
    width = len(pd.read_csv(sample / "users.csv", dtype={"user_id": "str"})["user_id"].iloc[0])
    _replace(
        ws / "pipeline" / "ingest.py",
        'path, dtype={"user_id": "str"}, keep_default_na=False, na_values=[""]\n    )',
        'path, keep_default_na=False, na_values=[""]\n    )\n'
        f'    users["user_id"] = users["user_id"].astype(str).str.zfill({width})',
    )


def _keep_lowest_amount(ws: Path, sample: Path) -> None:
    # Every correction in the sample lowers the amount: "keep the lowest" looks right.
    _replace(
        ws / "pipeline" / "clean.py",
        'events = events.sort_values("ingested_at", kind="stable")\n'
        '    events = events.drop_duplicates(subset="event_id", keep="last")',
        'events = events.sort_values(["amount", "ingested_at"], kind="stable")\n'
        '    events = events.drop_duplicates(subset="event_id", keep="first")',
    )


def _special_case_sample_currency(ws: Path, sample: Path) -> None:
    currencies = set(pq.read_table(sample / "transactions.parquet", columns=["currency"])["currency"].to_pylist())
    config = (ws / "pipeline" / "config.py").read_text()
    namespace: dict[str, object] = {}
    exec(config.split("# Reference rates")[0], namespace)  # just the exponent table
    exponents = namespace["CURRENCY_EXPONENT"]
    assert isinstance(exponents, dict)
    odd = [c for c in sorted(currencies) if exponents[c] != 2]
    assert len(odd) == 1, f"the sample should hold one foreign currency, not {odd}"
    _replace(
        ws / "pipeline" / "clean.py",
        "exponent = np.array([CURRENCY_EXPONENT[c] for c in currencies])[codes]",
        f'exponent = np.where(txns["currency"].to_numpy() == "{odd[0]}", {exponents[odd[0]]}, 2)',
    )


def _fill_missing_countries(ws: Path, sample: Path) -> None:
    # In the sample every missing country is Namibia read as NaN: filling "NA" looks right.
    _replace(
        ws / "pipeline" / "ingest.py",
        'merchants = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])',
        'merchants = pd.read_csv(path, dtype="str")\n'
        '    merchants["merchant_country"] = merchants["merchant_country"].fillna("NA")',
    )


def _grace_of_sample_lateness(ws: Path, sample: Path) -> None:
    end = dt.date.fromisoformat(json.loads((sample / "manifest.json").read_text())["end_date"])
    last = max(dt.date.fromisoformat(p.name.partition("=")[2]) for p in (sample / "trips").iterdir())
    grace = (last - end).days
    _replace(
        ws / "pipeline" / "ingest.py",
        "        if day >= first:",
        f"        if first <= day <= settings.end_date + dt.timedelta(days={grace}):",
    )


def _keep_shortest_trip(ws: Path, sample: Path) -> None:
    # Every correction in the sample shortens the trip: "keep the shortest" looks right.
    _replace(
        ws / "pipeline" / "clean.py",
        'trips = trips.sort_values("updated_at", kind="stable")\n'
        '    trips = trips.drop_duplicates(subset="trip_id", keep="last")',
        'trips = trips.sort_values(["dropoff_ts", "updated_at"], kind="stable")\n'
        '    trips = trips.drop_duplicates(subset="trip_id", keep="first")',
    )


@dataclasses.dataclass(frozen=True)
class Case:
    exercise: str
    fault: str
    patch: Callable[[Path, Path], None]


CASES = [
    Case("retail-events", "leading-zero-ids", _pad_ids_to_sample_width),
    Case("retail-events", "stale-correction", _keep_lowest_amount),
    Case("card-transactions", "currency-exponent", _special_case_sample_currency),
    Case("card-transactions", "na-country-token", _fill_missing_countries),
    Case("ride-trips", "late-trip-partitions", _grace_of_sample_lateness),
    Case("ride-trips", "uncorrected-trip", _keep_shortest_trip),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hidden-knobs")
    return {ex: root / ex for ex in FAULTS}


def _variant(made: dict[str, Path], exercise: str) -> Path:
    out = made[exercise]
    if not (out / "key").is_dir():
        new_variant(out, exercise, "fitted", rows=ROWS, faults=FAULTS[exercise])
    return out


def _run(workspace: Path, data: Path, out: Path) -> pd.DataFrame:
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--input", str(data), "--output", str(out)],
        cwd=workspace, check=True, capture_output=True,
    )
    return pd.read_parquet(out / "features.parquet")


@pytest.mark.parametrize("case", CASES, ids=[c.fault for c in CASES])
def test_a_fitted_fix_holds_on_the_sample_only(case: Case, made: dict[str, Path], tmp_path: Path) -> None:
    variant = _variant(made, case.exercise)
    key, sample = variant / "key", variant / "candidate" / "data" / "raw"
    workspace = tmp_path / "ws"
    shutil.copytree(key / "solution" / "pipeline", workspace / "pipeline")
    case.patch(workspace, sample)

    # On the sample the fitted fix is indistinguishable from the reference...
    pd.testing.assert_frame_equal(
        _run(workspace, sample, tmp_path / "fitted"), _run(key / "solution", sample, tmp_path / "ref")
    )
    # ...on the hidden datasets it is caught.
    result = grade(workspace, key, sandbox="local").doc
    verdicts = {f["id"]: f["fixed"] for f in result["faults"]}
    others = [f for f in FAULTS[case.exercise] if f != case.fault]
    assert all(verdicts[f] for f in others), result["faults"]
    assert verdicts[case.fault] is False, result["faults"]
    print(f"\n{case.exercise} {case.fault} fitted: {result['score']}/{result['max_score']}")


@pytest.mark.parametrize("exercise", list(FAULTS))
def test_hidden_datasets_draw_their_own_knobs(exercise: str, made: dict[str, Path]) -> None:
    doc = variant_doc(_variant(made, exercise) / "key")
    sample, hidden = doc["knobs"], doc["hidden_knobs"]
    assert set(hidden) == set(doc["datasets"])
    for knobs in hidden.values():
        if exercise == "retail-events":
            assert knobs["id_width"] != sample["id_width"]
            assert knobs["correction_up_share"] > 0 == sample["correction_up_share"]
        elif exercise == "card-transactions":
            foreign = {knobs["foreign_currency"], *knobs["extra_foreign_currencies"]}
            assert sample["foreign_currency"] not in foreign and len(foreign) == 2
            assert knobs["empty_country_share"] > 0 == sample["empty_country_share"]
        else:
            assert knobs["max_late_days"] > sample["max_late_days"]
            assert knobs["correction_longer_share"] > 0 == sample["correction_longer_share"]
