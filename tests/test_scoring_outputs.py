"""Golden corpus of bad outputs: whatever a pipeline writes is graded, never a grader crash.

Each case writes one output file for the synthetic key and runs the graders in process
(no Docker, no pipeline); one case also runs the real check-phase entry point.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from faultline import graders
from faultline.graders import plugin
from tests.scoring_key import ROWS, make_key, reference

Writer = Callable[[Path], None]


def _table(**replace: pa.Array) -> pa.Table:
    """The reference as Arrow, with some columns replaced (or added)."""
    table = pa.Table.from_pandas(reference(), preserve_index=False).replace_schema_metadata(None)
    for name, array in replace.items():
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, array)
        else:
            table = table.append_column(name, array)
    return table


def _parquet(table: pa.Table) -> Writer:
    return lambda path: pq.write_table(table, path)


def _bytes(data: bytes) -> Writer:
    return lambda path: path.write_bytes(data)


def _rows(frame: pd.DataFrame) -> Writer:
    return lambda path: pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


ref = reference()
dates = pa.array([[dt.date(2024, 1, 1), dt.date(2024, 1, 2)]] * ROWS, pa.list_(pa.date32()))
money = pa.array([decimal.Decimal(f"{v:.2f}") for v in ref["amount"]], pa.decimal128(12, 2))

# name -> (writer, what the grade must say): "error" = the dataset is reported unreadable;
# "schema" = graded with a schema problem; a set = exactly these faults fixed.
CASES: dict[str, tuple[Writer, str | set[str]]] = {
    "list of dates as a value column": (_parquet(_table(label=dates)), "schema"),
    "struct column": (_parquet(_table(score=pa.array([{"a": 1, "b": "x"}] * ROWS))), "schema"),
    "dictionary-encoded label": (_parquet(_table(label=pa.array(ref["label"]).dictionary_encode())), "schema"),
    "decimal money, same values": (_parquet(_table(amount=money)), "schema"),
    "duration column": (_parquet(_table(n=pa.array([dt.timedelta(seconds=i) for i in range(ROWS)]))), "schema"),
    "large_string key": (_parquet(_table(id=pa.array(ref["id"], pa.large_string()))), "schema"),
    "float16 score": (_parquet(_table(score=pa.array(ref["score"].astype("float16")))), "schema"),
    "all-null column": (_parquet(_table(label=pa.nulls(ROWS))), "schema"),
    "integer keys": (_parquet(_table(id=pa.array(range(ROWS)))), "schema"),
    "extra column": (_parquet(_table(extra=pa.array(range(ROWS)))), "schema"),
    "missing column": (_parquet(_table().drop_columns(["score"])), "schema"),
    # Right values plus extra rows: the faults are fixed, the extra rows are the regression.
    "null and NaN keys": (_rows(pd.concat([ref, ref.iloc[:2].assign(id=[None, float("nan")])])), {"f1", "f2"}),
    "duplicate keys": (_rows(pd.concat([ref, ref.iloc[:3]])), {"f1", "f2"}),
    # Nothing to compare: f2's rows are missing as the fault leaves them, f1's cannot be judged.
    "zero rows": (_rows(ref.iloc[:0]), set()),
    # Every row ten times: f1's values are right, f2's two rows are not "once".
    "ten times the rows": (_rows(pd.concat([ref] * 10, ignore_index=True)), {"f1"}),
    "too many rows": (_rows(pd.concat([ref] * 300, ignore_index=True)), "error"),
    "text file": (_bytes(b"id,n\nu000,0\n"), "error"),
    "empty file": (_bytes(b""), "error"),
    "Parquet magic around garbage": (_bytes(b"PAR1" + b"\x00garbage" * 10 + b"PAR1"), "error"),
    "no key column": (_parquet(_table().drop_columns(["id"])), "error"),
    "the reference": (_parquet(_table()), {"f1", "f2"}),
}


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_key(tmp_path_factory.mktemp("key"))


@pytest.mark.parametrize("name", list(CASES))
def test_any_output_is_graded(name: str, key: Path, tmp_path: Path) -> None:
    writer, expected = CASES[name]
    (tmp_path / "h1").mkdir()
    writer(tmp_path / "h1" / "out.parquet")
    grading = plugin.grade(key, tmp_path)
    [judged] = grading.judged
    fixed = {fid for fid, v in grading.verdicts.items() if v.fixed}
    if expected == "error":
        assert judged.error, "an unreadable output must say why"
        assert fixed == set()
        assert judged.regression.share == 1.0
    elif expected == "schema":
        assert judged.error is None, judged.error
        assert grading.schema["h1"], "the schema problem must be reported"
    else:
        assert judged.error is None, judged.error
        assert fixed == expected, {f: v.reason for f, v in grading.verdicts.items()}
        assert (judged.regression.cells > 0) == (name != "the reference")


def test_a_directory_instead_of_a_file(key: Path, tmp_path: Path) -> None:
    (tmp_path / "h1" / "out.parquet").mkdir(parents=True)
    [judged] = plugin.grade(key, tmp_path).judged
    assert judged.error and "not a regular file" in judged.error


def test_same_values_in_other_types_still_fix_the_faults(key: Path, tmp_path: Path) -> None:
    # Decimal money and dictionary labels carry the reference's values: only the schema differs.
    (tmp_path / "h1").mkdir()
    table = _table(amount=money, label=pa.array(ref["label"]).dictionary_encode())
    pq.write_table(table, tmp_path / "h1" / "out.parquet")
    grading = plugin.grade(key, tmp_path)
    assert all(v.fixed for v in grading.verdicts.values())
    assert grading.judged[0].regression.cells == 0
    assert any("amount" in p for p in grading.schema["h1"])


def test_the_check_phase_entry_point_reports_a_nasty_output(key: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    (outputs / "h1").mkdir(parents=True)
    pq.write_table(_table(label=dates), outputs / "h1" / "out.parquet")
    report = tmp_path / "checks.json"
    run = Path(graders.__file__).resolve().parent / "run.py"
    proc = subprocess.run(
        [sys.executable, "-I", str(run), "--key", str(key), "--outputs", str(outputs), "--report", str(report)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(report.read_text())
    assert doc["schema"] == "faultline.checks/2"
    assert doc["error"] is None
    assert {f["id"]: f["fixed"] for f in doc["faults"]} == {"f1": True, "f2": True}
    assert doc["schema_problems"]["h1"]


def test_an_unreadable_key_is_a_typed_grader_error(key: Path, tmp_path: Path) -> None:
    broken = tmp_path / "key"
    broken.mkdir()
    (broken / "variant.json").write_text("{not json")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    report = tmp_path / "checks.json"
    run = Path(graders.__file__).resolve().parent / "run.py"
    subprocess.run(
        [sys.executable, "-I", str(run), "--key", str(broken), "--outputs", str(outputs), "--report", str(report)],
        capture_output=True, text=True, timeout=300,
    )
    doc = json.loads(report.read_text())
    assert doc["error"]["kind"] == "key"
