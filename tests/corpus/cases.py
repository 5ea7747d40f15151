"""A corpus of candidate submissions, each with the verdict an expert interviewer would give.

A case starts from the variant's reference solution, its untouched bundle, or the
pipeline with only some faults on, and appends code to pipeline modules: a later
definition of a function replaces the earlier one, and the pipeline looks its steps up
by module attribute, so a patch reads like the function a candidate would have written.

``fixed`` is the set of faults the expert counts as fixed; ``band`` the range of the
score, as fractions of ``max_score``, the expert would accept; ``why`` their reasoning.
"""
from __future__ import annotations

import dataclasses
import enum


class Base(enum.Enum):
    SOLUTION = "solution"  # the key's reference solution
    BUNDLE = "bundle"  # the candidate's untouched bundle
    ONLY = "only"  # the pipeline with only ``faults_on`` switched on


@dataclasses.dataclass(frozen=True)
class Case:
    exercise: str
    name: str
    base: Base
    fixed: frozenset[str]
    band: tuple[float, float]
    why: str
    patches: dict[str, str] = dataclasses.field(default_factory=dict)  # module file -> code appended
    faults_on: frozenset[str] = frozenset()


# The variant each exercise's cases are written for (made once per test session).
FAULTS = {
    "retail-events": ("utc-partition-window", "leading-zero-ids", "product-fanout", "cents-cutover",
                      "stale-correction"),
    "card-transactions": ("currency-exponent", "na-country-token", "window-includes-current", "null-status-spend"),
    "ride-trips": ("miles-as-km", "fare-schema-drift", "uncorrected-trip", "unknown-status-trips"),
}
ALL = {name: frozenset(ids) for name, ids in FAULTS.items()}
NONE: frozenset[str] = frozenset()

RETAIL_IDIOM = {
    "clean.py": '''

def deduplicate(events):
    # Newest delivery per event, as a grouped tail instead of sort + drop_duplicates.
    ordered = events.sort_values(["event_id", "ingested_at"], kind="stable")
    return ordered.groupby("event_id", sort=False).tail(1).reset_index(drop=True)


def normalise_amounts(events):
    amount = events["amount"].astype("float64")
    return events.assign(amount=amount.mask(events["schema_version"] >= 2, amount / 100.0))
''',
    "ingest.py": '''

def read_users(path):
    users = pd.read_csv(path, converters={"user_id": str}, keep_default_na=False, na_values=[""])
    users["signup_date"] = pd.to_datetime(users["signup_date"], format="%Y-%m-%d")
    return users


def partition_dates(settings):
    # A local day can start or end in a neighbouring UTC partition: one day of margin each side.
    days = pd.date_range(settings.start_date - dt.timedelta(days=1), settings.end_date + dt.timedelta(days=1))
    return [d.date() for d in days]
''',
    "joins.py": '''

def attach_products(events, products):
    newest = products.sort_values(["product_id", "updated_at"], kind="stable").groupby("product_id").tail(1)
    return events.merge(newest[["product_id", "category"]], on="product_id", how="left", validate="many_to_one")
''',
}

RETAIL_UNROUNDED = {
    "features.py": '''

from pipeline.config import AVG_ORDER_VALUE, MIN_ORDER_VALUE, REVENUE

_daily_user_features = daily_user_features


def daily_user_features(events):
    # Defensible alternative: money kept at full precision, no rounding to the cent. The
    # average order value is recomputed from the unrounded net revenue per user and day.
    table = _daily_user_features(events)
    orders = (events["event_type"] == "purchase") & (events["amount"] >= MIN_ORDER_VALUE)
    gross = events["amount"].where(orders, 0.0).groupby([events[k] for k in KEY]).sum()
    net = (gross / (1.0 + SALES_TAX_RATE) * PLAN_RATE).reindex(pd.MultiIndex.from_frame(table[KEY]))
    net = pd.Series(net.to_numpy(), index=table.index)
    per_order = (net / table["n_purchases"]).where(table["n_purchases"] > 0)
    if REVENUE.endswith("_cents"):  # integer cents cannot hold a fraction: only the average moves
        table[AVG_ORDER_VALUE] = pd.array(np.rint(per_order * 100.0), dtype="Int64")
    else:
        table[REVENUE] = net
        table[AVG_ORDER_VALUE] = per_order
    return table
''',
}

RETAIL_REFACTOR = {
    "features.py": '''

_daily_user_features = daily_user_features


def daily_user_features(events):
    # Refactor only: the same table, computed on a copy and handed over in another row order.
    table = _daily_user_features(events.copy())
    return table.sort_values(["date", "user_id"], ascending=False).reset_index(drop=True)
''',
}

