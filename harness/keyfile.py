"""The key folder: writing it when a variant is made, reading and validating it to grade.

Key layout, ``key_format`` 3 (every file 0600 once handed out; ``variant.json`` names the rest)::

    variant.json                        the record below
    hidden/<dataset>/...                the hidden input datasets (h1, h2, h3)
    expected/<dataset>/<output_file>    the reference pipeline's output: the contract's schema
    footprints/<dataset>/<fault>.parquet
        the cells that fault alone changes: the key columns, ``column`` (a value column, or
        ``__row__`` for a key present on one side only or repeated) and ``exclusive`` (no
        other chosen fault touches the cell)
    fault_values/<dataset>/<fault>.parquet
        the output of the pipeline with only that fault on, restricted to the keys of its
        footprint (repeated keys kept): what a cell looks like while the fault is unfixed
    poisoned/<name>/input/...           a poisoned export (the run phase runs it; graders never read it)
    poisoned/<name>/poison.json         ``kind`` (invalid: must be refused; valid: must be handled),
        ``problem`` (one sentence), ``words`` (a refusal message names the problem when it holds
        one of them, case-insensitive), ``max_points``, ``bundle_outcome`` and
        ``reference_outcome`` with their messages (see harness.poisoning)
    poisoned/<name>/expected/<output_file>
        valid exports only: the reference's output, which the graders compare with
    solution/                           the reference pipeline, as a workspace
    bundle.diff                         the diff from the solution to the bundle
    measured.json                       the reference's run times and peak memory on the hidden data
                                        (the only file two builds of one seed differ in)
    renders/                            code only: the bundle's and each single-fault pipeline,
                                        and the public tests' node ids (harness/signals/targets.py);
                                        optional: a key without it grades with signals.tests
                                        not measured. Never mounted into the graders' container.

``variant.json`` (``"schema": "faultline.variant/1"``, ``"key_format": 3``) holds ``id``,
``exercise``, ``seed``, ``attempt``, ``difficulty``, ``rows``, ``knobs``, ``datasets``,
``data_seeds``, ``key_columns``, ``output_file``, ``columns`` (per output column: ``name``,
``arrow`` type, ``kind`` one of key/money/count/float/exact, ``minor_unit`` for money),
``faults`` (per fault: ``id``, ``family``, ``title``, ``params``, ``points``, ``ticket`` (null
when no ticket describes the fault, as at ``expert``), ``explanation``, ``sites``,
``exclusive_cells``), ``poisoned`` (per poisoned export: ``name``, ``kind``, ``max_points``),
``versions`` and ``bundle_sha256``. Points come from ``faultline.graders.scoring``. A key of
``key_format`` 2 (no poisoned exports) still grades, with the poisoned-exports signal not
measured; any other format is refused.
"""
from __future__ import annotations

import dataclasses
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultline.graders.scoring import POINTS_PER_FAULT
from faultline.harness.archive import sha256_file, unified_diff
from faultline.harness.errors import UsageError

if TYPE_CHECKING:  # grading reads keys without loading pandas into the CLI process
    import pandas as pd

    from faultline.exercises.base import Exercise
    from faultline.harness.variant import Variant

VARIANT_SCHEMA = "faultline.variant/1"
KEY_FORMAT = 3
READABLE_KEY_FORMATS = (2, 3)  # 2: before poisoned exports
POISON_KINDS = ("invalid", "valid")


def versions() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {
        "faultline": version("faultline"),
        "python": platform.python_version(),
        "pandas": version("pandas"),
        "pyarrow": version("pyarrow"),
        "numpy": version("numpy"),
    }


