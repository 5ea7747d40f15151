"""The card exercise against its contract where blind solves found the reference wrong.

The reference pipeline's trailing-window engine (`timeline.py`) is checked against a
brute-force count of the README's windows, `[t - w, t)`: an attempt without a merchant
country used to end the stretch of a country that shared its integer code, and window
edges were float comparisons that a millisecond fraction could tip either way. The
generator's amounts are checked against half cents, where two correct ways of writing
the currency conversion round apart.
"""
from __future__ import annotations

import dataclasses
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from faultline.exercises.card_transactions import DEFAULT_KNOBS, TEMPLATES, draw_spec, generate
from faultline.exercises.card_transactions.generator import EXPONENT, USD_PER_UNIT
from tests.helpers import template_module

HOUR_MS = 3_600_000


@pytest.fixture(scope="module")
def timeline() -> types.ModuleType:
    return template_module(TEMPLATES / "pipeline" / "timeline.py")


def _attempts(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cards and times in whole milliseconds, with many pairs exactly one window apart."""
    groups = rng.integers(0, 6, size=n)
    millis = rng.integers(0, 72 * HOUR_MS, size=n)
    # A third of the attempts repeat an earlier one of the card exactly 24 hours later,
    # as subscriptions do; the offsets keep millisecond fractions of a second.
    echo = rng.random(n) < 0.33
    source = rng.integers(0, n, size=n)
    millis = np.where(echo, millis[source] + 24 * HOUR_MS, millis)
    groups = np.where(echo, groups[source], groups)
    return groups, millis


def _seconds(millis: np.ndarray) -> np.ndarray:
    """Seconds since the first attempt, as the pipeline computes them from timestamps."""
    stamps = pd.Series(pd.Timestamp("2026-03-01 00:00:00.137", tz="UTC") + pd.to_timedelta(millis, unit="ms"))
    return (stamps - stamps.min()).dt.total_seconds().to_numpy()


def _in_window(groups: np.ndarray, millis: np.ndarray, i: int, window_ms: int) -> np.ndarray:
    return (groups == groups[i]) & (millis >= millis[i] - window_ms) & (millis < millis[i])


@pytest.mark.parametrize("seed", range(5))
def test_sums_and_counts_match_the_contracts_window(timeline, seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups, millis = _attempts(rng, 400)
    values = rng.integers(1, 10_000, size=len(groups))
    engine = timeline.Timeline.build(groups, _seconds(millis))
    window = pd.Timedelta(hours=24)
    sums = engine.trailing_sum(values, window)
    counts = engine.trailing_count(window)
    for i in range(len(groups)):
        inside = _in_window(groups, millis, i, 24 * HOUR_MS)
        assert sums[i] == values[inside].sum(), i
        assert counts[i] == inside.sum(), i


@pytest.mark.parametrize("seed", range(5))
def test_distinct_keys_ignore_rows_without_a_key(timeline, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    groups, millis = _attempts(rng, 400)
    keys = rng.integers(0, 4, size=len(groups))
    # Rows without a key carry code 0, the code of a real key too (factorize's -1, clipped).
    known = rng.random(len(groups)) > 0.2
    keys = np.where(known, keys, 0)
    engine = timeline.Timeline.build(groups, _seconds(millis))
    distinct = engine.trailing_distinct(keys, _seconds(millis), pd.Timedelta(hours=24), counted=known)
    for i in range(len(groups)):
        inside = _in_window(groups, millis, i, 24 * HOUR_MS) & known
        assert distinct[i] == len(set(keys[inside].tolist())), i


def test_a_row_without_a_key_does_not_end_anothers_stretch(timeline) -> None:
    # Country A (code 0) at 0 h, an attempt without a country (also code 0) at 1 h: at 2 h
    # the card has still been in one country during the last 24 hours.
    seconds = np.array([0.0, 3600.0, 7200.0])
    engine = timeline.Timeline.build(np.zeros(3, dtype="int64"), seconds)
    distinct = engine.trailing_distinct(
        np.zeros(3, dtype="int64"), seconds, pd.Timedelta(hours=24), counted=np.array([True, False, True])
    )
    assert distinct.tolist() == [0, 1, 1]


def test_the_origin_does_not_move_an_edge(timeline) -> None:
    # The same attempts seen from two origins (card shards start at their own first attempt)
    # put the same attempts in every window.
    rng = np.random.default_rng(7)
    groups, millis = _attempts(rng, 300)
    window = pd.Timedelta(hours=24)
    later = millis >= 1_234  # drop the earliest attempts: the origin moves by a fraction of a second
    part = timeline.Timeline.build(groups[later], _seconds(millis[later])).trailing_count(window)
    for j, i in enumerate(np.flatnonzero(later)):
        expected = (_in_window(groups, millis, i, 24 * HOUR_MS) & later).sum()
        assert part[j] == expected, i


@pytest.mark.parametrize("currency", ["EUR", "USD"])
def test_no_amount_converts_to_half_a_cent(tmp_path: Path, currency: str) -> None:
    # At an exact half cent, dividing by 10 ** exponent and multiplying by its inverse round
    # to different cents: the exports must hold no such amount, or a correct fix in another
    # idiom would lose points to the reference's own way of writing the conversion.

    spec = dataclasses.replace(draw_spec(np.random.default_rng(3)), currency=currency)
    knobs = DEFAULT_KNOBS.changed({"foreign_share": 0.2}, source="test")
    generate(tmp_path, seed=11, rows=20_000, knobs=knobs, spec=spec)
    feed = pd.read_parquet(tmp_path / "transactions.parquet")
    rate = feed["currency"].map(USD_PER_UNIT).to_numpy() / USD_PER_UNIT[currency]
    cents = feed["amount_minor"].to_numpy() / 10.0 ** feed["currency"].map(EXPONENT).to_numpy() * rate * 100.0
    assert feed["currency"].nunique() > 3
    assert not (np.abs(cents - np.floor(cents) - 0.5) < 1e-6).any()


def test_rows_without_a_group_see_no_other_row(timeline) -> None:
    # A grouping that drops null keys gives them NaN: each such row is a group of its own.
    groups = np.array([0.0, np.nan, np.nan, 0.0])
    seconds = np.array([0.0, 60.0, 120.0, 180.0])
    counts = timeline.Timeline.build(groups, seconds).trailing_count(pd.Timedelta(hours=1))
    assert counts.tolist() == [0, 0, 0, 1]
