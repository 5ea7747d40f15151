"""Raw data for retail-events: click and purchase events, a users table, a product catalogue.

Everything comes from one numpy generator seeded by the dataset's seed, so a dataset is
a pure function of (seed, rows, knobs). Distributions are shaped like a real storefront:
weekly seasonality, an evening peak in the store's local time, heavy-tailed user
activity and prices, a few popular products.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from faultline.exercises.base import SampleFacts
from faultline.exercises.retail_events.spec import Spec

DAYS = 14
CATEGORIES = (
    "apparel", "beauty", "books", "electronics", "garden", "grocery",
    "home", "kitchen", "outdoors", "pets", "sports", "toys",
)
# "NA" is Namibia: a reader that treats it as a missing value loses a real country.
COUNTRIES = ("US", "GB", "DE", "FR", "BR", "IN", "JP", "NA", "ZA", "CA")
COUNTRY_WEIGHTS = (0.34, 0.12, 0.1, 0.08, 0.08, 0.08, 0.06, 0.04, 0.05, 0.05)
PLATFORMS = ("web", "ios", "android")
EVENT_TYPES = ("view", "add_to_cart", "purchase")
# Share of the day's traffic by local hour: quiet nights, a lunch bump, an evening peak.
HOURLY = np.array(
    [1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.4, 4.2, 4.6, 5.0,
     5.6, 5.2, 4.8, 4.8, 5.0, 5.6, 6.4, 7.4, 8.0, 7.4, 5.6, 3.0]
)
EARLIEST_START = dt.date(2025, 1, 6)
LATEST_START = dt.date(2026, 8, 31)

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("user_id", pa.string()),
        ("event_type", pa.string()),
        ("product_id", pa.string()),
        ("platform", pa.string()),
        ("event_ts", pa.timestamp("ms", tz="UTC")),
        ("ingested_at", pa.timestamp("ms", tz="UTC")),
        ("quantity", pa.int32()),
        ("amount", pa.float64()),
        ("schema_version", pa.int8()),
    ]
)


def generate(out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any], spec: Spec) -> SampleFacts:
    rng = np.random.default_rng(seed)
    tz = str(knobs["timezone"])
    span = (LATEST_START - EARLIEST_START).days
    start = EARLIEST_START + dt.timedelta(days=int(rng.integers(0, span)))
    end = start + dt.timedelta(days=DAYS - 1)
    out.mkdir(parents=True, exist_ok=True)

    users = _users(rng, rows, start, knobs)
    products = _products(rng, start, knobs)
    prices = _prices(rng, start, products, knobs)
    events = _events(rng, rows, start, tz, users, products, prices, knobs, spec.day_start_hour)
    events = _flash_sale(np.random.default_rng([seed, 0xF1A5]), events, start, tz, knobs, spec.day_start_hour)

    _write_csv(users, out / "users.csv")
    _write_csv(products, out / "products.csv")
    _write_csv(prices, out / "prices.csv")
    _write_partitions(events, out / "events")
    manifest = {"start_date": start.isoformat(), "end_date": end.isoformat(), "timezone": tz}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return SampleFacts(start_date=start, end_date=end, timezone=tz, spec=spec)


def _users(
    rng: np.random.Generator, rows: int, start: dt.date, knobs: Mapping[str, Any]
) -> pd.DataFrame:
    n = max(60, rows // 20)
    width = int(knobs["id_width"])
    # A share of ids is below 10**(width-1) and so starts with a zero once padded.
    n_zero = max(3, int(round(n * float(knobs["zero_id_share"]))))
    low = rng.choice(10 ** (width - 1), size=n_zero, replace=False)
    high = rng.choice(9 * 10 ** (width - 1), size=n - n_zero, replace=False) + 10 ** (width - 1)
    ids = rng.permutation(np.concatenate([low, high]))
    age_days = np.minimum(rng.exponential(260.0, size=n).astype(int), 3000)
    signup = pd.Timestamp(start) - pd.to_timedelta(age_days + 1, unit="D")
    return pd.DataFrame(
        {
            "user_id": [f"{i:0{width}d}" for i in ids],
            "signup_date": signup.strftime("%Y-%m-%d"),
            "country": rng.choice(COUNTRIES, size=n, p=COUNTRY_WEIGHTS),
            "segment": rng.choice(("consumer", "business"), size=n, p=(0.88, 0.12)),
        }
    )


def _products(rng: np.random.Generator, start: dt.date, knobs: Mapping[str, Any]) -> pd.DataFrame:
    n = 400
    price = np.maximum(np.round(rng.lognormal(3.0, 0.8, size=n), 2), 0.99)
    updated = pd.Timestamp(start) - pd.to_timedelta(rng.integers(30, 400, size=n), unit="D")
    base = pd.DataFrame(
        {
            "product_id": [f"P{i:05d}" for i in rng.choice(100_000, size=n, replace=False)],
            "category": rng.choice(CATEGORIES, size=n),
            "unit_price": price,
            "updated_at": updated.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    )
    # Catalogue re-exports repeat a product row with a newer timestamp and the same values.
    n_dup = int(round(n * float(knobs["duplicate_product_share"])))
    dup = base.iloc[rng.choice(n, size=n_dup, replace=False)].copy()
    dup["updated_at"] = (
        pd.to_datetime(dup["updated_at"]) + pd.to_timedelta(rng.integers(1, 20, size=n_dup), unit="D")
    ).dt.strftime("%Y-%m-%dT%H:%M:%S")
    rows = pd.concat([base, dup], ignore_index=True)
    return rows.iloc[rng.permutation(len(rows))]


def _prices(
    rng: np.random.Generator, start: dt.date, products: pd.DataFrame, knobs: Mapping[str, Any]
) -> pd.DataFrame:
    """The pricing service's history: each product's first price from its first catalogue
    row on, and price changes inside the window from their own time on."""
    first = products.sort_values("updated_at", kind="stable").drop_duplicates("product_id")
    base = pd.DataFrame({"product_id": first["product_id"], "unit_price": first["unit_price"],
                         "valid_from": first["updated_at"]})
    n_new = int(round(len(base) * float(knobs["repriced_share"])))
    moved = base.iloc[rng.choice(len(base), size=n_new, replace=False)].copy()
    factor = rng.choice((0.8, 0.9, 1.1, 1.25), size=n_new)
    moved["unit_price"] = np.maximum(np.round(moved["unit_price"] * factor, 2), 0.99)
    seconds = rng.integers(2 * 86400, (DAYS - 2) * 86400, size=n_new)
    moved["valid_from"] = (pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s")).strftime("%Y-%m-%dT%H:%M:%S")
    history = pd.concat([base, moved], ignore_index=True)
    return history.sort_values(["product_id", "valid_from"], kind="stable").reset_index(drop=True)


def _events(
    rng: np.random.Generator,
    rows: int,
    start: dt.date,
    tz: str,
    users: pd.DataFrame,
    products: pd.DataFrame,
    prices: pd.DataFrame,
    knobs: Mapping[str, Any],
    day_start: int,
) -> pd.DataFrame:
    # Visits are sessions: a burst of events a few minutes apart. Weekends are busier; each
    # day also gets its own noise.
    lengths = rng.geometric(0.3, size=rows)
    ends = np.cumsum(lengths)
    n_sessions = int(np.searchsorted(ends, rows)) + 1
    lengths = lengths[:n_sessions]
    lengths[-1] -= int(ends[n_sessions - 1]) - rows
    session = np.repeat(np.arange(n_sessions), lengths)
    weekday = np.array([(start + dt.timedelta(days=d)).weekday() for d in range(DAYS)])
    day_w = np.where(weekday >= 5, 1.3, 1.0) * rng.uniform(0.85, 1.15, size=DAYS)
    day = rng.choice(DAYS, size=n_sessions, p=day_w / day_w.sum())
    hour = rng.choice(24, size=n_sessions, p=HOURLY / HOURLY.sum())
    # Business day `day` runs from day_start on that date to day_start on the next.
    second = (day_start + (hour - day_start) % 24) * 3600 + rng.integers(0, 3600, size=n_sessions)
    # Night owls: a share of sessions begins in the last minutes before the business day
    # turns, and runs on into the next one.
    late = rng.random(n_sessions) < float(knobs["late_session_share"])
    second = np.where(late, (24 + day_start) * 3600 - rng.integers(60, 15 * 60, size=n_sessions), second)
    local_midnight = pd.DatetimeIndex(
        [pd.Timestamp(start + dt.timedelta(days=int(d))).tz_localize(tz) for d in range(DAYS)]
    ).tz_convert("UTC")
    step = np.clip(rng.exponential(240.0, size=rows), 5, 20 * 60).astype(int)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    step[first] = 0
    offset = np.cumsum(step) - np.repeat(np.cumsum(step)[first], lengths)
    event_ts = local_midnight[day[session]] + pd.to_timedelta(second[session] + offset, unit="s")
    local = event_ts.tz_convert(tz) - pd.Timedelta(hours=day_start)
    day = np.asarray((local.normalize().tz_localize(None) - pd.Timestamp(start)).days)

    activity = rng.lognormal(0.0, 1.1, size=len(users))
    visitor = rng.choice(len(users), size=n_sessions, p=activity / activity.sum())
    user_id = users["user_id"].to_numpy()[visitor[session]]
    catalogue = products.drop_duplicates("product_id")
    popularity = 1.0 / np.arange(1, len(catalogue) + 1) ** 0.8
    pick = rng.choice(len(catalogue), size=rows, p=popularity / popularity.sum())
    product_id = catalogue["product_id"].to_numpy()[pick]
    unit_price = _price_as_of(prices, product_id, event_ts)

    kind = rng.choice(len(EVENT_TYPES), size=rows, p=(0.76, 0.16, 0.08))
    is_purchase = kind == 2
    quantity = np.where(is_purchase, 1 + rng.poisson(0.35, size=rows), 0).astype(np.int32)
    discount = np.where(rng.random(rows) < 0.2, rng.choice((0.9, 0.85, 0.8), size=rows), 1.0)
    amount = np.where(is_purchase, np.round(unit_price * quantity * discount, 2), 0.0)
    platform = rng.choice(PLATFORMS, size=n_sessions, p=(0.45, 0.32, 0.23))[session]

    # From its cut-over day on, one client reports amounts in cents under schema version 2.
    v2 = (platform == knobs["cents_platform"]) & (day >= int(knobs["cents_from_day"]))
    amount = np.where(v2, np.round(amount * 100.0), amount)
    lag = pd.to_timedelta(rng.exponential(40.0, size=rows).astype(int) + 1, unit="s")
    events = pd.DataFrame(
        {
            "event_id": [f"ev-{i:010x}" for i in rng.choice(16**10, size=rows, replace=False)],
            "user_id": user_id,
            "event_type": np.array(EVENT_TYPES)[kind],
            "product_id": product_id,
            "platform": platform,
            "event_ts": event_ts,
            "ingested_at": event_ts + lag,
            "quantity": quantity,
            "amount": amount,
            "schema_version": np.where(v2, 2, 1).astype(np.int8),
        }
    ).sort_values("event_ts", kind="stable")
    # Price changes and corrections touch separate orders: an order of a product repriced
    # inside the window is never corrected.
    repriced = prices.loc[pd.to_datetime(prices["valid_from"]) >= pd.Timestamp(start), "product_id"]
    return pd.concat([events, _resends(rng, events, knobs, set(repriced))], ignore_index=True)


def _price_as_of(prices: pd.DataFrame, product_id: np.ndarray, event_ts: pd.DatetimeIndex) -> np.ndarray:
    """The list price each event paid against: the product's latest price at or before it."""
    took_effect = pd.to_datetime(prices["valid_from"]).dt.tz_localize("UTC")
    history = prices.assign(at=took_effect.astype("datetime64[ms, UTC]"))
    left = pd.DataFrame({"product_id": product_id, "at": event_ts.astype("datetime64[ms, UTC]"),
                         "row": np.arange(len(product_id))})
    matched = pd.merge_asof(left.sort_values("at", kind="stable"), history.sort_values("at", kind="stable")[
        ["product_id", "at", "unit_price"]], on="at", by="product_id", direction="backward")
    price: np.ndarray = matched.sort_values("row")["unit_price"].to_numpy(dtype="float64")
    return price


