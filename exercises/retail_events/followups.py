"""Follow-up questions for the debrief, per fault of retail-events.

Each function takes the fault's drawn parameters and asks about noticing, monitoring, blast
radius and backfill, and the test that now guards the fault, in this variant's own terms.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from faultline.exercises.base import Params


def _utc_partition_window(p: Params, spec: Any) -> list[str]:
    tz = str(p["timezone"])
    west = tz.startswith("America/")
    edge = "last" if west else "first"
    other = "Asia/Tokyo" if west else "America/Los_Angeles"
    return [
        f"The store runs on {tz}, so the night of the {edge} local day was lost. What would you compare, "
        "and against what, to notice that on the first run rather than from a churn-model complaint?",
        "Only part of one day per run goes missing. Which monitor would fire on that (a per-local-day row "
        "count against the raw partitions, a day-over-day ratio) and where would you set its threshold?",
        "Every run so far read too few partitions. How far back do the wrong features go, and how would "
        "you backfill them without double-counting the days that were right?",
        f"Which test guards this now? Would it still fail on the old code for a store in {other}, on the "
        f"other side of UTC?",
    ]


def _leading_zero_ids(p: Params, spec: Any) -> list[str]:
    share = float(p["zero_id_share"])
    example = "0" + "4" * (int(p["id_width"]) - 1)
    return [
        f"About {share:.1%} of users have an id with a leading zero. What reconciliation against the CRM "
        "would have shown their rows missing, and would a plus-or-minus 5% row-count alert have fired?",
        "An inner join dropped users silently. Where would you check unmatched keys or join cardinality, "
        "and should the run fail or only warn when users have no events?",
        "Which models and dashboards were fed features without these users, and since when? How would you "
        "backfill, and whom would you tell?",
        f"What test now guards it? Does it use an id like {example!r} and check that the user keeps their "
        "rows, whatever the CSV reader infers?",
    ]


def _product_fanout(p: Params, spec: Any) -> list[str]:
    share = float(p["duplicate_product_share"])
    return [
        f"About {share:.1%} of catalogue products came back re-exported with a newer updated_at. Which "
        "invariant of the product join would have stopped the run (row count before and after the merge, "
        "validate='many_to_one')?",
        "Revenue per user was inflated by a different amount each day. Which alert would have caught it "
        "without paging on every seasonal swing?",
        "How would you find out since when the catalogue holds duplicates, and which days of revenue "
        "features need a backfill?",
        "When a product appears twice, which row should win, and does your test check that the newest "
        "updated_at wins rather than only that the counts are no longer doubled?",
    ]


def _cents_cutover(p: Params, spec: Any) -> list[str]:
    platform, day = str(p["platform"]), int(p["from_day"])
    return [
        f"The {platform} client switched to amounts in cents (schema_version 2) on day {day} of the "
        "window. How should such a change have reached you before it shipped, and who owns that contract?",
        f"Which monitor catches a x100 jump in amounts for one platform ({platform}): a per-platform "
        "distribution check, an upper bound on order value? What would you alert on?",
        f"Everything from day {day} on is inflated. Which features and models consumed those amounts, and "
        "how would you backfill them?",
        "What should the pipeline do with a schema_version it does not know, say 3: convert, refuse the "
        "export, or pass it through? Which test guards that now?",
    ]


def _stale_correction(p: Params, spec: Any) -> list[str]:
    share = float(p["correction_share"])
    return [
        f"About {share:.1%} of purchases are corrected by a later delivery with a lower amount. Row counts "
        "match exactly: how would you have noticed that the wrong copy was kept?",
        "The difference always favours the store. Which reconciliation with the order system or finance "
        "would catch a small, one-sided bias, and how often would it run?",
        "Corrections arrive after the purchase. How far back must each run reprocess to pick them up, and "
        "how would you repair the days already written?",
        "What test now guards it: two deliveries of one event_id with different ingested_at, in which order "
        "in the file, and which amount must win?",
    ]


def _flash_sale_rollup(p: Params, spec: Any) -> list[str]:
    share = float(p["share"])
    return [
        f"A flash-sale listing missing from the catalogue took about {share:.0%} of one day's events. "
        "Which reconciliation (events in, events counted per day) would have shown them vanish?",
        "An unknown category became a null key and the roll-up dropped it. Where else in the job does a "
        "groupby, a pivot or a filter on a dimension attribute silently treat null as 'not there'?",
        "The catalogue export lagged the storefront. Should the job fail, warn or carry on when events "
        "name products the catalogue does not know, and who would you tell?",
        "Which test guards it now: an event of an uncatalogued product, counted in every count and in "
        "revenue, with no category?",
    ]


def _tenure_as_of_run(p: Params, spec: Any) -> list[str]:
    flag = spec.is_new_user if spec is not None else "the new-user flag"
    return [
        f"Account age (and {flag}) was measured at the window's last business day, not on each "
        "row's day. Why does this pass every range check, and which check compares a feature with "
        "what was knowable on its own date?",
        "The onboarding model trained on ages from the future. How would you estimate what that did to "
        "its offline metrics, and how would you retrain and compare?",
        "How do you make point-in-time correctness a property of the feature job (as-of dates, "
        "recomputation on truncated history) rather than of each feature's author?",
        "Which test now guards it: one user on two days, whose age must differ by exactly the days between?",
    ]


def _session_day_split(p: Params, spec: Any) -> list[str]:
    gap = f"{int(spec.session_gap_minutes)} minutes" if spec is not None else "the session gap"
    start = f"{int(spec.day_start_hour)}:00" if spec is not None else "the day's start"
    return [
        f"Sessions were cut at {start}, when the business day turns. Which two places of the contract "
        "did you have to read together to see that a visit runs across it, and how did you find the "
        "visits that do?",
        f"About {float(p['late_session_share']):.1%} of sessions straddle the day's start. Which check on "
        "the session features (against a web-analytics visit count, or sessions per user-day re-derived "
        "from the raw events) would show so small a difference?",
        "Session features feed the engagement model. Which of its inputs moved, in which direction, and "
        "would a retrain on corrected features change anything you could measure?",
        f"Which test guards it now: one user with events a few minutes either side of {start}, less "
        f"than {gap} apart, counted as one session of the earlier day?",
    ]


def _list_price_asof(p: Params, spec: Any) -> list[str]:
    how = "the newest row of the price history" if p["form"] == "newest-row" else "the nearest price in time"
    return [
        f"List prices came from {how}, not the row in effect at the event. Where in the export's "
        "documentation is the rule, and how would you have noticed without it?",
        f"About {float(p['repriced_share']):.0%} of products changed price inside the window. Which "
        "orders does that touch, and why do row counts and revenue totals not show it at all?",
        "Point-in-time joins recur in this job (prices, later promotions, user attributes). How would you "
        "make 'as of the event' the default rather than each author's choice?",
        "Which test guards it now: a product repriced between two orders, each judged against the price "
        "it was sold under?",
    ]


FOLLOWUPS: Mapping[str, Callable[[Params, Any], list[str]]] = {
    "utc-partition-window": _utc_partition_window,
    "leading-zero-ids": _leading_zero_ids,
    "product-fanout": _product_fanout,
    "cents-cutover": _cents_cutover,
    "stale-correction": _stale_correction,
    "flash-sale-rollup": _flash_sale_rollup,
    "tenure-as-of-run": _tenure_as_of_run,
    "session-day-split": _session_day_split,
    "list-price-asof": _list_price_asof,
}
