"""Tickets tell the truth: every quantity a ticket states holds on the sample.

For every fault of every exercise (each form, at every difficulty), the sample is
generated and the reference and the single-fault render are run on it, as the
self-check does; the facts each claim names are then recomputed here, independently of
harness.tickets (only "which cells differ" is the graders' one definition), and every
number in the ticket's text must belong to a claim, a column name or the sample window.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from faultline.exercises.base import Claim, Footprint, SampleFacts, Ticket
from faultline.exercises.registry import EXERCISES
from faultline.graders import compare
from faultline.harness import tickets
from faultline.harness.build import render_pipeline
from faultline.harness.inproc import run_render
from faultline.harness.variant import draw
from tests.test_fault_forms import _with_form, forms_of

# Renders and runs every form of every fault at every difficulty: minutes, so `make test-slow`.
pytestmark = pytest.mark.slow

ROWS = 3000
# Words that size a symptom without saying how big it is: "a few" per cent once meant 28%.
VAGUE = ("a few", "handful", "a little", "slightly", "a bit ", "a slice")


def _day(values: pd.Series, timezone: str) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(timezone).dt.date
    return pd.to_datetime(values).dt.date


def recompute(fact: str, ref: pd.DataFrame, out: pd.DataFrame, exercise: Any, facts: SampleFacts, spec: Any) -> Any:
    """The fact's value on the sample, from the two outputs."""
    units, keys = exercise.UNITS, list(exercise.KEY_COLUMNS)
    specs = compare.infer_specs(ref, keys, exercise.money_columns(spec))
    both = ref.merge(out, on=keys, how="outer", suffixes=("", "__out"), indicator=True)
    info = pd.concat([ref, out]).drop_duplicates(keys).set_index(keys)
    shared = both["_merge"] == "both"
    differs: dict[str, pd.Series] = {}
    for column in [c for c in ref.columns if c not in keys]:
        same = compare.equal(both[column], both[f"{column}__out"], specs[column])
        differs[column] = pd.Series(shared.to_numpy() & ~same, index=both.index)
    any_change = np.logical_or.reduce([d.to_numpy() for d in differs.values()]) | ~shared.to_numpy()
    touched = both.loc[any_change, keys]

    def entity_of(rows: pd.DataFrame) -> pd.Series:
        if units.entity in keys:
            return rows[units.entity]
        return rows[keys].merge(info[[units.entity]].reset_index(), on=keys)[units.entity]

    def day_of(rows: pd.DataFrame) -> pd.Series:
        if units.day in keys:
            return _day(rows[units.day], facts.timezone)
        return _day(rows[keys].merge(info[[units.day]].reset_index(), on=keys)[units.day], facts.timezone)

    entities = pd.concat([ref[units.entity], out[units.entity]]).nunique()
    days = sorted(set(day_of(touched)))
    window = (facts.end_date - facts.start_date).days + 1
    missing = set(ref[units.entity]) - set(out[units.entity])
    simple: dict[str, Any] = {
        "rows": len(ref), "rows.affected": len(touched), "rows.share": len(touched) / len(ref),
        "entities": entities, "entities.affected": entity_of(touched).nunique(),
        "entities.share": entity_of(touched).nunique() / entities,
        "entities.missing": len(missing), "entities.missing.share": len(missing) / entities,
        "days": window, "days.affected": len(days), "days.share": len(days) / window,
        "days.first": days[0].isoformat() if days else None, "days.last": days[-1].isoformat() if days else None,
    }
    if fact in simple:
        return simple[fact]
    column, _, what = fact.partition(".")
    rows = both.loc[differs[column].to_numpy()]
    if what == "rows":
        return len(rows)
    if what == "share":
        return len(rows) / len(ref)
    if what == "entities":
        return entity_of(rows).nunique()
    if what == "entities.share":
        return entity_of(rows).nunique() / entities
    before, after = rows[column].astype("float64"), rows[f"{column}__out"].astype("float64")
    if what == "direction":
        kinds = {k for k, n in (("up", (after > before).sum()), ("down", (after < before).sum()),
                                ("emptied", (before.notna() & after.isna()).sum()),
                                ("filled", (before.isna() & after.notna()).sum())) if n}
        return kinds.pop() if len(kinds) == 1 else "mixed"
    if what == "ratio":
        ok = before.notna() & after.notna() & (before != 0)
        return float((after[ok] / before[ok]).median())
    if what == "absdiff":
        return float((after - before).abs().median())
    if what == "zeros":
        return int((after == 0).sum())
    if what in ("out.min", "out.max"):
        return float(after.min() if what == "out.min" else after.max())
    if what in ("total", "total.days"):
        if what == "total":
            a, b = ref[column], out[column]
        else:
            a = ref.loc[day_of(ref).isin(days).to_numpy(), column]
            b = out.loc[day_of(out).isin(days).to_numpy(), column]
        return float(b.astype("float64").sum()) / float(a.astype("float64").sum()) - 1.0
    raise AssertionError(f"no recomputation for the fact {fact!r}: add one here")


