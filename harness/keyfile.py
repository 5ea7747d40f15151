"""The key folder: writing it when a variant is made, reading and validating it to grade."""
from __future__ import annotations

import dataclasses
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultline.harness.archive import sha256_file, unified_diff
from faultline.harness.errors import UsageError

if TYPE_CHECKING:  # grading reads keys without loading pandas into the CLI process
    import pandas as pd

    from faultline.exercises.base import Exercise
    from faultline.harness.variant import Variant

VARIANT_SCHEMA = "faultline.variant/1"
POINTS_PER_FAULT = 10
NO_REGRESSION_POINTS = 10


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
) -> None:
    faults = []
    for chosen, ticket in zip(variant.faults, context["tickets"], strict=True):
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
        "no_regression_points": NO_REGRESSION_POINTS,
        "datasets": sorted(variant.hidden_seeds),
        "data_seeds": {"sample": str(variant.sample_seed), **{k: str(v) for k, v in variant.hidden_seeds.items()}},
        "sample_window": {k: str(v) for k, v in context["sample"].items()},
        "key_columns": list(exercise.KEY_COLUMNS),
        "output_file": exercise.OUTPUT_FILE,
        "versions": versions(),
        "bundle_sha256": sha256_file(bundle_zip),
    }
    (key / "variant.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


@dataclasses.dataclass(frozen=True)
class Key:
    """A validated key folder."""

    root: Path
    doc: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    @property
    def datasets(self) -> list[str]:
        return list(self.doc["datasets"])

    @property
    def faults(self) -> list[dict[str, Any]]:
        return list(self.doc["faults"])

    def hidden(self, dataset: str) -> Path:
        return self.root / "hidden" / dataset


_REQUIRED = {
    "schema": str, "id": str, "exercise": str, "seed": str, "faults": list,
    "datasets": list, "key_columns": list, "output_file": str, "versions": dict,
}


def load_key(root: Path) -> Key:
    """Read ``root/variant.json`` and check the key is complete; UsageError otherwise."""
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
    for field, kind in _REQUIRED.items():
        if not isinstance(doc.get(field), kind):
            raise UsageError(f"{path}: field {field!r} is missing or not a {kind.__name__}")
    if doc["schema"] != VARIANT_SCHEMA:
        raise UsageError(f"{path}: schema {doc['schema']!r} is not {VARIANT_SCHEMA!r}")
    for fault in doc["faults"]:
        if not isinstance(fault, dict) or not isinstance(fault.get("id"), str):
            raise UsageError(f"{path}: a fault entry has no id")
    for dataset in doc["datasets"]:
        for needed in (
            root / "hidden" / dataset,
            root / "expected" / dataset / doc["output_file"],
            *[root / "footprints" / dataset / f"{f['id']}.parquet" for f in doc["faults"]],
        ):
            if not needed.exists():
                raise UsageError(f"key {root} is incomplete: {needed.relative_to(root)} is missing")
    return Key(root=root, doc=doc)
