"""What the graders read from the key. Any failure here is a grader error, never the candidate's.

The key's layout (key_format 3; 2 has no poisoned exports) is documented in ``faultline.harness.keyfile``; the
harness validates it whole before the run phase, so a problem found here means the key
changed under us or was made by another version.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .compare import ColumnSpec, Kind

KEY_FORMATS = (2, 3)


class KeyProblem(Exception):
    """The key cannot be read; the message says which file and why, in one line."""


@dataclasses.dataclass(frozen=True)
class KeyView:
    root: Path
    datasets: tuple[str, ...]
    fault_ids: tuple[str, ...]
    keys: list[str]
    output_file: str
    specs: dict[str, ColumnSpec]
    valid_poisoned: tuple[str, ...] = ()  # poisoned exports whose output must equal the reference's


@dataclasses.dataclass(frozen=True)
class DatasetKey:
    reference: pd.DataFrame
    contract: pa.Schema
    footprints: dict[str, pd.DataFrame]
    fault_values: dict[str, pd.DataFrame]


def load(root: Path) -> KeyView:
    path = root / "variant.json"
    try:
        doc: dict[str, Any] = json.loads(path.read_text())
        if doc.get("key_format") not in KEY_FORMATS:
            raise KeyProblem(f"variant.json has key_format {doc.get('key_format')!r}, expected one of {KEY_FORMATS}")
        specs = {
            str(c["name"]): ColumnSpec(str(c["name"]), Kind(c["kind"]), c.get("minor_unit"))
            for c in doc["columns"]
        }
        return KeyView(
            root=root, datasets=tuple(doc["datasets"]), fault_ids=tuple(f["id"] for f in doc["faults"]),
            keys=[str(k) for k in doc["key_columns"]], output_file=str(doc["output_file"]), specs=specs,
            valid_poisoned=tuple(str(p["name"]) for p in doc.get("poisoned", []) if p["kind"] == "valid"),
        )
    except KeyProblem:
        raise
    except Exception as exc:  # noqa: BLE001 (missing file, bad JSON, wrong field types alike)
        raise KeyProblem(f"variant.json is unreadable: {type(exc).__name__}: {exc}") from None


def load_dataset(view: KeyView, name: str) -> DatasetKey:
    try:
        expected = view.root / "expected" / name / view.output_file
        reference = pd.read_parquet(expected)
        contract = pq.read_schema(expected).remove_metadata()
        footprints, values = {}, {}
        for fid in view.fault_ids:
            footprints[fid] = pd.read_parquet(view.root / "footprints" / name / f"{fid}.parquet")
            values[fid] = pd.read_parquet(view.root / "fault_values" / name / f"{fid}.parquet")
    except Exception as exc:  # noqa: BLE001
        raise KeyProblem(f"key files of dataset {name} are unreadable: {type(exc).__name__}: {exc}") from None
    return DatasetKey(reference, contract, footprints, values)
