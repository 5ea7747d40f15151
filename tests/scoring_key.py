"""A small synthetic key, written by hand, so that graders and artefacts are tested in seconds.

One hidden dataset ``h1``; the reference has ``ROWS`` rows keyed by ``id`` with a count, a
money column, a float and a label. Fault ``f1`` multiplies ``amount`` by 100 on the first
five rows; fault ``f2`` drops rows 10 and 11. Both footprints are exclusive.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 50
SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int64()), ("amount", pa.float64()),
                    ("score", pa.float64()), ("label", pa.string())])


def reference() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"u{i:03d}" for i in range(ROWS)],
        "n": list(range(ROWS)),
        "amount": [round(1.25 * i + 0.01, 2) for i in range(ROWS)],
        "score": [i / 7 for i in range(ROWS)],
        "label": ["a" if i % 2 else "b" for i in range(ROWS)],
    })


def write(frame: pd.DataFrame, path: Path, schema: pa.Schema = SCHEMA) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), path)
    return path


def make_key(root: Path) -> Path:
    key = root / "key"
    ref = reference()
    write(ref, key / "expected" / "h1" / "out.parquet")
    (key / "hidden" / "h1").mkdir(parents=True)
    (key / "hidden" / "h1" / "manifest.json").write_text("{}\n")
    f1 = ref.iloc[:5].assign(amount=lambda f: f["amount"] * 100)
    write(f1, key / "fault_values" / "h1" / "f1.parquet")
    write(ref.iloc[:0], key / "fault_values" / "h1" / "f2.parquet")
    footprints = {
        "f1": pd.DataFrame({"id": ref["id"].iloc[:5], "column": "amount"}),
        "f2": pd.DataFrame({"id": [i for i in ref["id"].iloc[10:12] for _ in range(5)],
                            "column": ["__row__", "n", "amount", "score", "label"] * 2}),
    }
    for fid, fp in footprints.items():
        path = key / "footprints" / "h1" / f"{fid}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        fp.assign(exclusive=True).astype({"id": "str", "column": "str"}).to_parquet(path, index=False)
    columns = [
        {"name": "id", "arrow": "string", "kind": "key", "minor_unit": None},
        {"name": "n", "arrow": "int64", "kind": "count", "minor_unit": None},
        {"name": "amount", "arrow": "double", "kind": "money", "minor_unit": 0.01},
        {"name": "score", "arrow": "double", "kind": "float", "minor_unit": None},
        {"name": "label", "arrow": "string", "kind": "exact", "minor_unit": None},
    ]
    doc = {
        "schema": "faultline.variant/1", "key_format": 2, "id": "synthetic-0001", "exercise": "synthetic",
        "seed": "0", "datasets": ["h1"], "key_columns": ["id"], "columns": columns, "output_file": "out.parquet",
        "versions": {}, "faults": [
            {"id": "f1", "family": "units", "title": "amount x100", "params": {}, "points": 10},
            {"id": "f2", "family": "row-loss", "title": "two rows lost", "params": {}, "points": 10},
        ],
    }
    (key / "variant.json").write_text(json.dumps(doc, indent=2) + "\n")
    return key


def copier(dest: Path, source: Path) -> Path:
    """A submission whose pipeline writes ``source`` (a file) as its output on every dataset."""
    package = dest / "pipeline"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "payload.bin").write_bytes(source.read_bytes())
    (package / "__main__.py").write_text(
        "import pathlib, shutil, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--output') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "shutil.copyfile(pathlib.Path(__file__).with_name('payload.bin'), out / 'out.parquet')\n"
    )
    return dest