def _holds(claim: Claim, value: Any) -> bool:
    return claim.holds(Footprint({claim.fact: value}))


def _unbacked_numbers(ticket: Ticket, columns: list[str], facts: SampleFacts) -> list[str]:
    text = ticket.text
    for words in sorted({c.words for c in ticket.claims}, key=len, reverse=True):
        text = text.replace(words, " ")
    for name in sorted(columns, key=len, reverse=True):
        text = text.replace(name, " ")
    text = text.replace(facts.start_date.isoformat(), " ").replace(facts.end_date.isoformat(), " ")
    return re.findall(r"\d[\d,.%]*", text)


def _spec_numbers(spec: Any) -> set[str]:
    return {str(v) for v in dataclasses.asdict(spec).values() if isinstance(v, int | float) and not isinstance(v, bool)}


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_ticket_states_what_its_fault_does_to_the_sample(exercise_id: str, tmp_path: Path) -> None:
    exercise = EXERCISES[exercise_id]
    variant = draw(exercise, seed="truthful-tickets", attempt=0, rows=ROWS, fault_ids=list(exercise.FAULTS))
    samples: dict[str, tuple[Path, SampleFacts, pd.DataFrame]] = {}
    problems: list[str] = []
    checked = 0
    for fault in exercise.FAULTS.values():
        for i, form in enumerate(forms_of(fault)):
            single, knobs = _with_form(variant, fault, form)
            label = repr(sorted(dict(knobs).items()))
            if label not in samples:
                where = tmp_path / f"sample-{len(samples)}"
                facts = exercise.generate(where, seed=variant.sample_seed, rows=ROWS, knobs=knobs, spec=variant.spec)
                reference = render_pipeline(exercise, variant, frozenset(), tmp_path / f"ref-{len(samples)}")
                run_render(reference, where, tmp_path / f"out-ref-{len(samples)}")
                ref = pd.read_parquet(tmp_path / f"out-ref-{len(samples)}" / exercise.OUTPUT_FILE)
                samples[label] = (where, facts, ref)
            sample, facts, ref = samples[label]
            render = render_pipeline(exercise, single, frozenset({fault.ID}), tmp_path / f"{fault.ID}-{i}")
            run_render(render, sample, tmp_path / f"out-{fault.ID}-{i}")
            out = pd.read_parquet(tmp_path / f"out-{fault.ID}-{i}" / exercise.OUTPUT_FILE)
            keys = list(exercise.KEY_COLUMNS)
            specs = compare.infer_specs(ref, keys, exercise.money_columns(variant.spec))
            footprint = tickets.footprint(ref, out, keys=keys, specs=specs, units=exercise.UNITS, facts=facts)
            own = dataclasses.replace(facts, footprint=footprint)
            for difficulty in exercise.DIFFICULTIES:
                where = f"{fault.ID} form {form} ({difficulty})"
                ticket = fault.ticket(single.faults[0].params, difficulty, own)
                assert isinstance(ticket, Ticket), where
                if difficulty != "hard":
                    assert ticket.claims, f"{where} states nothing checkable: {ticket.text}"
                for claim in ticket.claims:
                    value = recompute(claim.fact, ref, out, exercise, facts, variant.spec)
                    if not _holds(claim, value):
                        problems.append(f"{where}: {claim.words!r} says {claim.fact} in "
                                        f"[{claim.low}, {claim.high}], the sample has {value!r}")
                    if claim.words not in ticket.text:
                        problems.append(f"{where}: claim {claim.words!r} is not in {ticket.text!r}")
                loose = [n for n in _unbacked_numbers(ticket, list(ref.columns), facts)
                         if n.strip(".,%") not in _spec_numbers(variant.spec)]
                if loose:
                    problems.append(f"{where}: numbers {loose} back no claim in {ticket.text!r}")
                vague = [w for w in VAGUE if w in ticket.text.lower()]
                if vague:
                    problems.append(f"{where}: vague sizes {vague} in {ticket.text!r}")
                checked += 1
    assert problems == []
    assert checked == len(exercise.DIFFICULTIES) * sum(len(forms_of(f)) for f in exercise.FAULTS.values())


def test_a_false_claim_stops_the_self_check() -> None:
    facts = SampleFacts(start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 14), timezone="UTC")
    footprint = Footprint({"entities.share": 0.23, "entities.affected": 23, "entities": 100})

    class Fault:
        ID = "made-up"

        @staticmethod
        def ticket(params: Any, difficulty: str, facts: SampleFacts) -> Ticket:
            # The old way: a fixed size whatever the sample shows.
            return Ticket("A few per cent of cards look odd.", (Claim("entities.share", 0.01, 0.05, "A few per cent"),))

    class Exercise:
        ID = "made-up-exercise"
        FAULTS = {"made-up": Fault}

    @dataclasses.dataclass
    class Chosen:
        id: str = "made-up"
        params: dict[str, Any] = dataclasses.field(default_factory=dict)

    with pytest.raises(tickets.TicketError, match="A few per cent.*0.23"):
        tickets.write_tickets(Exercise, [Chosen()], "hard", facts, {"made-up": footprint})
