"""The graders' pytest plugin: options, the loaded key and outputs, and the JSON report."""
from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from . import compare
from .outputs import BadOutput, read_output

REPORT_SCHEMA = "faultline.checks/1"
_results: list[dict[str, Any]] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("faultline")
    group.addoption("--fl-key")
    group.addoption("--fl-outputs")
    group.addoption("--fl-report")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "fault_id" in metafunc.fixturenames:
        doc = _variant(metafunc.config)
        ids = [f["id"] for f in doc["faults"]]
        metafunc.parametrize("fault_id", ids, ids=ids)


def _variant(config: pytest.Config) -> dict[str, Any]:
    path = Path(config.getoption("--fl-key")) / "variant.json"
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


class Dataset:
    """One hidden dataset: the reference, the footprints and the candidate's verdicts."""

    def __init__(self, key: Path, outputs: Path, name: str, doc: dict[str, Any]) -> None:
        self.name = name
        keys = list(doc["key_columns"])
        expected_path = key / "expected" / name / doc["output_file"]
        reference = pd.read_parquet(expected_path)
        self.expected_schema = pq.read_schema(expected_path).remove_metadata()
        values = [c for c in reference.columns if c not in keys]
        footprints = {
            f["id"]: pd.read_parquet(key / "footprints" / name / f"{f['id']}.parquet")
            for f in doc["faults"]
        }
        self.error: str | None = None
        self.schema_problem: str | None = None
        self.verdicts: dict[str, pd.DataFrame] = {}
        self.exclusive = {fid: int(fp["exclusive"].sum()) for fid, fp in footprints.items()}
        try:
            output, schema = read_output(
                outputs / name / doc["output_file"], max_rows=10 * len(reference) + 10_000
            )
        except BadOutput as exc:
            self.error = f"{name}: {exc}"
            return
        missing_keys = [k for k in keys if k not in output.columns]
        if missing_keys:
            self.error = f"{name}: output has no key column {missing_keys[0]!r}"
            return
        if not schema.equals(self.expected_schema):
            self.schema_problem = _schema_difference(self.expected_schema, schema)
        diff = compare.expand(compare.cell_diff(reference, output, keys), keys, values)
        self.verdicts = compare.verdicts(diff, footprints, keys)


def _schema_difference(expected: Any, actual: Any) -> str:
    if expected.names != actual.names:
        missing = [n for n in expected.names if n not in actual.names]
        extra = [n for n in actual.names if n not in expected.names]
        if missing or extra:
            return f"columns missing {missing}, unexpected {extra}"
        return "columns are in another order"
    for field in expected:
        other = actual.field(field.name)
        if not other.type.equals(field.type):
            return f"column {field.name!r} is {other.type}, expected {field.type}"
    return "schema differs"


def _example(cells: pd.DataFrame, keys: list[str]) -> str:
    row = cells.iloc[0]
    where = ", ".join(f"{k}={row[k]}" for k in keys)
    return f"({where}, {row['column']})"


@pytest.fixture(scope="session")
def doc(pytestconfig: pytest.Config) -> dict[str, Any]:
    return _variant(pytestconfig)


@pytest.fixture(scope="session")
def datasets(pytestconfig: pytest.Config, doc: dict[str, Any]) -> list[Dataset]:
    key = Path(pytestconfig.getoption("--fl-key"))
    outputs = Path(pytestconfig.getoption("--fl-outputs"))
    return [Dataset(key, outputs, name, doc) for name in doc["datasets"]]


def describe(datasets: list[Dataset], check: str, keys: list[str], noun: str) -> list[str]:
    """One problem line per dataset where ``check`` found differing cells."""
    problems = []
    for ds in datasets:
        if ds.error:
            problems.append(ds.error)
            continue
        cells = ds.verdicts[check]
        if not cells.empty:
            total = f" of {ds.exclusive[check]}" if check in ds.exclusive else ""
            problems.append(f"{ds.name}: {len(cells)}{total} {noun} differ, e.g. {_example(cells, keys)}")
    return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        message = ""
        if call.excinfo is not None:
            text = str(call.excinfo.value).strip().splitlines()
            message = text[0][:500] if text else call.excinfo.typename
            if report.when == "setup":
                message = f"grader error: {call.excinfo.typename}: {message}"
        name = item.name.removeprefix("test_")
        _results.append({"name": name, "outcome": report.outcome, "message": message})
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = Path(session.config.getoption("--fl-report"))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"schema": REPORT_SCHEMA, "exitstatus": int(exitstatus), "tests": _results}
    path.write_text(json.dumps(doc, indent=2) + "\n")
