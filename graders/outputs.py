"""Reading a candidate's output safely: any Parquet file becomes a frame the graders can compare.

The file is size- and type-checked before it is parsed. Whatever Arrow types it holds
(lists, structs, dictionaries, decimals, durations, large strings, unknown extension
types), each column the contract names is brought to the contract's type where that
keeps its values (int32 -> int64, decimal -> float64, dictionary -> its values) and to
text otherwise, so that a wrong type shows as differing cells and a schema problem,
never as a grader crash. Columns the contract does not name are left out of the
comparison (and reported as a schema problem).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MAX_BYTES = 512 * 1024 * 1024
MAX_COLUMNS = 256
MAGIC = b"PAR1"


class BadOutput(Exception):
    """The output cannot be graded; the message says why in one line."""


def read_output(path: Path, *, max_rows: int, contract: pa.Schema) -> tuple[pd.DataFrame, pa.Schema]:
    """The output as a frame with the contract's columns it has, and its own schema as written."""
    _check_file(path)
    try:
        meta = pq.read_metadata(path)
        if meta.num_rows > max_rows:
            raise BadOutput(f"{path.name} has {meta.num_rows} rows, more than {max_rows}")
        if meta.num_columns > MAX_COLUMNS:
            raise BadOutput(f"{path.name} has {meta.num_columns} columns")
        table = pq.read_table(path)
    except BadOutput:
        raise
    except Exception as exc:  # any reader failure is the output's fault
        raise BadOutput(f"{path.name} cannot be read as Parquet: {type(exc).__name__}") from None
    schema = table.schema.remove_metadata()
    columns, names = [], []
    for field in contract:
        index = schema.get_field_index(field.name)
        if index < 0:
            # Absent, or present more than once (ambiguous): use the first occurrence if any.
            matching = [i for i, f in enumerate(schema) if f.name == field.name]
            if not matching:
                continue
            index = matching[0]
        columns.append(_conform(table.column(index), field.type))
        names.append(field.name)
    try:
        frame = pa.table(columns, names=names).to_pandas()
    except Exception as exc:  # a column pandas cannot hold: compare it as text
        raise BadOutput(f"{path.name} cannot be converted for comparison: {type(exc).__name__}") from None
    return frame, schema


def _check_file(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise BadOutput(f"{path.name} is missing") from None
    if not stat.S_ISREG(info.st_mode):
        raise BadOutput(f"{path.name} is not a regular file")
    if info.st_size > MAX_BYTES:
        raise BadOutput(f"{path.name} is {info.st_size} bytes, over the {MAX_BYTES} limit")
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(info.st_size - 4, 0))
        tail = fh.read(4)
    if head != MAGIC or tail != MAGIC:
        raise BadOutput(f"{path.name} is not a Parquet file")


def _conform(column: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray:
    """``column`` in the contract's type when its values survive the cast, else as text."""
    if column.type.equals(target):
        return column
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    try:
        return pc.cast(column, target, safe=True)
    except Exception:  # noqa: BLE001 (any Arrow cast failure means "not this type")
        pass
    try:
        return pc.cast(column, pa.string())
    except Exception:  # noqa: BLE001 (nested and exotic types have no text cast in Arrow)
        texts = [None if v is None else repr(v)[:200] for v in column.to_pylist()]
        return pa.chunked_array([pa.array(texts, pa.string())])