RETAIL_ROUND = {
    "features.py": '''

_daily_user_features = daily_user_features


from pipeline.config import REVENUE


def daily_user_features(events):
    table = _daily_user_features(events)
    # "Nobody needs cents on a dashboard": revenue to the nearest 10 cents.
    if REVENUE.endswith("_cents"):
        table[REVENUE] = (np.rint(table[REVENUE] / 10.0) * 10).astype("int64")
    else:
        table[REVENUE] = table[REVENUE].round(1)
    return table
''',
}

RETAIL_NARROW = {
    "writer.py": '''

# "Smaller files": 32-bit integers where the contract publishes 64-bit ones.
SCHEMA = pa.schema([pa.field(f.name, pa.int32() if pa.types.is_int64(f.type) else f.type) for f in SCHEMA])
''',
}

RETAIL_FILTER = {
    "clean.py": '''

_restrict_to_window = restrict_to_window


def restrict_to_window(events, settings):
    # Over-eager: purchases in the top 5% of amounts are "outliers" and dropped.
    events = _restrict_to_window(events, settings)
    cut = events.loc[events["event_type"] == "purchase", "amount"].quantile(0.95)
    return events.loc[~((events["event_type"] == "purchase") & (events["amount"] > cut))].reset_index(drop=True)
''',
}

RETAIL_SYMPTOM = {
    "clean.py": '''

def normalise_amounts(events):
    # Symptom patch: an amount that looks too large must be in cents.
    amount = events["amount"].astype("float64")
    return events.assign(amount=amount.where(amount < 1000, amount / 100.0))
''',
}

CARD_REFACTOR = {
    "features.py": '''

_build_features = build_features


def build_features(txns, activity, prior_chargebacks, is_fraud, settings):
    # Refactor only: columns assembled in another order (the writer orders them).
    table = _build_features(txns, activity, prior_chargebacks, is_fraud, settings)
    return table[list(reversed(table.columns))].copy()
''',
}

CARD_ROUND = {
    "features.py": '''

_build_features = build_features


from pipeline.config import SPEND_LONG


def build_features(txns, activity, prior_chargebacks, is_fraud, settings):
    table = _build_features(txns, activity, prior_chargebacks, is_fraud, settings)
    table[SPEND_LONG] = table[SPEND_LONG].round(0)  # whole units are enough for the long spend window
    return table
''',
}

CARD_FILTER = {
    "features.py": '''

_build_features = build_features


def build_features(txns, activity, prior_chargebacks, is_fraud, settings):
    # Over-eager: attempts without a merchant category are "bad data" and left out.
    table = _build_features(txns, activity, prior_chargebacks, is_fraud, settings)
    return table.loc[table["mcc"].notna()]
''',
}

CARD_SYMPTOM = {
    "clean.py": '''

_convert_amounts = convert_amounts


def convert_amounts(txns):
    # Symptom patch: amounts that came out below one unit are "obviously" 100x too small.
    out = _convert_amounts(txns)
    small = out[AMOUNT] < 1.0
    fixed = out[AMOUNT].where(~small, (out[AMOUNT] * 100).round(2))
    return out.assign(**{AMOUNT: fixed, "amount_cents": np.rint(fixed.to_numpy() * 100.0).astype("int64")})
''',
}

CARD_IDIOM = {
    "clean.py": """

EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3}


def convert_amounts(txns):
    # The ISO 4217 exponent, applied by multiplying with its inverse rather than dividing.
    unknown = sorted(set(txns["currency"]) - set(USD_PER_UNIT))
    if unknown:
        raise ValueError(f"no reference rate for currencies {unknown}")
    exponent = txns["currency"].map(lambda c: EXPONENTS.get(c, 2)).to_numpy(dtype="float64")
    rate = txns["currency"].map(USD_PER_UNIT).to_numpy(dtype="float64") / USD_PER_UNIT[REPORT_CURRENCY]
    amount = pd.Series(txns["amount_minor"].to_numpy() * 10.0 ** -exponent * rate, index=txns.index).round(2)
    return txns.assign(**{AMOUNT: amount, "amount_cents": np.rint(amount.to_numpy() * 100.0).astype("int64")})
""",
}

RIDE_REFACTOR = {
    "features.py": '''

_daily_driver_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    # Refactor only: the same aggregation on copies, rows handed over newest day first.
    table = _daily_driver_features(completed.copy(), cancelled.copy())
    return table.sort_values(["date", "driver_id"], ascending=False).reset_index(drop=True)
''',
}

RIDE_ROUND = {
    "features.py": '''

_daily_driver_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    table = _daily_driver_features(completed, cancelled)
    table["total_distance_km"] = table["total_distance_km"].round(0)  # whole kilometres
    return table
''',
}

