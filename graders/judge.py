"""Judging one output against the key: three-state footprint cells, regression, verdicts.

Per hidden dataset, every cell of a fault's footprint is

* ``fixed``: it equals the reference;
* ``faulty``: it equals the value that fault alone produces there (for a cell several
  faults share: that fault's value and no other's, so one fault's unfixed row loss is
  not charged to another fault that drops the same row);
* ``other``: anything else.

The regression is every differing cell outside all footprints. A set of a footprint's
cells is *explained* by the regression when (``unexplained``):

* cells of rows the output lacks or adds (where the reference has or lacks them) are
  counted as rows, at most at a similar rate (``scoring.explained``) as rows lost or
  added outside the footprints;
* other cells, column by column, count as the regression when their row differs from
  the reference outside every footprint too (the regression demonstrably acted on that
  row), or when they are numeric, off the reference by no more than that column's
  regression cells are off it outside the footprints, and nearer the reference than the
  fault's own value (a rounding or a cast of a whole column moves footprint cells a
  little, whatever the rate outside); the remaining cells must show at most at a
  similar rate as the column's regression outside.

Verdicts, over all hidden datasets:

1. A fault is fixed when its ``other`` exclusive cells are explained and its ``faulty``
   cells are either none or, at most ``scoring.MAX_FAULTY_SHARE`` of its footprint,
   explained by the regression at a similar rate (a filter may drop the very event the
   fault dropped; the value then coincides), or in cells another fault's footprint holds
   too (that fault, left in, may land on the value), or, in money, where the fault moved the
   value by one minor unit only (an unrounded output may land on the fault's cent).
2. Shared cells (in several footprints) are judged once every fault touching them passed
   step 1: then each must equal the reference, and the ones that do not count against
   every fault touching them, with the same explanation rule; a fault with unexplained
   wrong shared cells is not fixed.

A dataset whose output could not be read, or that differs almost everywhere (a share of
``scoring.FULL_LOSS_SHARE`` or more), explains nothing: with no table to compare, no
fault can be told fixed.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import compare, scoring
from .compare import ROW, Specs

MAX_EXAMPLES = 5


@dataclasses.dataclass(frozen=True)
class FaultCells:
    """One fault on one dataset: its footprint's three counts and what explains the rest."""

    fixed: int
    faulty: int
    other: int
    shared: int  # footprint cells another fault touches too
    unexplained: tuple[str, ...]  # columns whose exclusive `other` cells no regression explains
    faulty_explained: bool = False  # a few faulty cells, which the regression explains too


@dataclasses.dataclass(frozen=True)
class Regression:
    cells: int  # differing cells outside every footprint (value columns)
    checked: int  # cells outside every footprint
    rows: int  # keys with at least one such cell
    key_rows: int  # keys on either side
    columns: dict[str, int]
    rates: dict[str, tuple[int, int]]  # per column and ROW: (differing, checked) outside the footprints
    examples: tuple[dict[str, Any], ...]

    @property
    def share(self) -> float:
        return self.cells / self.checked if self.checked else 0.0

    @property
    def rows_share(self) -> float:
        return self.rows / self.key_rows if self.key_rows else 0.0

    def rate(self, column: str) -> float:
        """The column's regression rate outside the footprints, or the whole share if too few cells."""
        differing, checked = self.rates.get(column, (0, 0))
        if checked < scoring.MIN_CHECKED:
            return self.share
        return min(1.0, differing / checked)


@dataclasses.dataclass(frozen=True)
class DatasetJudgement:
    name: str
    error: str | None
    regression: Regression
    faults: dict[str, FaultCells]
    shared: pd.DataFrame  # keys, column, fid, fixed: every shared footprint cell, per fault

    @property
    def hopeless(self) -> bool:
        return self.error is not None or self.regression.share >= scoring.FULL_LOSS_SHARE


def unreadable(name: str, error: str, reference: pd.DataFrame, footprints: Mapping[str, pd.DataFrame],
               keys: list[str]) -> DatasetJudgement:
    """An output that could not be read: every cell differs."""
    values = [c for c in reference.columns if c not in keys]
    cells = len(reference) * len(values)
    regression = Regression(
        cells=cells, checked=cells, rows=len(reference), key_rows=len(reference),
        columns={c: len(reference) for c in values}, rates={c: (len(reference),) * 2 for c in values},
        examples=(),
    )
    faults = {
        fid: FaultCells(fixed=0, faulty=0, other=len(fp), shared=int((~fp["exclusive"]).sum()),
                        unexplained=("the output",))
        for fid, fp in footprints.items()
    }
    return DatasetJudgement(name, error, regression, faults, pd.DataFrame(columns=[*keys, *_SHARED]))


