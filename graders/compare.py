"""Cell-level comparison of a feature table with the reference, columns by meaning.

This is the one definition of "differs" in faultline: the harness uses it to compute
each fault's footprint when a variant is made, and the graders use it to score a
submission, so both always agree. It needs only pandas and numpy.

A difference is a cell ``(key..., column)``. A key present on one side only, or
repeated, is the cell ``(key..., ROW)``; such a key also counts as differing in every
value column once expanded (see ``expand``).

Columns are compared by their kind (the contract says which): money within half of its
minor unit, counts exactly, floats relatively, everything else (text, dates, times,
flags) exactly. Values of another type than the reference's are compared as text, so a
wrong type is a difference, never a crash.
"""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .scoring import FLOAT_ATOL, FLOAT_RTOL, MONEY_TOLERANCE_UNITS

ROW = "__row__"


class Kind(enum.StrEnum):
    KEY = "key"
    MONEY = "money"  # equal within half of minor_unit
    COUNT = "count"  # equal exactly
    FLOAT = "float"  # equal relatively (FLOAT_RTOL)
    EXACT = "exact"  # text, dates, timestamps, flags: equal exactly


@dataclasses.dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    minor_unit: float | None = None  # money only: 0.01 for cents


Specs = Mapping[str, ColumnSpec]


def infer_specs(frame: pd.DataFrame, keys: list[str], money: Mapping[str, float]) -> dict[str, ColumnSpec]:
    """Kinds for the reference's columns: declared money columns, otherwise by dtype."""
    specs = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if name in keys:
            spec = ColumnSpec(name, Kind.KEY)
        elif name in money:
            spec = ColumnSpec(name, Kind.MONEY, float(money[name]))
        elif pd.api.types.is_bool_dtype(dtype):
            spec = ColumnSpec(name, Kind.EXACT)
        elif pd.api.types.is_integer_dtype(dtype):
            spec = ColumnSpec(name, Kind.COUNT)
        elif pd.api.types.is_float_dtype(dtype):
            spec = ColumnSpec(name, Kind.FLOAT)
        else:
            spec = ColumnSpec(name, Kind.EXACT)
        specs[str(name)] = spec
    return specs


def align_keys(frames: list[pd.DataFrame], keys: list[str]) -> list[pd.DataFrame]:
    """The same frames with keys of one type: a key typed differently anywhere becomes text.

    Keys of the same type are merged as they are (text casts are slow).
    """
    mismatched = [k for k in keys if len({str(f[k].dtype) for f in frames}) > 1]
    if not mismatched:
        return frames
    as_text = {k: "str" for k in mismatched}
    return [f.astype(as_text) for f in frames]


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def equal(a: pd.Series, b: pd.Series, spec: ColumnSpec | None = None) -> np.ndarray:
    """Element-wise "same value" of two aligned series; two missing values are the same."""
    a_null = a.isna().to_numpy(dtype=bool)
    b_null = b.isna().to_numpy(dtype=bool)
    both_null = a_null & b_null
    one_null = a_null ^ b_null
    kind = spec.kind if spec else Kind.EXACT
    if _numeric(a) and _numeric(b):
        x = a.to_numpy(dtype="float64", na_value=np.nan)
        y = b.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            if kind is Kind.MONEY and spec is not None and spec.minor_unit:
                # A tiny slack so that a half unit (2.675 vs 2.67) is not lost to binary floats.
                tol = spec.minor_unit * MONEY_TOLERANCE_UNITS * (1 + 1e-9)
                close = np.abs(x - y) <= tol
            elif kind in (Kind.COUNT, Kind.KEY):
                close = x == y
            else:
                close = np.isclose(x, y, rtol=FLOAT_RTOL, atol=FLOAT_ATOL)
        return np.asarray(both_null | (close & ~one_null), dtype=bool)
    try:
        same = a.eq(b).to_numpy(dtype=bool, na_value=False)
    except (TypeError, ValueError):
        same = (a.astype("str") == b.astype("str")).to_numpy(dtype=bool, na_value=False)
    return np.asarray(both_null | (same & ~one_null), dtype=bool)


def _empty(keys: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=keys + ["column"])


def cell_diff(
    reference: pd.DataFrame, output: pd.DataFrame, keys: list[str], specs: Specs | None = None
) -> pd.DataFrame:
    """Cells where ``output`` differs from ``reference``: columns ``keys + ["column"]``.

    Value columns are the reference's. A value column the output lacks differs on every
    shared key; a key the output repeats counts once, as an extra row.
    """
    ref, out = align_keys([reference, output], keys)
    specs = specs or {}
    parts: list[pd.DataFrame] = []

    repeated = out.duplicated(subset=keys, keep="first")
    if repeated.any():
        parts.append(out.loc[repeated, keys].drop_duplicates().assign(column=ROW))
        out = out.loc[~repeated]

    values = [c for c in ref.columns if c not in keys]
    present = [c for c in values if c in out.columns]
    merged = ref.merge(
        out[keys + present], on=keys, how="outer", suffixes=("", "__out"), indicator=True
    )
    one_side = merged["_merge"] != "both"
    parts.append(merged.loc[one_side, keys].assign(column=ROW))
    shared = merged.loc[~one_side]
    for col in values:
        if col in present:
            differs = ~equal(shared[col], shared[f"{col}__out"], specs.get(col))
        else:
            differs = np.ones(len(shared), dtype=bool)
        if differs.any():
            parts.append(shared.loc[differs, keys].assign(column=col))
    parts = [p for p in parts if not p.empty]
    cells = pd.concat(parts, ignore_index=True) if parts else _empty(keys)
    return cells.drop_duplicates().reset_index(drop=True)