RIDE_FILTER = {
    "features.py": '''

_daily_driver_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    # Over-eager: trips longer than two hours are "sensor errors" and dropped.
    minutes = (completed["dropoff_ts"] - completed["pickup_ts"]).dt.total_seconds() / 60.0
    return _daily_driver_features(completed.loc[minutes <= 120], cancelled)
''',
}

RIDE_SYMPTOM = {
    "features.py": '''

_daily_driver_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    # Symptom patch: missing fares are filled with the typical fare.
    fare = completed["fare"]
    return _daily_driver_features(completed.assign(fare=fare.fillna(fare.median())), cancelled)
''',
}


# Fitted to the sample: every missing country there is Namibia read as NaN, so "NA" fills them.
CARD_FITTED = {
    "ingest.py": '''

def read_merchants(path):
    merchants = pd.read_csv(path, dtype="str")
    merchants["merchant_country"] = merchants["merchant_country"].fillna("NA")
    merchants["updated_at"] = pd.to_datetime(merchants["updated_at"], format="%Y-%m-%d")
    return merchants
''',
}

# Hardening: checks that stop the job on a broken invariant and change no value.
RETAIL_HARDENING = {
    "features.py": '''

_unchecked_features = daily_user_features


def daily_user_features(events):
    table = _unchecked_features(events)
    if table.duplicated(KEY).any():
        raise ValueError("duplicate (user_id, date) rows in the feature table")
    if (table["n_purchases"] > table["n_events"]).any():
        raise ValueError("more purchases than events on a user-day")
    return table
''',
}

CARD_HARDENING = {
    "features.py": '''

_unchecked_features = build_features


def build_features(txns, activity, prior_chargebacks, is_fraud, settings):
    table = _unchecked_features(txns, activity, prior_chargebacks, is_fraud, settings)
    if table["transaction_id"].duplicated().any():
        raise ValueError("a transaction appears twice in the feature table")
    if len(table) != txns["transaction_id"].nunique():
        raise ValueError("the feature table lost or gained attempts")
    return table
''',
}

RIDE_HARDENING = {
    "features.py": '''

_unchecked_features = daily_driver_features


def daily_driver_features(completed, cancelled):
    table = _unchecked_features(completed, cancelled)
    if table.duplicated(KEY).any():
        raise ValueError("duplicate (driver_id, date) rows in the feature table")
    if (table["n_trips"] <= 0).any():
        raise ValueError("a driver-day without a completed trip")
    return table
''',
}


