"""The one source of points and of the scoring rule's constants.

Both sides read this module: the harness writes fault points into the key and turns
the graders' verdicts into points; the graders use the tolerances and the rule that
decides when differing cells are explained by a regression. Only the standard library.

The rule, the same for every exercise:

* ``max_score`` is the sum of the fault points and of the poisoned exports' points.
* A fault earns its points when it is fixed.
* A poisoned export (an invalid one the pipeline must refuse, or an unusual valid one it
  must get right) is worth ``POISON_POINTS`` when the untouched bundle gets it wrong, and
  nothing when the bundle already gets it right (nothing is earned by changing nothing).
  Its points count only for a submission that fixed at least one fault: a submission that
  fixes nothing scores 0 whatever else it does, and validation alone is not the fix the
  exercise asks for.
* The regression is the share of cells outside every footprint that differ from the
  reference, pooled over the hidden datasets (rows the output lacks or adds count in every
  value column). Its deduction is a share of the fault points' maximum:
  ``SLIP_FRACTION + share / FULL_LOSS_SHARE``, plus
  ``SCHEMA_FRACTION`` when the schema differs from the contract (names, order, Arrow
  types), capped at 1, of the fault points' maximum, rounded up to whole points. A table
  differing in 30% of its checked cells keeps none of its fault points: that is another
  specification's table, not a slip.
* The score is ``faults + regression + signals``, never below 0.
"""
from __future__ import annotations

import math

POINTS_PER_FAULT = 10
# Per poisoned export the untouched bundle gets wrong, when the submission gets it right
# (refused with a message naming the problem, or handled like the reference).
POISON_POINTS = 2

# Regression deduction, as shares of max_score.
SLIP_FRACTION = 0.05  # any regression at all costs at least this: a slip is still a slip
FULL_LOSS_SHARE = 0.3  # this share of the checked cells differs: another specification, nothing kept
SCHEMA_FRACTION = 0.10  # a changed contract breaks every downstream reader at once

# When "other" cells of a footprint are explained by a regression: the footprint shows
# them at most at RATE_FACTOR times the rate the same column shows outside the footprints,
# plus RATE_SLACK standard deviations of that count (small footprints are noisy).
RATE_FACTOR = 2.0
RATE_SLACK = 3.0
# Cells of a row the output lacks (or adds) are compared with the rate of such rows outside
# the footprints; other cells with their column's rate, or with the table's whole regression
# share when fewer than MIN_CHECKED cells of that column lie outside every footprint.
MIN_CHECKED = 20
# A footprint cell showing the fault's own value is the evidence of an unfixed fault; a few
# may coincide with a regression (a filter that drops the very event the fault dropped), so
# up to this share of a footprint is tolerated when that regression explains them too.
MAX_FAULTY_SHARE = 0.05

# Comparing cells by meaning (see compare.py).
MONEY_TOLERANCE_UNITS = 0.5  # money: within half of its minor unit
FLOAT_RTOL = 1e-6  # floats: relatively; a correct fix may sum in another order
FLOAT_ATOL = 1e-9

RULE = {
    "points_per_fault": POINTS_PER_FAULT,
    "poison_points": POISON_POINTS,
    "poison_points_need_a_fixed_fault": True,
    "slip_fraction": SLIP_FRACTION,
    "full_loss_share": FULL_LOSS_SHARE,
    "schema_fraction": SCHEMA_FRACTION,
    "rate_factor": RATE_FACTOR,
    "rate_slack": RATE_SLACK,
    "min_checked": MIN_CHECKED,
    "max_faulty_share": MAX_FAULTY_SHARE,
    "money_tolerance_units": MONEY_TOLERANCE_UNITS,
    "float_rtol": FLOAT_RTOL,
}


def deduction(max_score: int, *, share: float, schema_changed: bool) -> int:
    """Points a regression of ``share`` (pooled over the datasets, 0..1) and a schema change
    cost; ``max_score`` is the fault points' maximum."""
    fraction = 0.0
    if share > 0:
        fraction += SLIP_FRACTION + share / FULL_LOSS_SHARE
    if schema_changed:
        fraction += SCHEMA_FRACTION
    return min(max_score, math.ceil(round(min(1.0, fraction) * max_score, 9)))


def total(parts: dict[str, int]) -> int:
    """The score from its parts (``faults``, ``regression`` <= 0, ``signals``), never below 0."""
    return max(0, sum(parts.values()))


def explained(other: int, cells: int, outside_rate: float) -> bool:
    """Whether ``other`` of a footprint's ``cells`` in one column fit a regression of that rate."""
    if other == 0:
        return True
    if outside_rate <= 0:
        return False
    expected = outside_rate * cells
    return other <= RATE_FACTOR * expected + RATE_SLACK * math.sqrt(expected) + 1
