"""The retail-events fault catalogue: a literal registry of small modules."""
from __future__ import annotations

from collections.abc import Mapping

from faultline.exercises.base import Fault
from faultline.exercises.retail_events.faults import (
    cents_cutover,
    flash_sale_rollup,
    leading_zero_ids,
    list_price_asof,
    product_fanout,
    session_day_split,
    stale_correction,
    tenure_as_of_run,
    utc_partition_window,
)

FAULTS: Mapping[str, Fault] = {
    utc_partition_window.ID: utc_partition_window,
    leading_zero_ids.ID: leading_zero_ids,
    product_fanout.ID: product_fanout,
    cents_cutover.ID: cents_cutover,
    stale_correction.ID: stale_correction,
    flash_sale_rollup.ID: flash_sale_rollup,
    tenure_as_of_run.ID: tenure_as_of_run,
    session_day_split.ID: session_day_split,
    list_price_asof.ID: list_price_asof,
}
