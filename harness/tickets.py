"""Ticket facts: one fault's footprint on the sample, as the quantities its ticket may state.

The self-check runs every single-fault render on the sample; here its output is compared
with the reference's (graders.compare, the one definition of "differs") and summed up in
the exercise's units: output rows, entities (cards, users, drivers) and days. A fault's
ticket phrases these facts at its difficulty and returns them as claims, and
``check_tickets`` proves every claim holds before a variant is handed out.

Fact names, all counted on the sample:

- ``rows``, ``rows.affected``, ``rows.share``, ``rows.missing``, ``rows.extra``, ``rows.changed``:
  the reference's rows, and those the fault changes, loses, adds or alters;
- ``entities``, ``entities.affected``, ``entities.share``, ``entities.missing``,
  ``entities.missing.share``: the same for the entity column (a missing entity has no
  row left at all);
- ``days`` (of the window), ``days.affected``, ``days.share``, ``days.first``, ``days.last``
  (ISO dates);
- per value column C: ``C.rows`` and ``C.share`` (rows whose C differs, 0 when none),
  ``C.entities``, ``C.entities.share``; for numeric and flag columns that differ:
  ``C.up``, ``C.down``, ``C.emptied``, ``C.filled`` (cells), ``C.direction`` ("up", "down",
  "mixed", "emptied", "filled"), ``C.ratio`` (median of fault / reference over the changed
  cells), ``C.absdiff`` (median absolute difference), ``C.zeros`` (changed cells the fault
  makes 0), ``C.out.min``, ``C.out.max`` (the fault's values there), ``C.total`` (relative
  change of the column's total over the table) and ``C.total.days`` (the same over the
  affected days).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from faultline.exercises.base import Footprint, SampleFacts, Ticket, Units
from faultline.graders import compare
from faultline.harness.errors import FaultlineError


class TicketError(FaultlineError):
    """A ticket states something its fault's footprint on the sample does not show: a bug."""


def _days(series: pd.Series, timezone: str) -> pd.Series:
    """Each row's calendar day: dates as they are, timestamps read in ``timezone``."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        try:
            series = series.dt.tz_convert(timezone)
        except Exception:  # a timezone that is not one ("per city"): read in UTC
            series = series.dt.tz_convert("UTC")
        return series.dt.date
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.date
    return series.map(lambda d: d if isinstance(d, dt.date) else pd.Timestamp(d).date())


def _numeric(series: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series))


def _total_change(ref: pd.Series, out: pd.Series) -> float | None:
    before = float(ref.astype("float64").sum())
    after = float(out.astype("float64").sum())
    if before == 0:
        return None
    return after / before - 1.0


def footprint(
    ref: pd.DataFrame,
    out: pd.DataFrame,
    *,
    keys: Sequence[str],
    specs: compare.Specs,
    units: Units,
    facts: SampleFacts,
) -> Footprint:
    """The facts of ``out`` (one fault on) against ``ref`` (none), in the exercise's units."""
    keys = list(keys)
    cells = compare.cell_diff(ref, out, keys, specs)
    values = [c for c in ref.columns if c not in keys]
    ref_keys = ref[keys].drop_duplicates()
    out_keys = out[keys].drop_duplicates()
    marks = ref_keys.merge(out_keys, on=keys, how="outer", indicator=True)
    missing = marks.loc[marks["_merge"] == "left_only", keys]
    extra = marks.loc[marks["_merge"] == "right_only", keys]
    repeated = out.loc[out.duplicated(keys), keys].drop_duplicates()

    # Who and when each key is: from the reference, else from the fault's output.
    wanted = list(dict.fromkeys(keys + [units.entity, units.day]))
    where = pd.concat([ref[wanted], out[wanted]], ignore_index=True).drop_duplicates(keys)
    where = where.assign(__day=_days(where[units.day], facts.timezone))

    changed = cells.loc[cells["column"] != compare.ROW]
    affected = pd.concat([changed[keys], missing, extra, repeated], ignore_index=True).drop_duplicates()
    located = affected.merge(where, on=keys, how="left")
    window = (facts.end_date - facts.start_date).days + 1
    entities_all = pd.concat([ref[units.entity], out[units.entity]]).nunique()
    entities_left = set(out[units.entity].dropna())
    lost = set(ref[units.entity].dropna()) - entities_left

    result: dict[str, float | str] = {
        "rows": len(ref),
        "rows.affected": len(affected),
        "rows.share": len(affected) / max(1, len(ref)),
        "rows.missing": len(missing),
        "rows.extra": len(extra) + len(repeated),
        "rows.changed": len(changed[keys].drop_duplicates()),
        "entities": entities_all,
        "entities.affected": located[units.entity].nunique(),
        "entities.share": located[units.entity].nunique() / max(1, entities_all),
        "entities.missing": len(lost),
        "entities.missing.share": len(lost) / max(1, entities_all),
        "days": window,
    }
    days = sorted(d for d in located["__day"].dropna().unique())
    result["days.affected"] = len(days)
    result["days.share"] = len(days) / window
    if days:
        result["days.first"] = days[0].isoformat()
        result["days.last"] = days[-1].isoformat()

    joined = ref.merge(out.drop_duplicates(keys), on=keys, how="inner", suffixes=("", "__out"))
    for column in values:
        rows = changed.loc[changed["column"] == column, keys]
        result[f"{column}.rows"] = len(rows)
        result[f"{column}.share"] = len(rows) / max(1, len(ref))
        if rows.empty:
            continue
        entity_count = rows.merge(where, on=keys, how="left")[units.entity].nunique()
        result[f"{column}.entities"] = entity_count
        result[f"{column}.entities.share"] = entity_count / max(1, entities_all)
        if column not in out.columns or not (_numeric(ref[column]) and _numeric(out[column])):
            continue
        pair = rows.merge(joined[keys + [column, f"{column}__out"]], on=keys, how="left")
        before = pair[column].astype("float64").to_numpy(na_value=np.nan)
        after = pair[f"{column}__out"].astype("float64").to_numpy(na_value=np.nan)
        both = ~np.isnan(before) & ~np.isnan(after)
        counts = {
            "up": int((after[both] > before[both]).sum()),
            "down": int((after[both] < before[both]).sum()),
            "emptied": int((~np.isnan(before) & np.isnan(after)).sum()),
            "filled": int((np.isnan(before) & ~np.isnan(after)).sum()),
        }
        for name, count in counts.items():
            result[f"{column}.{name}"] = count
        present = [name for name, count in counts.items() if count]
        result[f"{column}.direction"] = present[0] if len(present) == 1 else "mixed"
        nonzero = both & (before != 0)
        if nonzero.any():
            result[f"{column}.ratio"] = float(np.median(after[nonzero] / before[nonzero]))
        if both.any():
            result[f"{column}.absdiff"] = float(np.median(np.abs(after[both] - before[both])))
        result[f"{column}.zeros"] = int((after == 0).sum())
        if (~np.isnan(after)).any():
            result[f"{column}.out.min"] = float(np.nanmin(after))
            result[f"{column}.out.max"] = float(np.nanmax(after))
        total = _total_change(ref[column], out[column]) if column in out.columns else None
        if total is not None:
            result[f"{column}.total"] = total
        ref_days = ref.merge(where[keys + ["__day"]], on=keys, how="left")
        out_days = out.merge(where[keys + ["__day"]], on=keys, how="left")
        on_ref = ref_days.loc[ref_days["__day"].isin(set(days)), column]
        on_out = out_days.loc[out_days["__day"].isin(set(days)), column]
        total_days = _total_change(on_ref, on_out)
        if total_days is not None:
            result[f"{column}.total.days"] = total_days
    return Footprint(facts=result)