_SHARED = ["column", "fid", "fixed", "row_level", "nearer"]


def judge_dataset(
    name: str,
    reference: pd.DataFrame,
    output: pd.DataFrame,
    footprints: Mapping[str, pd.DataFrame],
    fault_values: Mapping[str, pd.DataFrame],
    keys: list[str],
    specs: Specs,
) -> DatasetJudgement:
    values = [c for c in reference.columns if c not in keys]
    diff = compare.expand(compare.cell_diff(reference, output, keys, specs), keys, values)
    fp_cells = [fp[keys + ["column"]] for fp in footprints.values()]
    union = pd.concat(fp_cells, ignore_index=True).drop_duplicates() if fp_cells else diff.iloc[:0]
    regression_cells = compare.subtract(diff, union, keys)
    regression = _regression(reference, output, regression_cells, union, keys, values, specs)

    ids = list(footprints)
    # One key type on every side, so that each table is indexed once.
    aligned = compare.align_keys([reference, output, *footprints.values(), *(fault_values[f] for f in ids)], keys)
    ref_index, out_index = compare.KeyIndex.of(aligned[0], keys), compare.KeyIndex.of(aligned[1], keys)
    minor_units = _minor_units(specs)
    reach = _reach(regression_cells, ref_index, out_index, keys, specs)
    # Rows where the regression shows outside every footprint: it demonstrably acted there.
    regressed = compare.KeyIndex.of(compare.align_keys([regression_cells, aligned[0]], keys)[0], keys)
    long_parts = []
    for i, fid in enumerate(ids):
        cells = aligned[2 + i][keys + ["column", "exclusive"]].reset_index(drop=True)
        own_index = compare.KeyIndex.of(aligned[2 + len(ids) + i], keys)
        at_ref, at_out, at_own = (ix.locate(cells, keys) for ix in (ref_index, out_index, own_index))
        fixed = compare.matches(ref_index, out_index, cells, keys, specs, located=(at_ref, at_out))
        own = compare.matches(own_index, out_index, cells, keys, specs, located=(at_own, at_out)) & ~fixed
        # A cell of a row the output lacks or adds where the reference does not: a row-level change.
        is_row = (cells["column"] == ROW).to_numpy(dtype=bool)
        row_level = ((at_ref.n > 0) != (at_out.n > 0)) | is_row
        x, y, z = out_index.numbers(cells, at_out), ref_index.numbers(cells, at_ref), own_index.numbers(cells, at_own)
        limit = cells["column"].map(reach).fillna(-1.0).to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            # Off the reference by no more than the column's regression is off elsewhere, and
            # nearer the reference than the fault's own value (when the fault leaves one).
            off = np.abs(x - y)
            # The limit is whole minor units: |3870.69 - 3870.68| is 0.0100000000002 in binary
            # floats, so the comparison allows for the values' own representation error.
            slack = limit * 1e-9 + np.abs(y) * 1e-12
            nearer = (off <= limit + slack) & ((off < np.abs(x - z)) | np.isnan(z))
        nearer |= regressed.locate(cells, keys).n > 0
        # Money cells where the fault's own value is a rounding away from the reference (one
        # minor unit at most): an output showing it there may owe that to its own rounding.
        unit = cells["column"].map(minor_units).fillna(-1.0).to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            rounding_apart = np.abs(y - z) <= unit * (1 + 1e-9) + np.abs(y) * 1e-12
        long_parts.append(cells.assign(fid=fid, fixed=fixed, own=own, row_level=row_level, nearer=nearer,
                                       rounding_apart=rounding_apart))
    if long_parts:
        cells = pd.concat(long_parts, ignore_index=True)
    else:
        cells = pd.DataFrame(
            columns=[*keys, "column", "exclusive", "fid", "fixed", "own", "row_level", "nearer", "rounding_apart"]
        )
    owners = cells.groupby(keys + ["column"], dropna=False, sort=False)["own"].transform("sum")
    cells["faulty"] = cells["own"] & (cells["exclusive"] | (owners == 1))
    cells["other"] = ~cells["fixed"] & ~cells["faulty"]

    hopeless = regression.share >= scoring.FULL_LOSS_SHARE
    faults = {}
    for fid in footprints:
        mine = cells.loc[cells["fid"] == fid]
        exclusive = mine.loc[mine["exclusive"]]
        faulty = int(mine["faulty"].sum())
        # A few faulty cells are a coincidence when the output's regression explains them, when
        # the fault moved them by a rounding only (an unrounded output lands on either side), or
        # when another fault's footprint holds them too (that fault, left in, may land there;
        # step 2 judges them once every fault that touches them is fixed).
        excused = mine["rounding_apart"].astype(bool) | ~mine["exclusive"].astype(bool)
        coincident = faulty <= scoring.MAX_FAULTY_SHARE * len(mine) and not unexplained(
            mine, mine["faulty"] & ~excused, regression, keys, hopeless=hopeless, nearness=False
        )
        faults[fid] = FaultCells(
            fixed=int(mine["fixed"].sum()), faulty=faulty, other=int(mine["other"].sum()),
            shared=int((~mine["exclusive"]).sum()),
            unexplained=unexplained(exclusive, exclusive["other"], regression, keys, hopeless=hopeless),
            faulty_explained=bool(faulty) and coincident,
        )
    shared = cells.loc[~cells["exclusive"].astype(bool), [*keys, *_SHARED]].reset_index(drop=True)
    return DatasetJudgement(name, None, regression, faults, shared)