def _cases() -> list[Case]:
    re, ct, rt = "retail-events", "card-transactions", "ride-trips"
    return [
        Case(re, "reference", Base.SOLUTION, ALL[re], (1.0, 1.0), "the reference solution earns full marks"),
        Case(re, "untouched", Base.BUNDLE, NONE, (0.0, 0.0), "nothing was done, nothing is earned"),
        Case(re, "one-fault-fixed", Base.ONLY, frozenset({"cents-cutover"}), (0.2, 0.2),
             "only the cents cutover was fixed: its points and no others",
             faults_on=ALL[re] - {"cents-cutover"}),
        Case(re, "refactor-only", Base.BUNDLE, NONE, (0.0, 0.0), "a refactor that fixes nothing earns nothing",
             patches=RETAIL_REFACTOR),
        Case(re, "other-idiom", Base.BUNDLE, ALL[re], (1.0, 1.0),
             "every cause fixed, written differently (grouped tail, mask, converters, date_range): full marks",
             patches=RETAIL_IDIOM),
        Case(re, "money-unrounded", Base.SOLUTION, ALL[re], (0.85, 0.97),
             "money left unrounded breaks the contract's rounding (revenue to the cent once per user and "
             "day, the average from the rounded revenue), off by at most a cent: every fault fixed, a slip",
             patches=RETAIL_UNROUNDED),
        Case(re, "unrelated-rounding", Base.SOLUTION, ALL[re], (0.7, 0.95),
             "all faults fixed; rounding revenue to 10 cents is a regression worth a small deduction",
             patches=RETAIL_ROUND),
        Case(re, "narrower-types", Base.SOLUTION, ALL[re], (0.85, 0.95),
             "all faults fixed, but int32 where the contract says int64 breaks readers: the schema deduction",
             patches=RETAIL_NARROW),
        Case(re, "over-eager-filter", Base.SOLUTION, ALL[re], (0.6, 0.95),
             "all faults fixed, but dropping the top 5% of purchases changes revenue everywhere: deducted",
             patches=RETAIL_FILTER),
        Case(re, "hardening", Base.SOLUTION, ALL[re], (1.0, 1.0),
             "every fault fixed, plus invariant checks on the feature table: full marks",
             patches=RETAIL_HARDENING),
        Case(re, "symptom-patch", Base.ONLY, ALL[re] - {"cents-cutover"}, (0.5, 0.8),
             "dividing large amounts by 100 hides the symptom; small amounts in cents stay wrong",
             faults_on=frozenset({"cents-cutover"}), patches=RETAIL_SYMPTOM),
        Case(ct, "reference", Base.SOLUTION, ALL[ct], (1.0, 1.0), "the reference solution earns full marks"),
        Case(ct, "untouched", Base.BUNDLE, NONE, (0.0, 0.0), "nothing was done, nothing is earned"),
        Case(ct, "one-fault-fixed", Base.ONLY, frozenset({"na-country-token"}), (0.25, 0.25),
             "only Namibia's country code was fixed", faults_on=ALL[ct] - {"na-country-token"}),
        Case(ct, "refactor-only", Base.BUNDLE, NONE, (0.0, 0.0), "a refactor that fixes nothing earns nothing",
             patches=CARD_REFACTOR),
        Case(ct, "other-idiom", Base.ONLY, ALL[ct], (1.0, 1.0),
             "the currency exponent applied as a multiplication by its inverse, with a table of its "
             "own: the same amounts, full marks", faults_on=frozenset({"currency-exponent"}), patches=CARD_IDIOM),
        Case(ct, "unrelated-rounding", Base.SOLUTION, ALL[ct], (0.7, 0.95),
             "all faults fixed; whole-dollar 7-day spend is a regression worth a small deduction",
             patches=CARD_ROUND),
        Case(ct, "over-eager-filter", Base.SOLUTION, ALL[ct], (0.3, 0.6),
             "all faults fixed, but attempts without an MCC vanish from the table: a seventh of the "
             "attempts (a fifth on one dataset) go unscored, a severe regression of its own",
             patches=CARD_FILTER),
        Case(ct, "fitted-na-fill", Base.SOLUTION, ALL[ct] - {"na-country-token"}, (0.6, 0.75),
             "filling every missing country with \"NA\" is exact on the sample only; merchants with no "
             "country become Namibian: that fault stays open, and the cards that visited them count "
             "one country too many in their distinct-countries windows, a small regression",
             patches=CARD_FITTED),
        Case(ct, "hardening", Base.SOLUTION, ALL[ct], (1.0, 1.0),
             "every fault fixed, plus checks that stop the job on duplicate or lost attempts: full marks",
             patches=CARD_HARDENING),
        Case(ct, "symptom-patch", Base.ONLY, ALL[ct] - {"currency-exponent"}, (0.4, 0.75),
             "scaling up sub-dollar amounts is a guess, not the currency exponent: that fault stays open",
             faults_on=frozenset({"currency-exponent"}), patches=CARD_SYMPTOM),
        Case(rt, "reference", Base.SOLUTION, ALL[rt], (1.0, 1.0), "the reference solution earns full marks"),
        Case(rt, "untouched", Base.BUNDLE, NONE, (0.0, 0.0), "nothing was done, nothing is earned"),
        Case(rt, "one-fault-fixed", Base.ONLY, frozenset({"uncorrected-trip"}), (0.25, 0.25),
             "only the dedup was fixed", faults_on=ALL[rt] - {"uncorrected-trip"}),
        Case(rt, "refactor-only", Base.BUNDLE, NONE, (0.0, 0.0), "a refactor that fixes nothing earns nothing",
             patches=RIDE_REFACTOR),
        Case(rt, "unrelated-rounding", Base.SOLUTION, ALL[rt], (0.6, 0.95),
             "all faults fixed; whole-kilometre distances are a regression worth a deduction",
             patches=RIDE_ROUND),
        Case(rt, "over-eager-filter", Base.SOLUTION, ALL[rt], (0.5, 0.95),
             "all faults fixed, but long trips are dropped as sensor errors: deducted",
             patches=RIDE_FILTER),
        Case(rt, "hardening", Base.SOLUTION, ALL[rt], (1.0, 1.0),
             "every fault fixed, plus invariant checks on the feature table: full marks",
             patches=RIDE_HARDENING),
        Case(rt, "partial", Base.ONLY, frozenset({"uncorrected-trip", "unknown-status-trips"}), (0.5, 0.5),
             "two of the four causes fixed: their points and no others",
             faults_on=frozenset({"miles-as-km", "fare-schema-drift"})),
        Case(rt, "symptom-patch", Base.ONLY, ALL[rt] - {"fare-schema-drift"}, (0.6, 0.75),
             "filling missing fares with the median hides the schema drift: that fault stays open",
             faults_on=frozenset({"fare-schema-drift"}), patches=RIDE_SYMPTOM),
    ]


CASES = _cases()