def _resends(
    rng: np.random.Generator, events: pd.DataFrame, knobs: Mapping[str, Any], repriced: set[str]
) -> pd.DataFrame:
    """At-least-once delivery: some events arrive again, some purchases as corrections."""
    purchases = events[(events["event_type"] == "purchase") & ~events["product_id"].isin(repriced)]
    n_fix = int(round(len(purchases) * float(knobs["correction_share"])))
    fixes = purchases.iloc[np.sort(rng.choice(len(purchases), size=n_fix, replace=False))].copy()
    # A correction applies a late voucher (the amount drops) or, where the knob allows,
    # adds a forgotten item or fee (it rises); the event is otherwise the same.
    factor = rng.choice((0.5, 0.7, 0.75, 0.9), size=n_fix)
    up = rng.random(n_fix) < float(knobs.get("correction_up_share", 0.0))
    factor = np.where(up, rng.choice((1.1, 1.25, 1.5, 2.0), size=n_fix), factor)
    fixes["amount"] = np.where(
        fixes["schema_version"] == 2,
        np.round(fixes["amount"] * factor),
        np.round(fixes["amount"] * factor, 2),
    )
    fixes["ingested_at"] = fixes["ingested_at"] + pd.to_timedelta(
        rng.integers(600, 6 * 3600, size=n_fix), unit="s"
    )
    n_same = int(round(len(events) * 0.004))
    same = events.iloc[np.sort(rng.choice(len(events), size=n_same, replace=False))].copy()
    same["ingested_at"] = same["ingested_at"] + pd.to_timedelta(30, unit="s")
    return pd.concat([fixes, same])