def write_footprint(key: Path, dataset: str, fault_id: str, footprint: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = key / "footprints" / dataset
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(footprint.astype({"column": "str"}), preserve_index=False)
    pq.write_table(table, folder / f"{fault_id}.parquet", compression="snappy")


def write_fault_values(key: Path, dataset: str, fault_id: str, rows: pd.DataFrame, *, schema_of: Path) -> None:
    """The fault's own output on its footprint's keys, in the reference output's Arrow schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = key / "fault_values" / dataset
    folder.mkdir(parents=True, exist_ok=True)
    schema = pq.read_schema(schema_of).remove_metadata()
    table = pa.Table.from_pandas(rows[schema.names], schema=schema, preserve_index=False)
    pq.write_table(table, folder / f"{fault_id}.parquet", compression="snappy")


def write_diff(key: Path, *, solution: Path, bundle: Path) -> None:
    (key / "bundle.diff").write_text(unified_diff(solution, bundle))


def write_variant(
    key: Path,
    *,
    exercise: Exercise,
    variant: Variant,
    context: dict[str, Any],
    stats: dict[str, dict[str, int]],
    sites: dict[str, list[dict[str, object]]],
    bundle_zip: Path,
    columns: list[dict[str, Any]],
    poisoned: list[dict[str, Any]],
) -> None:
    faults = []
    for chosen in variant.faults:
        ticket = context["ticket_of"][chosen.id]
        fault = exercise.FAULTS[chosen.id]
        faults.append(
            {
                "id": chosen.id,
                "family": fault.FAMILY,
                "title": fault.TITLE,
                "params": dict(chosen.params),
                "points": POINTS_PER_FAULT,
                "ticket": ticket,
                "explanation": fault.explain(chosen.params),
                "sites": sites[chosen.id],
                "exclusive_cells": stats[chosen.id],
            }
        )
    doc = {
        "schema": VARIANT_SCHEMA,
        "key_format": KEY_FORMAT,
        "id": variant.id,
        "exercise": exercise.ID,
        "seed": variant.seed,
        "attempt": variant.attempt,
        "difficulty": variant.difficulty,
        "rows": variant.rows,
        "knobs": dict(variant.knobs),
        "spec": dataclasses.asdict(variant.spec),
        "hidden_knobs": {name: dict(k) for name, k in variant.hidden_knobs.items()},
        "faults": faults,
        "datasets": sorted(variant.hidden_seeds),
        "data_seeds": {"sample": str(variant.sample_seed), **{k: str(v) for k, v in variant.hidden_seeds.items()}},
        "sample_window": {k: str(v) for k, v in context["sample"].items()},
        "key_columns": list(exercise.KEY_COLUMNS),
        "columns": columns,
        "output_file": exercise.OUTPUT_FILE,
        "poisoned": [{"name": p["name"], "kind": p["kind"], "max_points": p["max_points"]} for p in poisoned],
        "versions": versions(),
        "bundle_sha256": sha256_file(bundle_zip),
    }
    (key / "variant.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


@dataclasses.dataclass(frozen=True)
class KeyFault:
    id: str
    family: str
    title: str
    points: int
    params: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class KeyPoison:
    """One poisoned export of the key, with its poison.json."""

    name: str
    kind: str  # "invalid" or "valid"
    max_points: int
    problem: str
    words: tuple[str, ...]
    bundle_outcome: str


@dataclasses.dataclass(frozen=True)
class KeyColumn:
    name: str
    arrow: str
    kind: str  # key, money, count, float, exact (faultline.graders.compare.Kind)
    minor_unit: float | None


@dataclasses.dataclass(frozen=True)
class Key:
    """A key folder, validated whole: every file it names exists and is well-formed."""

    root: Path
    doc: dict[str, Any]  # variant.json as read, for readers of fields not typed here
    id: str
    exercise: str
    datasets: tuple[str, ...]
    faults: tuple[KeyFault, ...]
    key_columns: tuple[str, ...]
    columns: tuple[KeyColumn, ...]
    output_file: str
    key_format: int = KEY_FORMAT
    poisoned: tuple[KeyPoison, ...] | None = None  # None: a key_format 2 key, not measured

    @property
    def fault_points(self) -> int:
        return sum(f.points for f in self.faults)

    @property
    def max_score(self) -> int:
        return self.fault_points + sum(p.max_points for p in self.poisoned or ())

    def hidden(self, dataset: str) -> Path:
        return self.root / "hidden" / dataset

    def poisoned_input(self, name: str) -> Path:
        return self.root / "poisoned" / name / "input"


_REQUIRED = {
    "schema": str, "key_format": int, "id": str, "exercise": str, "seed": str, "faults": list,
    "datasets": list, "key_columns": list, "columns": list, "output_file": str, "versions": dict,
}
_KINDS = ("key", "money", "count", "float", "exact")
_FOOTPRINT_COLUMNS = ("column", "exclusive")


def load_key(root: Path) -> Key:
    """Read ``root/variant.json`` and check the whole key before anything runs; UsageError otherwise."""
    path = root / "variant.json"
    if not root.is_dir():
        raise UsageError(f"key folder {root} does not exist")
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"{root} is not a key folder: {path.name} is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is unreadable: {exc}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{path} is not a JSON object")
    if "key_format" not in doc:
        raise UsageError(f"{path}: field 'key_format' is missing: an older faultline made this key; "
                         "make a new variant")
    if doc["key_format"] not in READABLE_KEY_FORMATS:
        raise UsageError(f"{path}: key_format {doc['key_format']!r} is not {KEY_FORMAT}: another faultline "
                         "version made this key; make a new variant")
    for field, kind in _REQUIRED.items():
        if not isinstance(doc.get(field), kind):
            raise UsageError(f"{path}: field {field!r} is missing or not a {kind.__name__}")
    if doc["schema"] != VARIANT_SCHEMA:
        raise UsageError(f"{path}: schema {doc['schema']!r} is not {VARIANT_SCHEMA!r}")
    key = Key(
        root=root, doc=doc, id=doc["id"], exercise=doc["exercise"],
        datasets=_names(path, "datasets", doc["datasets"]),
        faults=tuple(_fault(path, f) for f in doc["faults"]),
        key_columns=_names(path, "key_columns", doc["key_columns"]),
        columns=tuple(_column(path, c) for c in doc["columns"]),
        output_file=doc["output_file"], key_format=doc["key_format"],
        poisoned=_poisoned(root, path, doc) if doc["key_format"] >= 3 else None,
    )
    if not key.datasets or not key.faults:
        raise UsageError(f"{path}: a key needs at least one dataset and one fault")
    if len({f.id for f in key.faults}) != len(key.faults):
        raise UsageError(f"{path}: a fault id is repeated")
    names = [c.name for c in key.columns]
    if not set(key.key_columns) <= set(names):
        raise UsageError(f"{path}: key columns {list(key.key_columns)} are not all among the columns")
    for dataset in key.datasets:
        _check_files(key, dataset, names)
    for poison in key.poisoned or ():
        if poison.kind == "valid":
            _check_parquet(root, root / "poisoned" / poison.name / "expected" / key.output_file, names)
    return key


def _poisoned(root: Path, path: Path, doc: dict[str, Any]) -> tuple[KeyPoison, ...]:
    entries = doc.get("poisoned")
    if not isinstance(entries, list):
        raise UsageError(f"{path}: field 'poisoned' is missing or not a list")
    names = _names(path, "poisoned names", [e.get("name") if isinstance(e, dict) else None for e in entries])
    if set(names) & set(doc["datasets"]):
        raise UsageError(f"{path}: a poisoned export shares its name with a hidden dataset")
    found = []
    for name in names:
        where = root / "poisoned" / name
        try:
            record = json.loads((where / "poison.json").read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise UsageError(f"key {root} is incomplete: poisoned/{name}/poison.json is missing or unreadable"
                             ) from None
        kind, points, words = record.get("kind"), record.get("max_points"), record.get("words")
        if kind not in POISON_KINDS or not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise UsageError(f"key {root}: poisoned/{name}/poison.json has no usable kind or max_points")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise UsageError(f"key {root}: poisoned/{name}/poison.json has no usable words")
        if kind == "invalid" and not words:
            raise UsageError(f"key {root}: poisoned/{name} is invalid but names no word of its problem")
        data = where / "input"
        if not data.is_dir() or not any(data.iterdir()):
            raise UsageError(f"key {root} is incomplete: poisoned/{name}/input is missing or empty")
        found.append(KeyPoison(name=name, kind=kind, max_points=points, problem=str(record.get("problem", "")),
                               words=tuple(words), bundle_outcome=str(record.get("bundle_outcome", ""))))
    return tuple(found)


def _names(path: Path, field: str, items: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(i, str) and i and "/" not in i and i not in (".", "..") for i in items):
        raise UsageError(f"{path}: {field} must be plain names")
    if len(set(items)) != len(items):
        raise UsageError(f"{path}: {field} has a repeated name")
    return tuple(items)


def _fault(path: Path, entry: Any) -> KeyFault:
    if not isinstance(entry, dict):
        raise UsageError(f"{path}: a fault entry is not an object")
    fid, points = entry.get("id"), entry.get("points")
    if not isinstance(fid, str) or not fid or "/" in fid:
        raise UsageError(f"{path}: a fault entry has no usable id")
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise UsageError(f"{path}: fault {fid} has no positive whole number of points")
    return KeyFault(id=fid, family=str(entry.get("family", "")), title=str(entry.get("title", "")),
                    points=points, params=dict(entry.get("params") or {}))


def _column(path: Path, entry: Any) -> KeyColumn:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise UsageError(f"{path}: a column entry has no name")
    if entry.get("kind") not in _KINDS:
        raise UsageError(f"{path}: column {entry['name']} has kind {entry.get('kind')!r}, not one of {_KINDS}")
    unit = entry.get("minor_unit")
    if entry["kind"] == "money" and not (isinstance(unit, (int, float)) and unit > 0):
        raise UsageError(f"{path}: money column {entry['name']} has no positive minor_unit")
    return KeyColumn(name=entry["name"], arrow=str(entry.get("arrow", "")), kind=entry["kind"],
                     minor_unit=float(unit) if unit is not None else None)


def _check_files(key: Key, dataset: str, columns: list[str]) -> None:
    """Every file of one dataset is there and its Parquet footer reads with the expected columns."""
    hidden = key.hidden(dataset)
    if not hidden.is_dir() or not any(hidden.iterdir()):
        raise UsageError(f"key {key.root} is incomplete: hidden/{dataset} is missing or empty")
    expected = (key.root / "expected" / dataset / key.output_file, columns)
    wanted = [expected]
    for fault in key.faults:
        wanted.append((key.root / "footprints" / dataset / f"{fault.id}.parquet",
                       [*key.key_columns, *_FOOTPRINT_COLUMNS]))
        wanted.append((key.root / "fault_values" / dataset / f"{fault.id}.parquet", columns))
    for file, names in wanted:
        _check_parquet(key.root, file, names)


def _check_parquet(root: Path, file: Path, names: list[str]) -> None:
    import pyarrow.parquet as pq

    where = file.relative_to(root)
    if not file.is_file():
        raise UsageError(f"key {root} is incomplete: {where} is missing")
    try:
        schema = pq.read_schema(file)
    except Exception as exc:  # noqa: BLE001 (any reader failure: the file is not well-formed)
        raise UsageError(f"key {root}: {where} is not a readable Parquet file ({type(exc).__name__})") from None
    if schema.names != names and sorted(schema.names) != sorted(names):
        raise UsageError(f"key {root}: {where} has columns {schema.names}, expected {names}")