def unexplained(
    cells: pd.DataFrame, bad: pd.Series, regression: Regression, keys: list[str], *, hopeless: bool,
    nearness: bool = True,
) -> tuple[str, ...]:
    """Where ``bad`` cells (of a fault's footprint) are not explained by the regression.

    Row-level cells are counted as rows, against the rate of rows lost or added outside the
    footprints; the rest column by column, against that column's rate outside them.
    """
    bad = bad.astype(bool)
    if not bad.any():
        return ()
    if hopeless:
        return ("the output, which differs almost everywhere",)
    found = []
    row_level = cells["row_level"].astype(bool)
    rows = cells[keys].drop_duplicates()
    bad_rows = cells.loc[row_level & bad, keys].drop_duplicates()
    if len(bad_rows) and not scoring.explained(len(bad_rows), len(rows), regression.rate(ROW)):
        found.append("rows")
    values = cells.loc[~row_level].assign(bad=bad[~row_level])
    for col, group in values.groupby("column", sort=True):
        rate = regression.rate(str(col))
        flagged = group["bad"].astype(bool)
        if nearness:
            flagged &= ~group["nearer"].astype(bool)  # the column's regression, seen in the footprint
        count = int(flagged.sum())
        if count and not scoring.explained(count, len(group), rate):
            found.append(str(col))
    return tuple(found)


def _minor_units(specs: Specs) -> dict[str, float]:
    """Each money column's minor unit (0.01: cents)."""
    return {
        column: float(spec.minor_unit)
        for column, spec in specs.items() if spec.kind is compare.Kind.MONEY and spec.minor_unit
    }


def _reach(
    cells: pd.DataFrame, ref: compare.KeyIndex, out: compare.KeyIndex, keys: list[str], specs: Specs
) -> dict[str, float]:
    """Per numeric column, the largest distance from the reference among regression cells.

    Money is measured in whole minor units, and reaches at least one: a column whose
    regression moves cells by up to 0.6 of a cent moves others by a cent (two roundings of
    one amount differ by that much), and a cent off is a rounding, never a fault's effect.
    """
    reach = _minor_units(specs)
    values = cells.loc[cells["column"] != ROW].reset_index(drop=True)
    if values.empty:
        return reach
    with np.errstate(invalid="ignore"):
        off = np.abs(out.numbers(values, out.locate(values, keys)) - ref.numbers(values, ref.locate(values, keys)))
    frame = pd.DataFrame({"column": values["column"].to_numpy(), "off": off}).dropna()
    for column, largest in frame.groupby("column")["off"].max().items():
        spec = specs.get(str(column))
        unit = spec.minor_unit if spec is not None and spec.kind is compare.Kind.MONEY else None
        if unit:
            reach[str(column)] = max(reach[str(column)], float(math.ceil(round(largest / unit, 9)) * unit))
        else:
            reach[str(column)] = float(largest)
    return reach


def _regression(
    reference: pd.DataFrame, output: pd.DataFrame, cells: pd.DataFrame, union: pd.DataFrame,
    keys: list[str], values: list[str], specs: Specs,
) -> Regression:
    ref, out = compare.align_keys([reference, output], keys)
    key_rows = len(pd.concat([ref[keys], out[keys]], ignore_index=True).drop_duplicates())
    in_footprints = union["column"].value_counts()
    value_cells = cells.loc[cells["column"] != ROW]
    columns = {str(c): int(n) for c, n in value_cells["column"].value_counts().items()}
    rates = {}
    for col in [*values, ROW]:
        checked = max(0, key_rows - int(in_footprints.get(col, 0)))
        differing = columns.get(col, 0) if col != ROW else int((cells["column"] == ROW).sum())
        rates[col] = (differing, checked)
    checked = sum(rates[c][1] for c in values)
    return Regression(
        cells=len(value_cells), checked=checked,
        rows=len(cells[keys].drop_duplicates()) if not cells.empty else 0, key_rows=key_rows,
        columns=dict(sorted(columns.items(), key=lambda kv: -kv[1])), rates=rates,
        examples=_examples(ref, out, cells, keys, specs),
    )


