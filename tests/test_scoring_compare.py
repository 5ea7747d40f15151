"""Unit tests of graders/compare.py and the scoring rule in graders/scoring.py."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from faultline.graders import compare, scoring
from faultline.graders.compare import ROW, ColumnSpec, Kind

MONEY = ColumnSpec("amount", Kind.MONEY, 0.01)
COUNT = ColumnSpec("n", Kind.COUNT)
FLOAT = ColumnSpec("x", Kind.FLOAT)


def _eq(a: list[object], b: list[object], spec: ColumnSpec | None) -> list[bool]:
    return compare.equal(pd.Series(a), pd.Series(b), spec).tolist()


def test_money_is_equal_within_half_its_minor_unit() -> None:
    assert _eq([2.67, 2.67, 2.67, 10.0], [2.675, 2.664, 2.68, 10.006], MONEY) == [True, False, False, False]
    assert _eq([1234567.89], [1234567.894], MONEY) == [True]


def test_counts_are_equal_only_exactly() -> None:
    assert _eq([3, 3, 3], [3.0, 3.000001, 4], COUNT) == [True, False, False]


def test_floats_are_equal_relatively() -> None:
    assert _eq([1e6, 1.0, 0.0], [1e6 * (1 + 1e-7), 1.001, 1e-12], FLOAT) == [True, False, True]


def test_missing_values_match_only_missing_values() -> None:
    assert _eq([None, np.nan, 1.0], [np.nan, 1.0, None], FLOAT) == [True, False, False]
    assert _eq(["a", None], [None, None], None) == [False, True]


def test_values_of_another_type_differ_without_a_crash() -> None:
    assert _eq([1, 2], ["1", "x"], COUNT) == [False, False]
    assert _eq([[1, 2], {"a": 1}], ["[1, 2]", "b"], None) == [False, False]


def test_infer_specs_reads_kinds_from_dtypes_and_the_money_list() -> None:
    frame = pd.DataFrame({"id": ["a"], "n": [1], "amount": [1.5], "x": [0.5], "flag": [True], "t": ["z"]})
    kinds = {c: s.kind for c, s in compare.infer_specs(frame, ["id"], {"amount": 0.01}).items()}
    assert kinds == {"id": Kind.KEY, "n": Kind.COUNT, "amount": Kind.MONEY, "x": Kind.FLOAT,
                     "flag": Kind.EXACT, "t": Kind.EXACT}


def _ref() -> pd.DataFrame:
    return pd.DataFrame({"id": ["a", "b", "c"], "n": [1, 2, 3], "amount": [1.0, 2.0, 3.0]})


def _cells(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["id"], frame["column"], strict=True))


def test_cell_diff_finds_values_missing_extra_and_repeated_rows() -> None:
    out = pd.DataFrame({"id": ["a", "b", "b", "d"], "n": [1, 5, 5, 4], "amount": [1.004, 2.0, 2.0, 4.0]})
    diff = compare.cell_diff(_ref(), out, ["id"], {"amount": MONEY, "n": COUNT})
    assert _cells(diff) == {("b", "n"), ("b", ROW), ("c", ROW), ("d", ROW)}


def test_cell_diff_counts_a_missing_column_everywhere_and_survives_other_key_types() -> None:
    out = pd.DataFrame({"id": ["a", "b", "c"], "n": [1, 2, 3]})
    assert _cells(compare.cell_diff(_ref(), out, ["id"])) == {("a", "amount"), ("b", "amount"), ("c", "amount")}
    numeric_keys = pd.DataFrame({"id": [1, 2, 3], "n": [1, 2, 3], "amount": [1.0, 2.0, 3.0]})
    diff = compare.cell_diff(_ref(), numeric_keys, ["id"])
    assert set(diff["column"]) == {ROW}
    assert len(diff) == 6  # three reference keys missing, three other keys extra


def test_expand_spreads_row_cells_over_value_columns() -> None:
    cells = pd.DataFrame({"id": ["c"], "column": [ROW]})
    assert _cells(compare.expand(cells, ["id"], ["n", "amount"])) == {("c", ROW), ("c", "n"), ("c", "amount")}


def test_matches_compares_row_counts_and_first_values() -> None:
    base = compare.KeyIndex.of(_ref(), ["id"])
    out = compare.KeyIndex.of(
        pd.DataFrame({"id": ["a", "a", "b"], "n": [1, 9, 7], "amount": [1.0, 1.0, 2.0]}), ["id"]
    )
    cells = pd.DataFrame({"id": ["a", "a", "b", "c", "c", "z"], "column": [ROW, "n", "n", ROW, "n", "n"]})
    assert compare.matches(base, out, cells, ["id"]).tolist() == [False, True, False, False, False, True]


def test_exclusive_footprints_mark_cells_no_other_fault_touches() -> None:
    a = pd.DataFrame({"id": ["a", "b"], "column": ["n", "n"]})
    b = pd.DataFrame({"id": ["b"], "column": ["n"]})
    marked = compare.exclusive_footprints({"A": a, "B": b}, ["id"])
    assert marked["A"]["exclusive"].tolist() == [True, False]
    assert marked["B"]["exclusive"].tolist() == [False]


@pytest.mark.parametrize(
    ("share", "schema", "points"),
    [(0.0, False, 0), (0.001, False, 3), (0.1, False, 20), (0.3, False, 50), (0.9, False, 50),
     (0.0, True, 5), (0.1, True, 25)],
)
def test_the_deduction_grows_with_the_regression(share: float, schema: bool, points: int) -> None:
    assert scoring.deduction(50, share=share, schema_changed=schema) == points


def test_the_score_never_goes_below_zero() -> None:
    assert scoring.total({"faults": 10, "regression": -30, "signals": 0}) == 0
    assert scoring.total({"faults": 30, "regression": -5, "signals": 0}) == 25


def test_explained_accepts_similar_rates_only() -> None:
    assert scoring.explained(0, 100, 0.0)
    assert not scoring.explained(1, 100, 0.0)  # no regression elsewhere explains nothing
    assert scoring.explained(12, 100, 0.1)
    assert not scoring.explained(60, 100, 0.1)


def test_a_cent_of_rounding_in_large_sums_does_not_unfix_the_faults_that_share_them() -> None:
    """A candidate who rounds halves up where the reference rounds them to even is a cent off
    in some sums, inside the faults' footprints as outside them; the faults stay fixed.
    3870.69 - 3870.68 is a little more than 0.01 in binary floats."""
    from faultline.graders import judge

    n = 400
    ids = [f"t{i:03d}" for i in range(n)]
    spend = np.round(3870.68 + np.arange(n) * 7.31, 2)
    reference = pd.DataFrame({"id": ids, "spend": spend})
    shared = ids[:40]  # the cells both faults change
    footprint = pd.DataFrame({"id": shared, "column": "spend", "exclusive": False})
    footprints = {"a": footprint, "b": footprint}
    fault_values = {
        "a": reference.assign(spend=np.where(reference["id"].isin(shared), spend + 22.21, spend)),
        "b": reference.assign(spend=np.where(reference["id"].isin(shared), spend + 33.73, spend)),
    }
    # A cent off on every eighth row outside the footprint, and on each of its rows (the
    # rounded terms gather in the sums of the cards the faults touch).
    off = (np.arange(n) % 8 == 0) | reference["id"].isin(shared).to_numpy()
    output = reference.assign(spend=np.where(off, np.round(spend + 0.01, 2), spend))
    assert (np.abs(output["spend"] - spend)[off] > 0.01).any()  # what binary floats make of a cent
    specs = {"id": ColumnSpec("id", Kind.KEY), "spend": ColumnSpec("spend", Kind.MONEY, 0.01)}
    judged = judge.judge_dataset("h1", reference, output, footprints, fault_values, ["id"], specs)
    assert judged.regression.cells == (n - 40) // 8
    verdicts = judge.verdicts([judged], ["a", "b"])
    assert verdicts["a"].fixed and verdicts["b"].fixed, verdicts
    # Two cents off inside the footprint, where the regression elsewhere is one: not a rounding.
    worse = output.assign(spend=np.where(output["id"].isin(shared), np.round(spend + 0.02, 2), output["spend"]))
    judged = judge.judge_dataset("h1", reference, worse, footprints, fault_values, ["id"], specs)
    assert not any(v.fixed for v in judge.verdicts([judged], ["a", "b"]).values())


def test_an_unrounded_average_landing_on_the_faults_cent_does_not_unfix_it() -> None:
    """A fan-out fault moves averages by cents or more; where it moved one by a single cent,
    an output that leaves the average unrounded (50.9263 against 50.92 and the fault's 50.93)
    lands on the fault's cent. Such a cell is a rounding, not the fault, as long as it is one
    of a few; an output that shows the fault's value everywhere still leaves it unfixed."""
    from faultline.graders import judge

    n = 200
    ids = [f"u{i:03d}" for i in range(n)]
    avg = np.round(40 + np.arange(n) * 0.37, 2)
    reference = pd.DataFrame({"id": ids, "avg": avg})
    touched = ids[:100]
    moved = np.where(np.arange(n) == 0, 0.01, 1.50)  # the first cell moved by a cent only
    faulty_avg = np.where(reference["id"].isin(touched), np.round(avg + moved, 2), avg)
    footprints = {"fanout": pd.DataFrame({"id": touched, "column": "avg", "exclusive": True})}
    fault_values = {"fanout": reference.assign(avg=faulty_avg)}
    specs = {"id": ColumnSpec("id", Kind.KEY), "avg": ColumnSpec("avg", Kind.MONEY, 0.01)}
    # Fixed, but unrounded: the first cell is 0.0063 off the reference, on the fault's cent.
    output = reference.assign(avg=np.where(np.arange(n) == 0, avg + 0.0063, avg))
    judged = judge.judge_dataset("h2", reference, output, footprints, fault_values, ["id"], specs)
    assert judged.faults["fanout"].faulty == 1 and judged.regression.cells == 0
    assert judge.verdicts([judged], ["fanout"])["fanout"].fixed
    # Nothing done: the fault's value everywhere, the cent-apart cell among them.
    judged = judge.judge_dataset("h2", reference, fault_values["fanout"], footprints, fault_values, ["id"], specs)
    assert not judge.verdicts([judged], ["fanout"])["fanout"].fixed
    # A fault that moved many cells by a cent: an output showing its value there stays unfixed.
    cent_fault = reference.assign(avg=np.where(reference["id"].isin(touched), np.round(avg + 0.01, 2), avg))
    judged = judge.judge_dataset("h2", reference, cent_fault, footprints, {"fanout": cent_fault}, ["id"], specs)
    assert not judge.verdicts([judged], ["fanout"])["fanout"].fixed


def test_a_cell_an_unfixed_fault_shares_does_not_unfix_the_fault_it_coincides_with() -> None:
    """A fan-out (+5 per duplicated purchase) and a cents fault share one user's score cells.
    A submission fixes the fan-out but only patches the cents fault's symptom: in one shared
    cell the cents fault, still in, moves the score by +5 as well. The fan-out stays fixed;
    the cents fault does not; doing nothing about the fan-out still leaves it unfixed."""
    from faultline.graders import judge

    n = 200
    ids = [f"u{i:03d}" for i in range(n)]
    score = (np.arange(n) % 17).astype("int64")
    reference = pd.DataFrame({"id": ids, "score": score})
    fanout_ids, cents_ids = ids[:60], ids[50:120]  # u050..u059 in both footprints
    both = set(fanout_ids) & set(cents_ids)
    footprints = {
        "fanout": pd.DataFrame({"id": fanout_ids, "column": "score", "exclusive": [i not in both for i in fanout_ids]}),
        "cents": pd.DataFrame({"id": cents_ids, "column": "score", "exclusive": [i not in both for i in cents_ids]}),
    }
    fault_values = {
        "fanout": reference.assign(score=np.where(reference["id"].isin(fanout_ids), score + 5, score)),
        "cents": reference.assign(score=np.where(reference["id"].isin(cents_ids), score + 10, score)),
    }
    specs = {"id": ColumnSpec("id", Kind.KEY), "score": ColumnSpec("score", Kind.COUNT)}
    # Cents left in everywhere but in u050, where the patch makes it +5: the fan-out's value.
    patched = np.where(reference["id"] == "u050", score + 5, fault_values["cents"]["score"])
    output = reference.assign(score=patched)
    judged = judge.judge_dataset("h3", reference, output, footprints, fault_values, ["id"], specs)
    assert judged.faults["fanout"].faulty == 1
    verdicts = judge.verdicts([judged], ["fanout", "cents"])
    assert verdicts["fanout"].fixed and not verdicts["cents"].fixed, verdicts
    # The fan-out left in as well: its exclusive cells show its value, not fixed.
    output = reference.assign(score=np.where(reference["id"].isin(fanout_ids), score + 5, patched))
    judged = judge.judge_dataset("h3", reference, output, footprints, fault_values, ["id"], specs)
    assert not judge.verdicts([judged], ["fanout", "cents"])["fanout"].fixed