def expand(cells: pd.DataFrame, keys: list[str], value_columns: list[str]) -> pd.DataFrame:
    """A row-level cell stands for its key in every value column too."""
    rows = cells.loc[cells["column"] == ROW, keys].drop_duplicates()
    if rows.empty:
        return cells.drop_duplicates().reset_index(drop=True)
    spread = rows.merge(pd.DataFrame({"column": value_columns}), how="cross")
    return pd.concat([cells, spread], ignore_index=True).drop_duplicates().reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class Located:
    """Where some cells' keys are in a KeyIndex's table: occurrences and first row (-1: absent)."""

    n: np.ndarray
    at: np.ndarray


@dataclasses.dataclass(frozen=True)
class KeyIndex:
    """A table's first row per key, and where and how often each key occurs (built once)."""

    first: pd.DataFrame
    index: pd.DataFrame  # keys, n (occurrences), at (row in ``first``)

    @classmethod
    def of(cls, frame: pd.DataFrame, keys: list[str]) -> KeyIndex:
        counts = frame[keys].assign(n=1).groupby(keys, dropna=False, sort=False)["n"].size().reset_index()
        first = frame.drop_duplicates(keys).reset_index(drop=True)
        index = counts.merge(first[keys].assign(at=np.arange(len(first))), on=keys, how="left")
        return cls(first, index)

    def locate(self, cells: pd.DataFrame, keys: list[str]) -> Located:
        """One merge per table and cell set; everything else reads the result."""
        found = cells[keys].reset_index(drop=True).merge(self.index, on=keys, how="left", sort=False)
        return Located(found["n"].fillna(0).to_numpy(dtype="int64"), found["at"].fillna(-1).to_numpy(dtype="int64"))

    def numbers(self, cells: pd.DataFrame, where: Located) -> np.ndarray:
        """Each cell's value as a float: NaN where the key or column is absent or not numeric."""
        column = cells["column"].to_numpy()
        result = np.full(len(cells), np.nan)
        for col in pd.unique(column):
            if col not in self.first.columns or not _numeric(self.first[col]):
                continue
            sel = np.flatnonzero((column == col) & (where.at >= 0))
            result[sel] = self.first[col].take(where.at[sel]).to_numpy(dtype="float64", na_value=np.nan)
        return result


def matches(
    base: KeyIndex, output: KeyIndex, cells: pd.DataFrame, keys: list[str], specs: Specs | None = None,
    *, located: tuple[Located, Located] | None = None,
) -> np.ndarray:
    """For each of ``cells`` (in order): does ``output`` agree with ``base`` there?

    A ROW cell agrees when the key occurs as often on both sides (absent, once, repeated);
    a value cell agrees when the key is absent on both sides, or present on both with the
    same value (first occurrence) in that column. Keys must be of one type on all sides
    (``align_keys``); ``located`` may pass the cells already located in both tables.
    """
    specs = specs or {}
    result = np.zeros(len(cells), dtype=bool)
    if cells.empty:
        return result
    in_base, in_out = located or (base.locate(cells, keys), output.locate(cells, keys))
    n_base, n_out = in_base.n, in_out.n
    is_row = (cells["column"] == ROW).to_numpy(dtype=bool)
    result[is_row] = n_base[is_row] == n_out[is_row]
    result[~is_row & (n_base == 0) & (n_out == 0)] = True
    both = ~is_row & (n_base > 0) & (n_out > 0)
    column = cells["column"].to_numpy()
    for col in pd.unique(column[both]):
        if col not in base.first.columns or col not in output.first.columns:
            continue  # a column missing on one side: no value agrees
        sel = np.flatnonzero(both & (column == col))
        a = base.first[col].take(in_base.at[sel]).reset_index(drop=True)
        b = output.first[col].take(in_out.at[sel]).reset_index(drop=True)
        result[sel] = equal(a, b, specs.get(str(col)))
    return result


def intersect(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return a.merge(b[keys + ["column"]].drop_duplicates(), on=keys + ["column"], how="inner")


def subtract(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if b.empty or a.empty:
        return a
    a, b = align_keys([a, b], keys)
    marked = a.merge(
        b[keys + ["column"]].drop_duplicates(), on=keys + ["column"], how="left", indicator=True
    )
    return marked.loc[marked["_merge"] == "left_only", keys + ["column"]].reset_index(drop=True)


def exclusive_footprints(
    footprints: dict[str, pd.DataFrame], keys: list[str]
) -> dict[str, pd.DataFrame]:
    """Mark each fault's cells that no other fault's footprint touches."""
    marked: dict[str, pd.DataFrame] = {}
    for fid, fp in footprints.items():
        others = [g for h, g in footprints.items() if h != fid]
        rest = pd.concat(others, ignore_index=True).drop_duplicates() if others else fp.iloc[:0]
        only = subtract(fp, rest, keys).assign(exclusive=True)
        marked[fid] = (
            fp.merge(only, on=keys + ["column"], how="left")
            .assign(exclusive=lambda f: f["exclusive"].astype("boolean").fillna(False).astype(bool))
            .sort_values(keys + ["column"], kind="stable")
            .reset_index(drop=True)
        )
    return marked