def _flash_sale(
    rng: np.random.Generator,
    events: pd.DataFrame,
    start: dt.date,
    tz: str,
    knobs: Mapping[str, Any],
    day_start: int,
) -> pd.DataFrame:
    """A one-day flash sale: a listing that never reached the catalogue export takes a share
    of that business day's events (its own stream, so the rest of the data stays as it was;
    every delivery of an event names the same listing)."""
    local = events["event_ts"].dt.tz_convert(tz) - pd.Timedelta(hours=day_start)
    day = start + dt.timedelta(days=int(knobs["flash_sale_day"]))
    ids = np.sort(events.loc[(local.dt.date == day).to_numpy(), "event_id"].unique())
    chosen = ids[rng.random(len(ids)) < float(knobs["flash_sale_share"])]
    listing = f"P{int(rng.integers(100_000, 1_000_000)):06d}"
    return events.assign(product_id=events["product_id"].where(~events["event_id"].isin(chosen), listing))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _write_partitions(events: pd.DataFrame, root: Path) -> None:
    # Upstream partitions by the UTC date of the event; a late copy lands in its event's file.
    utc_date = events["event_ts"].dt.strftime("%Y-%m-%d")
    for date, part in events.groupby(utc_date, sort=True):
        folder = root / f"date={date}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(part, schema=EVENT_SCHEMA, preserve_index=False)
        pq.write_table(table, folder / "part-00000.parquet", compression="snappy")


