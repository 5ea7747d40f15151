"""The order of records is no part of any contract: the reference solution that reads every
source, and hands the cleaned rows to the features, in reverse order grades full marks
(slow: CI runs it).

A candidate who reads the partitions in another order, or concatenates the sources
differently while fixing a fault, must not lose points to ties the reference broke by
record order: two trips picked up at the same moment, a half cent left to the order a
float sum took.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import grade_inproc, new_variant

# Appended to the solution's modules: each reader, and the step that turns the cleaned rows
# into features, takes its rows last one first (the cleaning sorts undo a reader's order; a
# candidate's other idiom of de-duplication need not).
REVERSED = {
    "card-transactions": {
        "ingest.py": '''

_read_transactions, _read_merchants, _read_chargebacks = read_transactions, read_merchants, read_chargebacks


def read_transactions(path, batch_rows=BATCH_ROWS):
    return _read_transactions(path, batch_rows).iloc[::-1].reset_index(drop=True)


def read_merchants(path):
    return _read_merchants(path).iloc[::-1].reset_index(drop=True)


def read_chargebacks(path):
    return _read_chargebacks(path).iloc[::-1].reset_index(drop=True)
''',
        "windows.py": '''

_card_activity = card_activity


def card_activity(txns):
    return _card_activity(txns.iloc[::-1]).reindex(txns.index)
''',
    },
    "retail-events": {
        "ingest.py": '''

_read_events, _read_users, _read_products, _read_prices = read_events, read_users, read_products, read_prices


def read_events(root, settings):
    return _read_events(root, settings).iloc[::-1].reset_index(drop=True)


def read_users(path):
    return _read_users(path).iloc[::-1].reset_index(drop=True)


def read_products(path):
    return _read_products(path).iloc[::-1].reset_index(drop=True)


def read_prices(path):
    return _read_prices(path).iloc[::-1].reset_index(drop=True)
''',
        "features.py": '''

_daily_user_features = daily_user_features


def daily_user_features(events):
    return _daily_user_features(events.iloc[::-1])
''',
    },
    "ride-trips": {
        "ingest.py": '''

_read_trips, _read_zones = read_trips, read_zones


def read_trips(parts):
    return _read_trips(parts).iloc[::-1].reset_index(drop=True)


def read_zones(path):
    return _read_zones(path).iloc[::-1].reset_index(drop=True)
''',
        "features.py": '''

_daily_driver_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    return _daily_driver_features(completed.iloc[::-1], cancelled.iloc[::-1])
''',
    },
}


# Seeds whose variants had record-order ties before they were closed: "tie11" drew a 25%
# commission (a quarter of the driver-days tied on a half cent) and holds trips picked up
# at the same moment.
SEEDS = {"card-transactions": "order-card", "retail-events": "rt36", "ride-trips": "tie11"}


@pytest.mark.slow
@pytest.mark.parametrize("exercise", sorted(REVERSED))
def test_reversed_sources_grade_full_marks(exercise: str, tmp_path: Path) -> None:
    root = new_variant(tmp_path / "v", exercise, SEEDS[exercise], rows=6000, difficulty="hard")
    submission = tmp_path / "submission"
    shutil.copytree(root / "key" / "solution", submission)
    for module, code in REVERSED[exercise].items():
        with (submission / "pipeline" / module).open("a", encoding="utf-8") as handle:
            handle.write(code)
    result = grade_inproc(submission, root / "key")
    assert result["status"] == "graded", result.get("message")
    assert result["score"] == result["max_score"], (result["score_parts"], result["faults"])


def test_no_days_fares_round_on_a_half_cent() -> None:
    # Earnings are a day's fares in whole cents times the drivers' share, rounded to the
    # cent: a share that can land on half a cent leaves the rounding to float noise.
    from faultline.exercises.ride_trips.spec import COMMISSION_RATES

    for rate in COMMISSION_RATES:
        kept = round((1 - rate) * 100)
        assert abs((1 - rate) * 100 - kept) < 1e-9, rate  # a whole percentage
        assert all((cents * kept) % 100 != 50 for cents in range(1, 10_000)), rate
