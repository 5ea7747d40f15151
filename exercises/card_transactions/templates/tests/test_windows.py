"""Unit tests of the trailing-window helper."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.timeline import Timeline

HOUR = 3600.0


def test_window_sums_stay_within_the_card() -> None:
    groups = np.array([0, 0, 1, 1])
    seconds = np.array([0.0, 10 * HOUR, 5 * HOUR, 6 * HOUR])
    values = np.array([100, 200, 300, 400])
    sums = Timeline.build(groups, seconds).trailing_sum(values, pd.Timedelta(hours=24))
    assert sums.tolist() == [0, 100, 0, 300]


def test_old_attempts_fall_out_of_the_window() -> None:
    seconds = np.array([0.0, 2 * HOUR, 30 * HOUR])
    counts = Timeline.build(np.zeros(3), seconds).trailing_count(pd.Timedelta(hours=24))
    assert counts.tolist() == [0, 1, 0]


def test_time_since_previous_attempt() -> None:
    groups = np.array([1, 0, 1, 0])
    seconds = np.array([50.0, 0.0, 80.0, 20.0])
    gaps = Timeline.build(groups, seconds).since_previous(seconds)
    assert np.isnan(gaps[[0, 1]]).all()
    assert gaps[[2, 3]].tolist() == [30.0, 20.0]


def test_distinct_keys_in_the_window() -> None:
    groups = np.array([0, 0, 0, 0, 0, 1])
    seconds = np.array([0.0, HOUR, 2 * HOUR, 20 * HOUR, 26.5 * HOUR, HOUR])
    keys = np.array([7, 7, 8, 7, 9, 7])
    distinct = Timeline.build(groups, seconds).trailing_distinct(keys, seconds, pd.Timedelta(hours=24))
    # The last attempt of the card: key 8 fell out of its window, key 7 is still in it.
    assert distinct.tolist() == [0, 1, 1, 2, 1, 0]


def test_rows_without_a_key_neither_add_nor_remove_one() -> None:
    # Codes 0 for a country and for the attempts without one (only `counted` tells them apart).
    seconds = np.array([0.0, HOUR, 2 * HOUR, 3 * HOUR])
    keys = np.array([0, 0, 1, 0])
    counted = np.array([True, False, True, True])
    distinct = Timeline.build(np.zeros(4), seconds).trailing_distinct(
        keys, seconds, pd.Timedelta(hours=24), counted=counted
    )
    assert distinct.tolist() == [0, 1, 1, 2]


def test_an_attempt_exactly_one_window_earlier_is_inside() -> None:
    # Times with a millisecond fraction, as the feed has them: the attempt at 0.138 s is
    # exactly 24 hours before the last one and inside its window; the one at 0.137 s is not.
    seconds = np.array([0.0, 0.001, 86_400.001]) + 1e-3 * 137
    counts = Timeline.build(np.zeros(3), seconds).trailing_count(pd.Timedelta(hours=24))
    assert counts.tolist() == [0, 1, 1]
