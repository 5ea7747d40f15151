"""Money the references round follows the rule their README states, at exact half cents too
(slow: CI runs it).

An audit of the retail reference found its average order value rounded with pandas on
binary floats: at an exact half cent (a revenue of 95.29 over two orders) it went up, down
or to even by accident of representation, so no written rule could be matched.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from faultline.exercises.retail_events.spec import from_json
from tests.helpers import new_variant, variant_doc


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["rt36", "rt70"])  # revenue in dollars / in integer cents
def test_average_order_value_rounds_exact_halves_up(seed: str, tmp_path: Path) -> None:
    root = new_variant(tmp_path / "v", "retail-events", seed, rows=4000, difficulty="hard")
    spec = from_json(variant_doc(root / "key")["spec"])
    scale = 1 if spec.money_in_cents else 100
    halves = 0
    for expected in sorted((root / "key" / "expected").glob("h*/features.parquet")):
        table = pd.read_parquet(expected)
        ordered = table["n_purchases"] > 0
        revenue = np.rint(table.loc[ordered, spec.revenue].to_numpy(dtype="float64") * scale).astype("int64")
        orders = table.loc[ordered, "n_purchases"].to_numpy(dtype="int64")
        average = np.rint(table.loc[ordered, spec.avg_order_value].to_numpy(dtype="float64") * scale)
        assert (average == (2 * revenue + orders) // (2 * orders)).all()
        assert table.loc[~ordered, spec.avg_order_value].isna().all()
        halves += int(((2 * revenue) % (2 * orders) == orders).sum())
    assert halves > 0  # the datasets hold exact half cents: the rule was put to the test
