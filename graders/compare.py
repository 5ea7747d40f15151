"""Cell-level comparison of a feature table with the reference.

This is the one definition of "differs" in faultline: the harness uses it to compute
each fault's footprint when a variant is made, and the graders use it to score a
submission, so both always agree. It needs only pandas and numpy.

A difference is a cell ``(key..., column)``. A key present on one side only is the
cell ``(key..., ROW)``; such a key also counts as differing in every value column
once expanded (see ``expand``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ROW = "__row__"
RTOL = 1e-6  # a correct fix may sum floats in another order
ATOL = 1e-9


def _aligned_keys(
    reference: pd.DataFrame, output: pd.DataFrame, keys: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Keys of another type are compared as text, so that a wrong key type is a difference,
    # not a crash; keys of the same type are merged as they are (text casts are slow).
    mismatched = [k for k in keys if reference[k].dtype != output[k].dtype]
    if not mismatched:
        return reference, output
    as_text = {k: "str" for k in mismatched}
    return reference.astype(as_text), output.astype(as_text)


def _equal(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_null = a.isna().to_numpy() & b.isna().to_numpy()
    one_null = a.isna().to_numpy() ^ b.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x = a.to_numpy(dtype="float64", na_value=np.nan)
        y = b.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            close = np.isclose(x, y, rtol=RTOL, atol=ATOL)
        return np.asarray(both_null | close, dtype=bool)
    try:
        # Same-typed columns (text, timestamps, dates) compare directly: text casts are slow.
        same = a.eq(b).to_numpy(dtype=bool, na_value=False)
    except (TypeError, ValueError):
        same = (a.astype("str") == b.astype("str")).to_numpy(dtype=bool, na_value=False)
    return np.asarray(both_null | (same & ~one_null), dtype=bool)


def cell_diff(reference: pd.DataFrame, output: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Cells where ``output`` differs from ``reference``: columns ``keys + ["column"]``.

    Value columns are the reference's. A value column the output lacks differs on every
    shared key; a key the output repeats counts once, as an extra row.
    """
    ref, out = _aligned_keys(reference, output, keys)
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
            differs = ~_equal(shared[col], shared[f"{col}__out"])
        else:
            differs = np.ones(len(shared), dtype=bool)
        if differs.any():
            parts.append(shared.loc[differs, keys].assign(column=col))
    cells = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keys + ["column"])
    return cells.drop_duplicates().reset_index(drop=True)


def expand(cells: pd.DataFrame, keys: list[str], value_columns: list[str]) -> pd.DataFrame:
    """A row-level cell stands for its key in every value column too."""
    rows = cells.loc[cells["column"] == ROW, keys].drop_duplicates()
    if rows.empty:
        return cells.drop_duplicates().reset_index(drop=True)
    spread = rows.merge(pd.DataFrame({"column": value_columns}), how="cross")
    return pd.concat([cells, spread], ignore_index=True).drop_duplicates().reset_index(drop=True)


def intersect(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return a.merge(b[keys + ["column"]].drop_duplicates(), on=keys + ["column"], how="inner")


def subtract(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if b.empty:
        return a
    marked = a.merge(
        b[keys + ["column"]].drop_duplicates(), on=keys + ["column"], how="left", indicator=True
    )
    return marked.loc[marked["_merge"] == "left_only", keys + ["column"]].reset_index(drop=True)


def verdicts(
    diff: pd.DataFrame, footprints: dict[str, pd.DataFrame], keys: list[str]
) -> dict[str, pd.DataFrame]:
    """What an output's (expanded) differences mean against the footprints.

    ``footprints`` maps a fault to its expanded footprint with a boolean ``exclusive``
    column. The result maps each fault to the cells of its exclusive footprint where the
    output still differs (empty: fixed), and ``"no_regression"`` to the differing cells
    that lie outside every footprint (empty: no regression).
    """
    result: dict[str, pd.DataFrame] = {}
    frames = [fp[keys + ["column"]] for fp in footprints.values()]
    union = pd.concat(frames, ignore_index=True).drop_duplicates() if frames else diff.iloc[:0]
    for fid, fp in footprints.items():
        result[fid] = intersect(diff, fp.loc[fp["exclusive"]], keys)
    result["no_regression"] = subtract(diff, union, keys)
    return result


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