def hidden_knobs(knobs: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """One hidden dataset's knobs: another id width, store timezone, cents cut-over and
    flash-sale day, fresh shares (night-owl sessions too), and corrections that raise amounts as well as lower them."""
    from faultline.exercises.retail_events.faults.utc_partition_window import TIMEZONES

    widths = [w for w in range(5, 11) if w != int(knobs["id_width"])]
    # Stores at least five hours from UTC: the window's edge night is long enough to show.
    zones = [z for z in TIMEZONES if z not in (str(knobs["timezone"]), "Asia/Dubai")]
    return {
        **knobs,
        "timezone": str(rng.choice(zones)),
        "id_width": int(rng.choice(widths)),
        "zero_id_share": round(float(rng.uniform(0.03, 0.08)), 3),
        "duplicate_product_share": round(float(rng.uniform(0.03, 0.09)), 3),
        "cents_platform": str(rng.choice(PLATFORMS)),
        "cents_from_day": int(rng.integers(2, 12)),
        "correction_share": round(float(rng.uniform(0.03, 0.08)), 3),
        "correction_up_share": round(float(rng.uniform(0.3, 0.6)), 3),
        "flash_sale_day": int(rng.integers(1, DAYS - 1)),
        "flash_sale_share": round(float(rng.uniform(0.06, 0.12)), 3),
        "late_session_share": round(float(rng.uniform(0.008, 0.015)), 4),
        "repriced_share": round(float(rng.uniform(0.05, 0.1)), 3),
    }