def _show(value: Any) -> str:
    if value is None or (not isinstance(value, (list, dict, np.ndarray)) and pd.isna(value)):
        return "null"
    return str(value)[:80]


def _examples(
    ref: pd.DataFrame, out: pd.DataFrame, cells: pd.DataFrame, keys: list[str], specs: Specs
) -> tuple[dict[str, Any], ...]:
    """A few regression cells with the expected and actual values, one per column first."""
    if cells.empty:
        return ()
    picked = cells.drop_duplicates("column").head(MAX_EXAMPLES)
    ref_first, out_first = ref.drop_duplicates(keys), out.drop_duplicates(keys)
    found = []
    for _, cell in picked.iterrows():
        where = {k: cell[k] for k in keys}
        col = str(cell["column"])
        found.append({
            "key": {k: _show(v) for k, v in where.items()},
            "column": "(row)" if col == ROW else col,
            "expected": _lookup(ref_first, where, col),
            "actual": _lookup(out_first, where, col),
        })
    return tuple(found)


def _lookup(frame: pd.DataFrame, where: dict[str, Any], col: str) -> str:
    mask = np.ones(len(frame), dtype=bool)
    for k, v in where.items():
        mask &= (frame[k] == v).to_numpy(dtype=bool, na_value=False)
    hit = frame.loc[mask]
    if hit.empty:
        return "(no row)"
    if col == ROW:
        return "(row)"
    return _show(hit.iloc[0][col]) if col in frame.columns else "(no column)"


@dataclasses.dataclass(frozen=True)
class Verdict:
    fixed: bool
    reason: str


def verdicts(judged: list[DatasetJudgement], fault_ids: list[str]) -> dict[str, Verdict]:
    """Each fault's verdict over every dataset (steps 1 and 2 of the module's rule)."""
    first: dict[str, str | None] = {}
    for fid in fault_ids:
        reason = None
        rows_only = []  # datasets where only rows the output lacks or adds stay unexplained
        for ds in judged:
            cells = ds.faults[fid]
            if ds.error:
                reason = f"{ds.name}: {ds.error}"
            elif cells.faulty and not cells.faulty_explained:
                reason = (f"{ds.name}: {cells.faulty} cells of its footprint differ from the reference "
                          "and still show the fault's own value")
            elif cells.unexplained == ("rows",) and ds.regression.rates.get(ROW, (0, 0))[0] > 0:
                rows_only.append(f"{ds.name}: {cells.other} cells of its footprint differ from the "
                                 "reference, in rows the output lacks or adds")
            elif cells.unexplained:
                reason = (f"{ds.name}: {cells.other} cells of its footprint differ from the reference, "
                          f"unexplained in {', '.join(cells.unexplained)}")
            if reason:
                break
        # Rows a filter removed are the regression's when the fault is shown fixed on a dataset
        # where its footprint is intact: a filter that happens to hit the fault's rows harder
        # (they cluster on a few merchants or drivers) does not unfix a fix seen elsewhere.
        if reason is None and rows_only and len(rows_only) == len(judged):
            reason = rows_only[0]
        first[fid] = reason
    passed = {fid for fid, reason in first.items() if reason is None}
    result = {}
    for fid in fault_ids:
        reason = first[fid] or _shared_problem(judged, fid, passed)
        result[fid] = Verdict(reason is None, reason or "fixed on every hidden dataset")
    return result


def _shared_problem(judged: list[DatasetJudgement], fid: str, passed: set[str]) -> str | None:
    """Shared cells of ``fid`` whose faults all passed step 1 must equal the reference."""
    for ds in judged:
        shared = ds.shared
        if shared.empty or fid not in set(shared["fid"]):
            continue
        cell_cols = [c for c in shared.columns if c not in _SHARED] + ["column"]
        touched_by_passed = shared["fid"].isin(passed)
        # A cell is judged when every fault touching it passed: no touching fault failed.
        failed_touch = (~touched_by_passed).groupby([shared[c] for c in cell_cols], dropna=False,
                                                    sort=False).transform("any")
        mine = shared.loc[~failed_touch.astype(bool) & (shared["fid"] == fid)]
        where = unexplained(mine, ~mine["fixed"].astype(bool), ds.regression,
                            [c for c in cell_cols if c != "column"], hopeless=ds.hopeless)
        if where:
            wrong = int((~mine["fixed"].astype(bool)).sum())
            return (f"{ds.name}: {wrong} cells it shares with other fixed faults still differ "
                    f"from the reference, unexplained in {', '.join(where)}")
    return None