def broken_claims(ticket: Ticket, footprint: Footprint) -> list[str]:
    """The claims of ``ticket`` that ``footprint`` does not bear out, described."""
    broken = []
    for claim in ticket.claims:
        if not claim.holds(footprint):
            broken.append(
                f"{claim.words!r} claims {claim.fact} in [{claim.low}, {claim.high}], "
                f"the sample shows {footprint.get(claim.fact)!r}"
            )
        elif claim.words not in ticket.text:
            broken.append(f"claim {claim.words!r} is not in the ticket's text")
    return broken


def write_tickets(
    exercise: Any, chosen: Sequence[Any], difficulty: str, facts: SampleFacts,
    footprints: Mapping[str, Footprint], code_names: Collection[str] = (),
) -> list[Ticket]:
    """Each chosen fault's ticket, from its own footprint; a claim that does not hold is a bug.

    At ``expert`` a ticket reports a downstream symptom only: naming one of ``code_names``
    (the output's columns, the pipeline's modules) is a bug too.
    """
    tickets = []
    for fault in chosen:
        own = dataclasses.replace(facts, footprint=footprints[fault.id])
        ticket = exercise.FAULTS[fault.id].ticket(fault.params, difficulty, own)
        broken = broken_claims(ticket, footprints[fault.id])
        if broken:
            raise TicketError(
                f"the {difficulty} ticket of {exercise.ID} fault {fault.id} "
                f"(params {dict(fault.params)}) is not true of the sample: {'; '.join(broken)}"
            )
        named = sorted(n for n in code_names if difficulty == "expert" and _names(ticket.text, n))
        if named:
            raise TicketError(
                f"the expert ticket of {exercise.ID} fault {fault.id} names {', '.join(named)}: "
                "expert tickets report symptoms, never a column or a module"
            )
        tickets.append(ticket)
    return tickets


def _names(text: str, name: str) -> bool:
    """Whether ``text`` mentions ``name`` as a word (``n_events`` in prose, not ``events``)."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None
